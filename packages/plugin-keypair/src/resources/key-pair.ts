import path from 'node:path';
import type { CreateKeyPairCommandInput, KeyPairInfo } from '@aws-sdk/client-ec2';
import type { Resource, ResourceContext } from '@site-cli/core/plugin';
import { checkPemWritable, fileExists, isFreshPrivateKey, pemPathFor, removePem, writePem } from '../pem.js';

export const KEY_PAIR = 'keypair.key-pair';

/** The output contract (docs/resource-graph.md). */
export interface KeyPairOutput {
  keyName: string;
  keyPairId: string;
  /** Where the private key is (or would be) on this machine. */
  pemPath: string;
  /** False when the key pair exists in AWS but its private key is not on this machine. */
  pemPresent: boolean;
}

/** The key type AWS generates: ed25519 works with Amazon Linux 2023 and modern OpenSSH. */
export const KEY_TYPE = 'ed25519';

async function describeOwned(ctx: ResourceContext): Promise<KeyPairInfo[]> {
  return ctx.once(`${KEY_PAIR}:describe-owned`, async () => {
    const ec2 = await ctx.aws.ec2();
    const result = await ec2.describeKeyPairs({ Filters: ctx.tags.resourceFilters(KEY_PAIR) });
    return result.KeyPairs ?? [];
  });
}

/** The key pair called `keyName`, whoever owns it (a filter: no NotFound error when absent). */
export async function describeKeyPairByName(
  ctx: ResourceContext,
  keyName: string,
): Promise<KeyPairInfo | undefined> {
  const ec2 = await ctx.aws.ec2();
  const result = await ec2.describeKeyPairs({ Filters: [{ Name: 'key-name', Values: [keyName] }] });
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

/** The CreateKeyPair request: tagged at creation, so ec2:CreateTags is part of the permission too. */
function createKeyPairRequest(ctx: ResourceContext, keyName: string): CreateKeyPairCommandInput {
  return {
    KeyName: keyName,
    KeyType: KEY_TYPE,
    KeyFormat: 'pem',
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
    if ((error as { code?: string }).code === 'WAIT_TIMEOUT') return undefined;
    throw error;
  }
}

async function toOutput(ctx: ResourceContext, pair: KeyPairInfo): Promise<KeyPairOutput> {
  const keyName = pair.KeyName ?? '';
  const pemPath = pemPathFor(ctx, keyName);
  const pemPresent = await fileExists(pemPath);
  if (!pemPresent) {
    ctx.log.warn(
      `The key pair ${keyName} (${pair.KeyPairId}) exists in AWS but its private key ${pemPath} is not on this machine: ` +
        'SSH to the instances is impossible from here, and AWS never returns a private key a second time. ' +
        'To recover, run `site keypair delete` then `site deploy` (a new key pair and new instances are created), or `site destroy`. ' +
        'If the key is elsewhere, copy it to that path (or point --key-dir at its folder).',
    );
  }
  return { keyName, keyPairId: pair.KeyPairId ?? '', pemPath, pemPresent };
}

/** The site's EC2 key pair; its private key is written once, mode 0400, beside the config file. */
export function keyPairResource(): Resource<KeyPairOutput> {
  return {
    id: KEY_PAIR,
    title: 'Key pair',
    kind: 'managed',
    dependsOn: [],
    iam: ['ec2:DescribeKeyPairs', 'ec2:CreateKeyPair', 'ec2:CreateTags', 'ec2:DeleteKeyPair'],

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

    // A folder that cannot take the key, or a file of its name already there, stops the run before
    // anything is created: the key pair is absent in AWS, so that file cannot be its private key.
    preconditions: (ctx) => checkPemWritable(ctx, pemPathFor(ctx, ctx.naming.keyPair)),

    async create(ctx) {
      const keyName = ctx.naming.keyPair;
      const pemPath = pemPathFor(ctx, keyName);
      // Its private key was saved moments ago: a run stopped right after creating the pair, which AWS may
      // not list yet. Give the listing a few seconds before calling the file a stranger's.
      if (await isFreshPrivateKey(pemPath)) {
        const pair = await waitVisible(ctx, keyName, 10_000);
        if (pair && ctx.tags.isOwned(pair.Tags, KEY_PAIR)) return toOutput(ctx, pair);
        if (pair) throw conflict(ctx, pair);
      }
      await checkPemWritable(ctx, pemPath);
      const ec2 = await ctx.aws.ec2();
      ctx.progress(`creating ${keyName}`);
      let created;
      try {
        created = await ec2.createKeyPair(createKeyPairRequest(ctx, keyName));
      } catch (error) {
        if (!ctx.isAwsError(error, 'InvalidKeyPair.Duplicate')) throw error;
        // It exists (another run made it this moment), though describes may not show it yet.
        const existing = await waitVisible(ctx, keyName);
        if (existing && ctx.tags.isOwned(existing.Tags, KEY_PAIR)) return toOutput(ctx, existing);
        if (existing) throw conflict(ctx, existing);
        throw error;
      }
      const keyPairId = created.KeyPairId ?? '';
      try {
        if (!created.KeyMaterial) throw new Error('AWS returned no private key material');
        await writePem(pemPath, created.KeyMaterial);
      } catch (error) {
        // Without its private key the pair is useless: take it back so the next run starts clean.
        await ec2.deleteKeyPair({ KeyPairId: keyPairId }).catch(() => undefined);
        throw ctx.error({
          code: 'KEY_FILE_WRITE_FAILED',
          message: `Could not save the private key of ${keyName} to ${pemPath}: ${(error as Error).message}. The new key pair was deleted again.`,
          suggestions: ['Check the key folder (--key-dir / keyDir) and run the command again.'],
          details: { pemPath, keyName },
          cause: error,
        });
      }
      ctx.log.info(`Saved the private key of ${keyName} to ${pemPath} (mode 0400).`);
      return { keyName, keyPairId, pemPath, pemPresent: true };
    },

    async destroy(ctx, found) {
      const ec2 = await ctx.aws.ec2();
      try {
        await ec2.deleteKeyPair(
          found.keyPairId ? { KeyPairId: found.keyPairId } : { KeyName: found.keyName },
        );
      } catch (error) {
        if (!ctx.isAwsError(error, 'InvalidKeyPair.NotFound')) throw error;
      }
      // Only ever the file of this key: <key dir>/<key name>.pem.
      const pemPath =
        found.pemPath && path.basename(found.pemPath) === `${found.keyName}.pem`
          ? found.pemPath
          : pemPathFor(ctx, found.keyName);
      if (await removePem(pemPath)) ctx.log.info(`Deleted ${pemPath}.`);
    },

    /** Creating (or replacing under a new name): may this identity create the key pair, tags and all? */
    async preflight(ctx, { action }) {
      if (action === 'update') return;
      const ec2 = await ctx.aws.ec2();
      await ctx.dryRun(['ec2:CreateKeyPair', 'ec2:CreateTags'], () =>
        ec2.createKeyPair({ ...createKeyPairRequest(ctx, ctx.naming.keyPair), DryRun: true }),
      );
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
          state: found.pemPresent ? 'available' : 'private key missing',
          detail: found.pemPath,
        },
      ];
    },

    summarize(found) {
      return { keyName: found.keyName, keyPairId: found.keyPairId, pemPath: found.pemPath };
    },
  };
}
