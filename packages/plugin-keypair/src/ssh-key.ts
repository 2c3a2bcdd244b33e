import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** The key types EC2 accepts. */
export type KeyType = 'ed25519' | 'rsa';

/** A private key held locally: its text as written to the .pem, and the public key derived from it. */
export interface LocalKey {
  type: KeyType;
  /** The .pem text: OpenSSH format for ed25519 (what ssh and AWS use), PKCS#1 PEM for RSA. */
  privateKeyPem: string;
  /** `ssh-ed25519 AAAA… comment` / `ssh-rsa AAAA… comment`: what ImportKeyPair receives. */
  publicKeyOpenSsh: string;
  /** The SSH wire-format public key blob (RFC 4253 §6.6, RFC 8709 §4). */
  blob: Buffer;
  /** The public key as a node KeyObject. */
  publicKey: KeyObject;
  /** Set when the key came from a PEM AWS created (CreateKeyPair RSA: its fingerprint hashes the private key). */
  pkcs8Der?: Buffer;
  /** The comment an OpenSSH private key carries ('' for PEM keys, which have none). */
  comment: string;
}

/** An SSH `string`: uint32 length, then the bytes (RFC 4251 §5). */
function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An SSH `mpint` from big-endian unsigned bytes: minimal, with a 0 byte when the top bit is set. */
function sshMpint(unsigned: Buffer): Buffer {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const trimmed = unsigned.subarray(start);
  return sshString(trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** Reads SSH `string`s one after the other; throws on truncated input. */
class SshReader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}
  bytes(count: number): Buffer {
    if (this.offset + count > this.buffer.length) throw new Error('truncated key data');
    const out = this.buffer.subarray(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }
  uint32(): number {
    return this.bytes(4).readUInt32BE(0);
  }
  string(): Buffer {
    return this.bytes(this.uint32());
  }
}

/** The wire-format public key blob of a node public key. */
export function publicKeyBlob(publicKey: KeyObject): { type: KeyType; blob: Buffer } {
  if (publicKey.asymmetricKeyType === 'ed25519') {
    // The SPKI DER of an Ed25519 key ends with the 32-byte raw key (RFC 8410).
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    return { type: 'ed25519', blob: Buffer.concat([sshString('ssh-ed25519'), sshString(raw)]) };
  }
  if (publicKey.asymmetricKeyType === 'rsa') {
    const jwk = publicKey.export({ format: 'jwk' });
    const e = Buffer.from(jwk.e!, 'base64url');
    const n = Buffer.from(jwk.n!, 'base64url');
    return { type: 'rsa', blob: Buffer.concat([sshString('ssh-rsa'), sshMpint(e), sshMpint(n)]) };
  }
  throw new Error(`unsupported key type ${publicKey.asymmetricKeyType ?? 'unknown'}`);
}

/** The public key of a wire-format blob (`ssh-ed25519` or `ssh-rsa`). */
export function publicKeyFromBlob(blob: Buffer): { type: KeyType; publicKey: KeyObject } {
  const reader = new SshReader(blob);
  const name = reader.string().toString();
  if (name === 'ssh-ed25519') {
    const raw = reader.string();
    if (raw.length !== 32) throw new Error('an ed25519 public key is 32 bytes');
    const publicKey = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
      format: 'jwk',
    });
    return { type: 'ed25519', publicKey };
  }
  if (name === 'ssh-rsa') {
    const e = reader.string();
    const n = reader.string();
    const strip = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b);
    const publicKey = createPublicKey({
      key: { kty: 'RSA', e: strip(e).toString('base64url'), n: strip(n).toString('base64url') },
      format: 'jwk',
    });
    return { type: 'rsa', publicKey };
  }
  throw new Error(`unsupported key type ${name}`);
}

/** Builds an unencrypted OpenSSH private key (PROTOCOL.key), the format ssh and AWS use for ed25519. */
function opensshEd25519Private(blob: Buffer, raw: Buffer, seed: Buffer, comment: string): string {
  const check = randomBytes(4);
  let secret = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(raw),
    sshString(Buffer.concat([seed, raw])),
    sshString(comment),
  ]);
  const padding: number[] = [];
  for (let i = 1; (secret.length + padding.length) % 8 !== 0; i++) padding.push(i);
  secret = Buffer.concat([secret, Buffer.from(padding)]);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(1);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    count,
    sshString(blob),
    sshString(secret),
  ]);
  const lines = body
    .toString('base64')
    .match(/.{1,70}/g)!
    .join('\n');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** Reads an unencrypted OpenSSH ed25519 private key; proves its secret half carries the public key. */
function parseOpensshPrivate(text: string): { blob: Buffer; seed: Buffer; comment: string } {
  const base64 = text.replace(/-----(BEGIN|END) OPENSSH PRIVATE KEY-----/g, '').replace(/\s+/g, '');
  const body = Buffer.from(base64, 'base64');
  const magic = 'openssh-key-v1\0';
  if (body.subarray(0, magic.length).toString('latin1') !== magic)
    throw new Error('not an OpenSSH private key');
  const reader = new SshReader(body.subarray(magic.length));
  const cipher = reader.string().toString();
  reader.string(); // kdf name
  reader.string(); // kdf options
  if (cipher !== 'none') throw new Error('the private key is encrypted (has a passphrase)');
  if (reader.uint32() !== 1) throw new Error('expected exactly one key');
  const blob = reader.string();
  const secret = new SshReader(reader.string());
  if (!secret.bytes(4).equals(secret.bytes(4))) throw new Error('corrupt private key (check bytes differ)');
  const type = secret.string().toString();
  if (type !== 'ssh-ed25519') throw new Error(`unsupported OpenSSH key type ${type}`);
  const raw = secret.string();
  const both = secret.string();
  if (raw.length !== 32 || both.length !== 64 || !both.subarray(32).equals(raw))
    throw new Error('corrupt ed25519 private key');
  if (!blob.equals(Buffer.concat([sshString('ssh-ed25519'), sshString(raw)])))
    throw new Error('the public and private halves of the key differ');
  return { blob, seed: both.subarray(0, 32), comment: secret.string().toString() };
}

function localKey(type: KeyType, privateKeyPem: string, publicKey: KeyObject, comment: string): LocalKey {
  const { blob } = publicKeyBlob(publicKey);
  const publicKeyOpenSsh = `ssh-${type} ${blob.toString('base64')}${comment ? ` ${comment}` : ''}`;
  return { type, privateKeyPem, publicKeyOpenSsh, blob, publicKey, comment };
}

/** A new key pair of `type`, generated here: the private key never leaves this machine. */
export function generateLocalKey(type: KeyType, comment: string): LocalKey {
  if (type === 'ed25519') {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const { blob } = publicKeyBlob(publicKey);
    const raw = blob.subarray(blob.length - 32);
    const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
    return localKey(type, opensshEd25519Private(blob, raw, seed, comment), publicKey, comment);
  }
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs1' }) as string;
  return localKey(type, pem.endsWith('\n') ? pem : `${pem}\n`, publicKey, comment);
}

/**
 * The key in a .pem's text: OpenSSH (ed25519) or PEM (PKCS#1 / PKCS#8, RSA or ed25519), unencrypted.
 * Throws with the reason when it is not such a private key.
 */
export function parsePrivateKey(text: string): LocalKey {
  if (text.includes('-----BEGIN OPENSSH PRIVATE KEY-----')) {
    const { blob, comment } = parseOpensshPrivate(text);
    const { type, publicKey } = publicKeyFromBlob(blob);
    return { ...localKey(type, text, publicKey, comment), blob };
  }
  const privateKey = createPrivateKey({ key: text, format: 'pem' });
  const publicKey = createPublicKey(privateKey);
  const { type } = publicKeyBlob(publicKey);
  const key = localKey(type, text, publicKey, '');
  return { ...key, pkcs8Der: privateKey.export({ format: 'der', type: 'pkcs8' }) };
}

function colonHex(digest: Buffer): string {
  return digest.toString('hex').match(/../g)!.join(':');
}

/** A fingerprint in one comparable form: no `SHA256:`/`MD5:` prefix, no base64 padding, hex lower-case. */
export function normalizeFingerprint(fingerprint: string): string {
  const bare = fingerprint.trim().replace(/^(SHA256|MD5):/i, '');
  return /^([0-9a-f]{2}:)+[0-9a-f]{2}$/i.test(bare) ? bare.toLowerCase() : bare.replace(/=+$/, '');
}

/**
 * The fingerprint AWS computes when this public key is imported (ImportKeyPair): for ed25519 the
 * base64 SHA-256 of the wire blob (as OpenSSH ≥ 6.8 prints it); for RSA the MD5 of the DER
 * SubjectPublicKeyInfo, colon-separated hex (what the EC2 guide's `openssl … -pubout -outform DER | openssl md5 -c`
 * reproduces).
 */
export function importedFingerprint(key: Pick<LocalKey, 'type' | 'blob' | 'publicKey'>): string {
  if (key.type === 'ed25519') return createHash('sha256').update(key.blob).digest('base64');
  return colonHex(
    createHash('md5')
      .update(key.publicKey.export({ format: 'der', type: 'spki' }))
      .digest(),
  );
}

/**
 * Every fingerprint an EC2 endpoint may show for a pair whose private key this is. AWS documents the
 * imported one, for RSA also the RFC 4716 MD5 of the wire blob (what the API reference names), and for a
 * PEM from CreateKeyPair the SHA-1 of its PKCS#8 DER. moto hashes the DER public key instead (SHA-256 for
 * ed25519, SHA-1 for RSA it created: docs/compatibility.md). All derive from this key alone, so any
 * match proves the pair is this key.
 */
export function candidateFingerprints(key: LocalKey): string[] {
  const spki = key.publicKey.export({ format: 'der', type: 'spki' });
  const out = [importedFingerprint(key)];
  if (key.type === 'ed25519') out.push(colonHex(createHash('sha256').update(spki).digest()));
  if (key.type === 'rsa') {
    out.push(colonHex(createHash('md5').update(key.blob).digest()));
    out.push(colonHex(createHash('sha1').update(spki).digest()));
    if (key.pkcs8Der) out.push(colonHex(createHash('sha1').update(key.pkcs8Der).digest()));
  }
  return out.map(normalizeFingerprint);
}

/** Whether AWS's fingerprint of a pair proves `key` is its private key. */
export function fingerprintMatches(key: LocalKey, awsFingerprint: string): boolean {
  return candidateFingerprints(key).includes(normalizeFingerprint(awsFingerprint));
}

/** The wire blob of an OpenSSH public key line (`ssh-ed25519 AAAA… comment`); undefined when it is none. */
export function blobOfPublicKeyLine(line: string): Buffer | undefined {
  const match = /^\s*(ssh-ed25519|ssh-rsa)\s+([A-Za-z0-9+/]+={0,2})(\s|$)/.exec(line);
  return match ? Buffer.from(match[2]!, 'base64') : undefined;
}

/**
 * Whether `key` is the private key of a pair, by what the endpoint says of the pair: its public key
 * (DescribeKeyPairs with IncludePublicKey) when given — the same on every endpoint, no hash form to guess —
 * else its fingerprint. 'unknown' when it gives neither.
 */
export function proveKey(
  key: LocalKey,
  pair: { PublicKey?: string; KeyFingerprint?: string },
): 'match' | 'mismatch' | 'unknown' {
  const published = pair.PublicKey ? blobOfPublicKeyLine(pair.PublicKey) : undefined;
  if (published) return published.equals(key.blob) ? 'match' : 'mismatch';
  if (pair.KeyFingerprint) return fingerprintMatches(key, pair.KeyFingerprint) ? 'match' : 'mismatch';
  return 'unknown';
}
