import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import type { SimContext } from '../context.js';
import { err } from '../errors.js';
import { applyFilters } from '../filters.js';
import type { KeyPairRec } from '../state.js';
import { type ActionDef, dryRunCheck, tagSpecs, tagsOut } from './common.js';

function sshString(b: Buffer | string): Buffer {
  const buf = typeof b === 'string' ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(buf.length);
  return Buffer.concat([len, buf]);
}

function wrap(b64: string, width: number): string {
  return b64.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n');
}

/** Builds an unencrypted OpenSSH private key, the format AWS returns for ed25519 key pairs. */
function opensshEd25519(pub: Buffer, seed: Buffer, comment: string): string {
  const pubBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const check = randomBytes(4);
  let priv = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const nums = Buffer.alloc(4);
  nums.writeUInt32BE(1);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    nums,
    sshString(pubBlob),
    sshString(priv),
  ]);
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${wrap(body.toString('base64'), 70)}\n-----END OPENSSH PRIVATE KEY-----`;
}

function colonHex(b: Buffer): string {
  return b.toString('hex').match(/../g)!.join(':');
}

function generate(
  type: 'rsa' | 'ed25519',
  name: string,
): { material: string; fingerprint: string; publicKey: string } {
  if (type === 'ed25519') {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
    const blob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
    return {
      material: opensshEd25519(pub, seed, name),
      fingerprint: createHash('sha256').update(blob).digest('base64'),
      publicKey: `ssh-ed25519 ${blob.toString('base64')} ${name}`,
    };
  }
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const jwk = publicKey.export({ format: 'jwk' });
  const mpint = (b64u: string) => {
    const b = Buffer.from(b64u, 'base64url');
    return sshString(b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
  };
  const blob = Buffer.concat([sshString('ssh-rsa'), mpint(jwk.e!), mpint(jwk.n!)]);
  return {
    material: (privateKey.export({ format: 'pem', type: 'pkcs1' }) as string).trim(),
    // AWS-created RSA keys: SHA-1 of the DER private key (PKCS#8).
    fingerprint: colonHex(createHash('sha1').update(pkcs8).digest()),
    publicKey: `ssh-rsa ${blob.toString('base64')} ${name}`,
  };
}

const BAD_FORMAT = () => err('InvalidKey.Format', 'Key is not in valid OpenSSH public key format');

/** Reads the SSH wire-format blob of an `ssh-rsa` / `ssh-ed25519` key (RFC 4253 §6.6, RFC 8709 §4). */
function keyFromBlob(blob: Buffer, expected?: string): KeyObject {
  let offset = 0;
  const next = (): Buffer => {
    if (offset + 4 > blob.length) throw BAD_FORMAT();
    const length = blob.readUInt32BE(offset);
    if (offset + 4 + length > blob.length) throw BAD_FORMAT();
    const out = blob.subarray(offset + 4, offset + 4 + length);
    offset += 4 + length;
    return out;
  };
  const name = next().toString('latin1');
  if (expected && name !== expected) throw BAD_FORMAT();
  try {
    if (name === 'ssh-ed25519') {
      const raw = next();
      if (raw.length !== 32 || offset !== blob.length) throw BAD_FORMAT();
      return createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
        format: 'jwk',
      });
    }
    if (name === 'ssh-rsa') {
      const unsigned = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b);
      const e = unsigned(next()).toString('base64url');
      const n = unsigned(next()).toString('base64url');
      if (offset !== blob.length) throw BAD_FORMAT();
      return createPublicKey({ key: { kty: 'RSA', e, n }, format: 'jwk' });
    }
  } catch {
    throw BAD_FORMAT();
  }
  throw BAD_FORMAT();
}

/** The wire-format blob of a public key (to store the key as AWS shows it: OpenSSH format). */
function blobOf(key: KeyObject): Buffer {
  if (key.asymmetricKeyType === 'ed25519')
    return Buffer.concat([
      sshString('ssh-ed25519'),
      sshString(key.export({ format: 'der', type: 'spki' }).subarray(-32)),
    ]);
  const jwk = key.export({ format: 'jwk' });
  const mpint = (b64u: string) => {
    const b = Buffer.from(b64u, 'base64url');
    return sshString(b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
  };
  return Buffer.concat([sshString('ssh-rsa'), mpint(jwk.e!), mpint(jwk.n!)]);
}

/**
 * ImportKeyPair's PublicKeyMaterial, in the formats AWS takes: an OpenSSH line (`ssh-rsa …`,
 * `ssh-ed25519 …`), an RFC 4716 SSH2 public key file, base64 DER (SubjectPublicKeyInfo), or PEM.
 * The fingerprint is AWS's for imported keys: ed25519, base64 SHA-256 of the wire blob (as OpenSSH
 * prints it); RSA, MD5 of the DER SubjectPublicKeyInfo, colon hex (the EC2 guide's
 * `openssl … -pubout -outform DER | openssl md5 -c`).
 */
function parsePublicKey(material: Buffer): {
  type: 'rsa' | 'ed25519';
  fingerprint: string;
  publicKey: string;
} {
  const text = material.toString('utf8').trim();
  let key: KeyObject;
  let comment = '';
  const line = /^(ssh-rsa|ssh-ed25519)\s+([A-Za-z0-9+/]+={0,2})(?:\s+(.*))?$/.exec(text);
  const ssh2 = /^---- BEGIN SSH2 PUBLIC KEY ----\r?\n([\s\S]*?)---- END SSH2 PUBLIC KEY ----$/.exec(text);
  if (line) {
    key = keyFromBlob(Buffer.from(line[2]!, 'base64'), line[1]);
    comment = line[3] ?? '';
  } else if (ssh2) {
    // RFC 4716: headers (`Tag: value`, continued with a trailing backslash), then the base64 blob.
    const body = ssh2[1]!.replace(/^[^\n:]+:(?:[^\n]*\\\r?\n)*[^\n]*\n/gm, '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw BAD_FORMAT();
    key = keyFromBlob(Buffer.from(body, 'base64'));
  } else {
    try {
      key = text.startsWith('-----BEGIN')
        ? createPublicKey(text)
        : createPublicKey({ key: material, format: 'der', type: 'spki' });
    } catch {
      throw BAD_FORMAT();
    }
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ed25519') throw BAD_FORMAT();
  }
  const blob = blobOf(key);
  const type = key.asymmetricKeyType === 'ed25519' ? 'ed25519' : 'rsa';
  if (type === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (![1024, 2048, 3072, 4096].includes(bits))
      throw err(
        'InvalidKey.Format',
        `RSA key length ${bits} is not supported: use 1024, 2048, 3072 or 4096 bits`,
      );
  }
  const fingerprint =
    type === 'ed25519'
      ? createHash('sha256').update(blob).digest('base64')
      : colonHex(
          createHash('md5')
            .update(key.export({ format: 'der', type: 'spki' }))
            .digest(),
        );
  const publicKey = `ssh-${type} ${blob.toString('base64')}${comment ? ` ${comment}` : ''}`;
  return { type, fingerprint, publicKey };
}

function keyOut(ctx: SimContext, k: KeyPairRec, includePublic?: boolean) {
  return {
    KeyPairId: k.id,
    KeyFingerprint: k.fingerprint,
    KeyName: k.name,
    KeyType: k.type,
    CreateTime: new Date(k.createdAt),
    PublicKey: includePublic ? k.publicKey : undefined,
    Tags: tagsOut(ctx, k.id) ?? [],
  };
}

function checkName(ctx: SimContext, name: string | undefined): string {
  const n = ctx.requireParam(name, 'KeyName');
  if (n.length > 255 || !/^[\x20-\x7e]+$/.test(n))
    throw err(
      'InvalidParameterValue',
      `Value (${n}) for parameter KeyName is invalid. Key name must be ASCII, 1-255 chars.`,
    );
  if (ctx.state.keyPairs.some((k) => k.name === n))
    throw err('InvalidKeyPair.Duplicate', `The keypair '${n}' already exists.`);
  return n;
}

export const keyPairActions: Record<string, ActionDef> = {
  CreateKeyPair: {
    mutating: true,
    fn(ctx, input) {
      const name = checkName(ctx, input.KeyName);
      const type = (input.KeyType ?? 'rsa') as 'rsa' | 'ed25519';
      if (type !== 'rsa' && type !== 'ed25519')
        throw err('InvalidParameterValue', `Value (${type}) for parameter keyType is invalid.`);
      if (input.KeyFormat && input.KeyFormat !== 'pem')
        throw err('InvalidParameterValue', `aws-sim supports only KeyFormat pem, got ${input.KeyFormat}`);
      const tags = tagSpecs(input, 'key-pair');
      dryRunCheck(input);
      const g = generate(type, name);
      const rec: KeyPairRec = {
        id: ctx.ids.ec2('key'),
        name,
        type,
        fingerprint: g.fingerprint,
        publicKey: g.publicKey,
        createdAt: ctx.now(),
      };
      ctx.state.keyPairs.push(rec);
      ctx.setTags(rec.id, tags);
      return {
        KeyFingerprint: g.fingerprint,
        KeyMaterial: g.material,
        KeyName: name,
        KeyPairId: rec.id,
        Tags: tagsOut(ctx, rec.id),
      };
    },
  },
  ImportKeyPair: {
    mutating: true,
    fn(ctx, input) {
      const name = checkName(ctx, input.KeyName);
      // A blob: the SDK sends it base64-encoded on the Query protocol.
      const material = Buffer.from(ctx.requireParam(input.PublicKeyMaterial, 'PublicKeyMaterial'), 'base64');
      const k = parsePublicKey(material);
      const tags = tagSpecs(input, 'key-pair');
      dryRunCheck(input);
      const rec: KeyPairRec = {
        id: ctx.ids.ec2('key'),
        name,
        type: k.type,
        fingerprint: k.fingerprint,
        publicKey: k.publicKey,
        createdAt: ctx.now(),
      };
      ctx.state.keyPairs.push(rec);
      ctx.setTags(rec.id, tags);
      return { KeyFingerprint: k.fingerprint, KeyName: name, KeyPairId: rec.id, Tags: tagsOut(ctx, rec.id) };
    },
  },
  DescribeKeyPairs: {
    mutating: false,
    fn(ctx, input) {
      let keys = ctx.state.keyPairs;
      const names: string[] = input.KeyNames ?? [];
      const ids: string[] = input.KeyPairIds ?? [];
      for (const n of names) {
        const k = keys.find((x) => x.name === n);
        if (!k || ctx.fresh(k.createdAt))
          throw err('InvalidKeyPair.NotFound', `The key pair '${n}' does not exist`);
      }
      for (const id of ids) {
        const k = keys.find((x) => x.id === id);
        if (!k || ctx.fresh(k.createdAt))
          throw err('InvalidKeyPair.NotFound', `The key pair '${id}' does not exist`);
      }
      if (names.length) keys = keys.filter((k) => names.includes(k.name));
      if (ids.length) keys = keys.filter((k) => ids.includes(k.id));
      keys = keys.filter((k) => !ctx.fresh(k.createdAt));
      keys = applyFilters(
        keys,
        input.Filters,
        {
          'key-name': (k) => k.name,
          'key-pair-id': (k) => k.id,
          fingerprint: (k) => k.fingerprint,
          'key-type': (k) => k.type,
        },
        (k) => ctx.tagsOf(k.id),
      );
      dryRunCheck(input);
      return { KeyPairs: keys.map((k) => keyOut(ctx, k, input.IncludePublicKey)) };
    },
  },
  DeleteKeyPair: {
    mutating: true,
    fn(ctx, input) {
      if (!input.KeyName && !input.KeyPairId)
        throw err('MissingParameter', 'The request must contain the parameter KeyName or KeyPairId');
      const idx = ctx.state.keyPairs.findIndex((k) =>
        input.KeyPairId ? k.id === input.KeyPairId : k.name === input.KeyName,
      );
      if (idx < 0 && input.KeyPairId)
        throw err('InvalidKeyPair.NotFound', `The key pair '${input.KeyPairId}' does not exist`);
      dryRunCheck(input);
      // Deleting an unknown key *name* succeeds on AWS.
      if (idx < 0) return { Return: true };
      const [k] = ctx.state.keyPairs.splice(idx, 1);
      delete ctx.state.tags[k!.id];
      return { Return: true, KeyPairId: k!.id };
    },
  },
};
