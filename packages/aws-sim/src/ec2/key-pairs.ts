import { createHash, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
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

function parsePublicKey(material: string): {
  type: 'rsa' | 'ed25519';
  fingerprint: string;
  publicKey: string;
} {
  const text = material.trim();
  const m = /^(ssh-rsa|ssh-ed25519)\s+([A-Za-z0-9+/=]+)/.exec(text);
  if (m) {
    const blob = Buffer.from(m[2]!, 'base64');
    if (blob.length < 20) throw err('InvalidKeyPair.Format', 'Key is not in valid OpenSSH public key format');
    if (m[1] === 'ssh-ed25519')
      return {
        type: 'ed25519',
        fingerprint: createHash('sha256').update(blob).digest('base64'),
        publicKey: text,
      };
    return { type: 'rsa', fingerprint: colonHex(createHash('md5').update(blob).digest()), publicKey: text };
  }
  try {
    const k = createPublicKey(text);
    const der = k.export({ format: 'der', type: 'spki' });
    return {
      type: k.asymmetricKeyType === 'ed25519' ? 'ed25519' : 'rsa',
      fingerprint: colonHex(createHash('md5').update(der).digest()),
      publicKey: text,
    };
  } catch {
    throw err('InvalidKeyPair.Format', 'Key is not in valid OpenSSH public key format');
  }
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
      const material = Buffer.from(
        ctx.requireParam(input.PublicKeyMaterial, 'PublicKeyMaterial'),
        'base64',
      ).toString('utf8');
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
