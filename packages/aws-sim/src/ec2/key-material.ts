/**
 * The key material EC2 reads and writes for key pairs, derived here from the specifications alone and
 * independently of the client's own code (plugin-keypair's ssh-key.ts), so a mistake in one is caught by
 * the other: both are pinned to ssh-keygen's output (test/fixtures/ssh-keygen/vectors.json).
 *
 * The route differs on purpose: keys enter and leave node:crypto as DER (SPKI for ed25519, PKCS#1 for
 * RSA), whose INTEGERs are already the SSH `mpint`s of RFC 4251 §5; the SSH wire blobs are cut and joined
 * as plain field lists.
 */
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';

export type KeyType = 'rsa' | 'ed25519';

/** SubjectPublicKeyInfo DER up to the 32 key bytes, for id-Ed25519 (RFC 8410 §4, §10.1). */
const ED25519_SPKI_HEADER = Buffer.from('302a300506032b6570032100', 'hex');

/** Joins SSH `string` fields: each a uint32 length, then its bytes (RFC 4251 §5). */
function joinFields(fields: (Buffer | string)[]): Buffer {
  const parts: Buffer[] = [];
  for (const field of fields) {
    const bytes = Buffer.isBuffer(field) ? field : Buffer.from(field, 'latin1');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length, 0);
    parts.push(length, bytes);
  }
  return Buffer.concat(parts);
}

/** Cuts a buffer made only of SSH `string` fields into them; undefined when it is not exactly that. */
function splitFields(data: Buffer): Buffer[] | undefined {
  const fields: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    if (data.length - at < 4) return undefined;
    const end = at + 4 + data.readUInt32BE(at);
    if (end > data.length) return undefined;
    fields.push(data.subarray(at + 4, end));
    at = end;
  }
  return fields;
}

/** One DER TLV: tag, then a definite length (short or long form), then the value (X.690 §8.1). */
function derTlv(tag: number, value: Buffer): Buffer {
  if (value.length < 0x80) return Buffer.concat([Buffer.from([tag, value.length]), value]);
  const hex = value.length.toString(16);
  const size = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'); // the fewest bytes (DER)
  return Buffer.concat([Buffer.from([tag, 0x80 | size.length]), size, value]);
}

/** The values of the TLVs laid one after the other in `data` (X.690 §8.1). */
function derValues(data: Buffer): { tag: number; value: Buffer }[] {
  const out: { tag: number; value: Buffer }[] = [];
  let at = 0;
  while (at < data.length) {
    const tag = data[at]!;
    let length = data[at + 1]!;
    let start = at + 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      length = parseInt(data.subarray(start, start + count).toString('hex'), 16);
      start += count;
    }
    out.push({ tag, value: data.subarray(start, start + length) });
    at = start + length;
  }
  return out;
}

/** The SSH wire blob of a public key: `ssh-ed25519` (RFC 8709 §4) or `ssh-rsa` (RFC 4253 §6.6). */
export function sshBlob(key: KeyObject): Buffer {
  if (key.asymmetricKeyType === 'ed25519') {
    const spki = key.export({ format: 'der', type: 'spki' });
    return joinFields(['ssh-ed25519', spki.subarray(ED25519_SPKI_HEADER.length)]);
  }
  // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 A.1.1); a DER
  // INTEGER's content is the minimal two's-complement form an SSH mpint has too.
  const [sequence] = derValues(key.export({ format: 'der', type: 'pkcs1' }));
  const [modulus, exponent] = derValues(sequence!.value);
  return joinFields(['ssh-rsa', exponent!.value, modulus!.value]);
}

/** The public key a wire blob holds; undefined when it is not a well-formed `expected` (or any) key. */
export function keyOfBlob(blob: Buffer, expected?: string): KeyObject | undefined {
  const fields = splitFields(blob);
  const name = fields?.[0]?.toString('latin1');
  if (!fields || !name || (expected && name !== expected)) return undefined;
  try {
    if (name === 'ssh-ed25519' && fields.length === 2 && fields[1]!.length === 32)
      return createPublicKey({
        key: Buffer.concat([ED25519_SPKI_HEADER, fields[1]!]),
        format: 'der',
        type: 'spki',
      });
    if (name === 'ssh-rsa' && fields.length === 3) {
      const [, exponent, modulus] = fields as [Buffer, Buffer, Buffer];
      const pkcs1 = derTlv(0x30, Buffer.concat([derTlv(0x02, modulus), derTlv(0x02, exponent)]));
      return createPublicKey({ key: pkcs1, format: 'der', type: 'pkcs1' });
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** `ssh-ed25519 AAAA… comment`: the OpenSSH public key line (sshd's authorized_keys format). */
export function openSshLine(key: KeyObject, comment = ''): string {
  const type = key.asymmetricKeyType === 'ed25519' ? 'ssh-ed25519' : 'ssh-rsa';
  return [type, sshBlob(key).toString('base64'), comment].filter(Boolean).join(' ');
}

const colonHex = (digest: Buffer) => [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join(':');

/**
 * AWS's KeyFingerprint ("Verify your key pair's fingerprint", EC2 User Guide): ed25519, the base64 SHA-256
 * of the wire blob, `=`-padded (ssh-keygen prints it unpadded); RSA imported, the MD5 of the DER public key;
 * RSA created by EC2, the SHA-1 of the DER PKCS#8 private key (`createdPkcs8`); both colon hex.
 */
export function awsFingerprint(key: KeyObject, createdPkcs8?: Buffer): string {
  if (key.asymmetricKeyType === 'ed25519') return createHash('sha256').update(sshBlob(key)).digest('base64');
  if (createdPkcs8) return colonHex(createHash('sha1').update(createdPkcs8).digest());
  return colonHex(
    createHash('md5')
      .update(key.export({ format: 'der', type: 'spki' }))
      .digest(),
  );
}

/**
 * An unencrypted OpenSSH private key (PROTOCOL.key in OpenSSH's sources), as EC2 returns for ed25519:
 * magic, cipher/kdf "none", one public key, then the private section padded 1, 2, 3… to 8 bytes.
 */
function openSshPrivateKey(publicKey: KeyObject, seed: Buffer, comment: string): string {
  const blob = sshBlob(publicKey);
  const [, raw] = splitFields(blob)!;
  const check = randomBytes(4);
  const unpadded = Buffer.concat([
    check,
    check,
    joinFields(['ssh-ed25519', raw!, Buffer.concat([seed, raw!]), comment]),
  ]);
  const padding = Buffer.from(Array.from({ length: (8 - (unpadded.length % 8)) % 8 }, (_, i) => i + 1));
  const count = Buffer.from([0, 0, 0, 1]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    joinFields(['none', 'none', '']),
    count,
    joinFields([blob, Buffer.concat([unpadded, padding])]),
  ]);
  const lines = body
    .toString('base64')
    .replace(/(.{70})/g, '$1\n')
    .trimEnd();
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines}\n-----END OPENSSH PRIVATE KEY-----`;
}

/** What CreateKeyPair makes: the private key EC2 hands out once, its fingerprint and public key line. */
export function newKeyPair(
  type: KeyType,
  name: string,
): { material: string; fingerprint: string; publicKey: string } {
  if (type === 'ed25519') {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
    return {
      material: openSshPrivateKey(publicKey, seed, name),
      fingerprint: awsFingerprint(publicKey),
      publicKey: openSshLine(publicKey, name),
    };
  }
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    material: (privateKey.export({ format: 'pem', type: 'pkcs1' }) as string).trim(),
    fingerprint: awsFingerprint(publicKey, privateKey.export({ format: 'der', type: 'pkcs8' })),
    publicKey: openSshLine(publicKey, name),
  };
}
