import path from 'node:path';
import type { ImportKeyPairCommandInput, KeyPairInfo } from '@aws-sdk/client-ec2';
import type { ResourceContext, ResourceOf } from '@site-cli/core/plugin';
import type { KeyPairOutput } from '../outputs.js';
import {
  checkPemWritable,
  fileExists,
  pemPathFor,
  readPrivateKey,
  removePem,
  siteKeyComment,
  writePem,
} from '../pem.js';
import { generateLocalKey, proveKey, type KeyType, type LocalKey } from '../ssh-key.js';
import { isWaitTimeout } from '@site-cli/plugin-kit';

export const KEY_PAIR = 'keypair.key-pair';

/** Which .pem in the way a create may resume with: the KEY_TYPE key site generated for this pair. */
const resumable = (ctx: ResourceContext, keyName: string) => ({
  type: KEY_TYPE,
  comment: siteKeyComment(ctx.config.name, keyName),
});

/** The key type site generates: ed25519 works with Amazon Linux 2023 and modern OpenSSH. */
export const KEY_TYPE: KeyType = 'ed25519';

async function describeOwned(ctx: ResourceContext): Promise<KeyPairInfo[]> {
  return ctx.once(`${KEY_PAIR}:describe-owned`, async () => {
    const ec2 = await ctx.aws.ec2();
    const result = await ec2.describeKeyPairs({
      Filters: ctx.tags.resourceFilters(KEY_PAIR),
      IncludePublicKey: true,
    });
    return result.KeyPairs ?? [];
  });
}

/** The key pair called `keyName`, whoever owns it (a filter: no NotFound error when absent). */
export async function describeKeyPairByName(
  ctx: ResourceContext,
  keyName: string,
): Promise<KeyPairInfo | undefined> {
  const ec2 = await ctx.aws.ec2();
  const result = await ec2.describeKeyPairs({
    Filters: [{ Name: 'key-name', Values: [keyName] }],
    IncludePublicKey: true,
  });
  return result.KeyPairs?.find((pair) => pair.KeyName === keyName);
}

function conflict(ctx: ResourceContext, pair: KeyPairInfo) {
  const tags = ctx.tags.toRecord(pair.Tags);
  const owner = tags['site:name'] ? ` (it belongs to site "${tags['site:name']}")` : ' (it has no site tags)';
  return ctx.error({
    code: 'KEYPAIR_CONFLICT',
    message: `A key pair named "${pair.KeyName}" (${pair.KeyPairId}) already exists in ${ctx.config.region} but was not created by this site${owner}. site will not use or delete it.`,
    suggestions: [
      'Set another keyName in the config file (site uses <name>-key by default).',
      `Or, if it is unused, delete it yourself: aws ec2 delete-key-pair --key-name ${pair.KeyName}`,
    ],
    exitCode: 2,
    details: { resource: KEY_PAIR, keyName: pair.KeyName, keyPairId: pair.KeyPairId },
  });
}

/**
 * The ImportKeyPair request: only the public key (OpenSSH format) leaves this machine. Tagged at
 * creation, so ec2:CreateTags is part of the permission too.
 */
function importKeyPairRequest(
  ctx: ResourceContext,
  keyName: string,
  publicKeyOpenSsh: string,
): ImportKeyPairCommandInput {
  return {
    KeyName: keyName,
    PublicKeyMaterial: Buffer.from(publicKeyOpenSsh),
    TagSpecifications: [{ ResourceType: 'key-pair', Tags: ctx.tags.forResource(KEY_PAIR, keyName) }],
  };
}

/** How long a just-created pair may stay out of DescribeKeyPairs (eventual consistency). */
const VISIBLE_POLL = { initialDelayMs: 500, factor: 1.5, maxDelayMs: 2000, timeoutMs: 30_000 };

/**
 * The pair called `keyName` once AWS lists it, or undefined at the deadline. For a pair that exists
 * (AWS said Duplicate) or was just made, while describes still lag behind the create.
 */
async function waitVisible(
  ctx: ResourceContext,
  keyName: string,
  timeoutMs = VISIBLE_POLL.timeoutMs,
): Promise<KeyPairInfo | undefined> {
  try {
    return await ctx.poll(`key pair ${keyName} to be listed`, () => describeKeyPairByName(ctx, keyName), {
      ...VISIBLE_POLL,
      timeoutMs,
    });
  } catch (error) {
    if (isWaitTimeout(error)) return undefined;
    throw error;
  }
}

/** Whether the .pem at `pemPath` is the private key of `pair`, proven by the pair's public key or fingerprint. */
export async function pemState(
  pemPath: string,
  pair: KeyPairInfo,
): Promise<'missing' | 'match' | 'mismatch'> {
  if (!(await fileExists(pemPath))) return 'missing';
  const { key } = await readPrivateKey(pemPath);
  if (!key) return 'mismatch';
  // An endpoint that gives neither public key nor fingerprint cannot disprove the file: trust it.
  return proveKey(key, pair) === 'mismatch' ? 'mismatch' : 'match';
}

async function toOutput(ctx: ResourceContext, pair: KeyPairInfo): Promise<KeyPairOutput> {
  const keyName = pair.KeyName ?? '';
  const pemPath = pemPathFor(ctx, keyName);
  const state = await pemState(pemPath, pair);
  const recover =
    'To recover, run `site keypair delete` then `site deploy` (a new key pair and new instances are created), or `site destroy`. ';
  if (state === 'missing') {
    ctx.log.warn(
      `The key pair ${keyName} (${pair.KeyPairId}) exists in AWS but its private key ${pemPath} is not on this machine: ` +
        'SSH to the instances is impossible from here, and AWS never returns a private key a second time. ' +
        recover +
        'If the key is elsewhere, copy it to that path (or point --key-dir at its folder).',
    );
  }
  if (state === 'mismatch') {
    ctx.log.warn(
      `${pemPath} is not the private key of the key pair ${keyName} (${pair.KeyPairId}): its public key is not ` +
        `the one AWS holds (fingerprint ${pair.KeyFingerprint ?? 'not given'}). SSH with it will be refused; site leaves the file alone. ` +
        recover +
        'If the right key is elsewhere, move this file away and copy that one to the path.',
    );
  }
  return {
    keyName,
    keyPairId: pair.KeyPairId ?? '',
    pemPath,
    pemPresent: state === 'match',
    ...(pair.KeyFingerprint ? { fingerprint: pair.KeyFingerprint } : {}),
    ...(state === 'mismatch' ? { pemMismatch: true } : {}),
  };
}

/** The pair that already holds `keyName` (AWS said Duplicate), resolved against the key we hold. */
async function resolveDuplicate(
  ctx: ResourceContext,
  keyName: string,
  key: LocalKey,
  wroteNow: boolean,
  duplicate: unknown,
): Promise<KeyPairOutput> {
  const pemPath = pemPathFor(ctx, keyName);
  const existing = await waitVisible(ctx, keyName);
  if (!existing || !ctx.tags.isOwned(existing.Tags, KEY_PAIR)) {
    // The name is someone else's (or AWS will not show it): a key this very run wrote belongs to nothing.
    if (wroteNow) await removePem(pemPath);
    throw existing ? conflict(ctx, existing) : duplicate;
  }
  // Our own earlier import, whose answer was lost: the pair's public key proves the .pem is its key.
  if (proveKey(key, existing) !== 'mismatch') return toOutput(ctx, existing);
  if (wroteNow) {
    // Another run (another machine) imported its key a moment before us: ours was written by this very
    // run and belongs to no pair, so take it back; the pair's private key is that other run's.
    await removePem(pemPath);
    return toOutput(ctx, existing);
  }
  throw ctx.error({
    code: 'KEY_FILE_MISMATCH',
    message:
      `${pemPath} is not the private key of the key pair ${keyName} (${existing.KeyPairId}) of this site: ` +
      `AWS holds another public key (fingerprint ${existing.KeyFingerprint ?? 'not given'}). site will not use or overwrite that file.`,
    suggestions: [
      `Move ${pemPath} away (it may be the only copy of another key), then run the command again.`,
      'If the pair is the one you have no key for, `site keypair delete` then run the command again.',
    ],
    exitCode: 2,
    details: { resource: KEY_PAIR, pemPath, keyName, keyPairId: existing.KeyPairId },
  });
}

/**
 * The site's EC2 key pair: generated here, its private key written once (mode 0400, beside the config
 * file) before its public key is imported.
 */
export function keyPairResource(): ResourceOf<typeof KEY_PAIR> {
  return {
    id: KEY_PAIR,
    title: 'Key pair',
    kind: 'managed',
    dependsOn: [],
    iam: ['ec2:DescribeKeyPairs', 'ec2:ImportKeyPair', 'ec2:CreateTags', 'ec2:DeleteKeyPair'],

    async discover(ctx) {
      const owned = await describeOwned(ctx);
      const wanted = ctx.naming.keyPair;
      const pair = owned.find((candidate) => candidate.KeyName === wanted) ?? owned[0];
      if (pair) return toOutput(ctx, pair);
      const sameName = await describeKeyPairByName(ctx, wanted);
      if (!sameName) return undefined;
      // Tag filters can lag just after creation: the tags on the pair decide.
      if (ctx.tags.isOwned(sameName.Tags, KEY_PAIR)) return toOutput(ctx, sameName);
      throw conflict(ctx, sameName);
    },

    // A folder that cannot take the key, or a file of its name already there that is not a private key
    // of KEY_TYPE, stops the run before anything is created (see create for the resume case).
    preconditions: async (ctx) => {
      await checkPemWritable(ctx, pemPathFor(ctx, ctx.naming.keyPair), resumable(ctx, ctx.naming.keyPair));
    },

    // Retry-safe by construction: the private key is generated here and saved before AWS hears of the
    // pair, and ImportKeyPair only ever receives the public key. Whatever answer is lost, a re-run finds
    // the .pem on disk and either the pair (Duplicate, or discover) or nothing (then it imports again).
    async create(ctx) {
      const keyName = ctx.naming.keyPair;
      const pemPath = pemPathFor(ctx, keyName);
      // A .pem already there is accepted only as the unencrypted KEY_TYPE key site wrote for this pair (its
      // comment says so): the key of a run stopped before ImportKeyPair answered. Only its public half is
      // published; a pair that exists under another key is caught by the fingerprint below. Anything else
      // — a user's own key of the same name included — is refused and left alone.
      const resume = resumable(ctx, keyName);
      const resumed = await checkPemWritable(ctx, pemPath, resume);
      const key = resumed ?? generateLocalKey(KEY_TYPE, resume.comment);
      if (!resumed) {
        try {
          await writePem(pemPath, key.privateKeyPem);
        } catch (error) {
          throw ctx.error({
            code: 'KEY_FILE_WRITE_FAILED',
            message: `Could not save the private key of ${keyName} to ${pemPath}: ${(error as Error).message}. No key pair was created.`,
            suggestions: ['Check the key folder (--key-dir / keyDir) and run the command again.'],
            details: { pemPath, keyName },
            cause: error,
          });
        }
        ctx.log.info(`Saved the private key of ${keyName} to ${pemPath} (mode 0400).`);
      } else {
        ctx.log.info(`Resuming with the private key already in ${pemPath}: importing its public key.`);
      }
      const ec2 = await ctx.aws.ec2();
      ctx.progress(`importing ${keyName}`);
      let imported;
      try {
        imported = await ec2.importKeyPair(importKeyPairRequest(ctx, keyName, key.publicKeyOpenSsh));
      } catch (error) {
        if (!ctx.isAwsError(error, 'InvalidKeyPair.Duplicate')) throw error;
        // It exists: our own import whose answer was lost, or another run's, though describes may lag.
        return resolveDuplicate(ctx, keyName, key, !resumed, error);
      }
      return {
        keyName,
        keyPairId: imported.KeyPairId ?? '',
        pemPath,
        pemPresent: true,
        ...(imported.KeyFingerprint ? { fingerprint: imported.KeyFingerprint } : {}),
      };
    },

    async destroy(ctx, found) {
      const ec2 = await ctx.aws.ec2();
      try {
        // By name: every EC2 endpoint reads KeyName (moto ignores KeyPairId), and AWS deletes the same pair.
        await ec2.deleteKeyPair({ KeyName: found.keyName });
      } catch (error) {
        if (!ctx.isAwsError(error, 'InvalidKeyPair.NotFound')) throw error;
      }
      // Only ever the file of this key: <key dir>/<key name>.pem, and not when the fingerprint proved it
      // another key's (that file may be the only copy of it).
      const pemPath =
        found.pemPath && path.basename(found.pemPath) === `${found.keyName}.pem`
          ? found.pemPath
          : pemPathFor(ctx, found.keyName);
      if (found.pemMismatch)
        ctx.log.warn(`Left ${pemPath} in place: it is not the private key of ${found.keyName}.`);
      else if (await removePem(pemPath)) ctx.log.info(`Deleted ${pemPath}.`);
    },

    /** Creating (or replacing under a new name): may this identity create the key pair, tags and all? */
    async preflight(ctx, { action }) {
      if (action === 'update') return;
      const ec2 = await ctx.aws.ec2();
      // A throwaway public key: the DryRun checks permissions and tags, never the key we will import.
      const probe = generateLocalKey(KEY_TYPE, ctx.naming.keyPair).publicKeyOpenSsh;
      try {
        await ctx.dryRun(['ec2:ImportKeyPair', 'ec2:CreateTags'], () =>
          ec2.importKeyPair({ ...importKeyPairRequest(ctx, ctx.naming.keyPair, probe), DryRun: true }),
        );
      } catch (error) {
        // The pair exists though the plan did not see it (a stopped run's import AWS does not list yet,
        // or another machine's): create resolves that by its tags and fingerprint, so it is no reason to stop.
        if (!ctx.isAwsError(error, 'InvalidKeyPair.Duplicate')) throw error;
      }
    },

    diff(ctx, found) {
      const wanted = ctx.naming.keyPair;
      return found.keyName === wanted ? [] : [{ field: 'key name', from: found.keyName, to: wanted }];
    },

    async status(_ctx, found) {
      return [
        {
          name: found.keyName,
          id: found.keyPairId,
          state: found.pemPresent
            ? 'available'
            : found.pemMismatch
              ? 'private key does not match'
              : 'private key missing',
          detail: found.pemPath,
        },
      ];
    },

    summarize(found) {
      return { keyName: found.keyName, keyPairId: found.keyPairId, pemPath: found.pemPath };
    },
  };
}
