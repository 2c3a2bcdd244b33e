import { createPublicKey, type KeyObject } from 'node:crypto';
import type { SimContext } from '../context.js';
import { err } from '../errors.js';
import { applyFilters } from '../filters.js';
import type { KeyPairRec } from '../state.js';
import { type ActionDef, dryRunCheck, tagSpecs, tagsOut } from './common.js';
import { awsFingerprint, keyOfBlob, newKeyPair, openSshLine } from './key-material.js';

const BAD_FORMAT = () => err('InvalidKey.Format', 'Key is not in valid OpenSSH public key format');

/** A wire blob's key, or InvalidKey.Format. */
function blobKey(base64: string, expected?: string): KeyObject {
  const key = keyOfBlob(Buffer.from(base64, 'base64'), expected);
  if (!key) throw BAD_FORMAT();
  return key;
}

/**
 * ImportKeyPair's PublicKeyMaterial, in the formats AWS takes: an OpenSSH line (`ssh-rsa …`,
 * `ssh-ed25519 …`), an RFC 4716 SSH2 public key file, base64 DER (SubjectPublicKeyInfo), or PEM.
 * Stored as AWS shows it (an OpenSSH line, with the comment of an OpenSSH line), with AWS's fingerprint
 * for imported keys (see key-material.ts).
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
    key = blobKey(line[2]!, line[1]);
    comment = line[3] ?? '';
  } else if (ssh2) {
    // RFC 4716: headers (`Tag: value`, continued with a trailing backslash), then the base64 blob.
    const body = ssh2[1]!.replace(/^[^\n:]+:(?:[^\n]*\\\r?\n)*[^\n]*\n/gm, '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw BAD_FORMAT();
    key = blobKey(body);
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
  const type = key.asymmetricKeyType === 'ed25519' ? 'ed25519' : 'rsa';
  if (type === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (![1024, 2048, 3072, 4096].includes(bits))
      throw err(
        'InvalidKey.Format',
        `RSA key length ${bits} is not supported: use 1024, 2048, 3072 or 4096 bits`,
      );
  }
  return { type, fingerprint: awsFingerprint(key), publicKey: openSshLine(key, comment) };
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
      const g = newKeyPair(type, name);
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
