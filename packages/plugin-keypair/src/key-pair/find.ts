/**
 * Finding the site's key pair: by its tags, or by name whoever owns it, and once AWS lists a pair it just made.
 * DescribeKeyPairs is not paginated (no NextToken in AWS's API, so the SDK has no paginator): one call each.
 */
import type { KeyPairInfo } from '@aws-sdk/client-ec2';
import type { ResourceContext } from '@site-cli/core/plugin';
import { isWaitTimeout } from '@site-cli/plugin-kit';

export const KEY_PAIR = 'keypair.key-pair';

/** The key pairs tagged as this site's, read once per run. */
export async function describeOwned(ctx: ResourceContext): Promise<KeyPairInfo[]> {
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

/** How long a just-created pair may stay out of DescribeKeyPairs (eventual consistency). */
const VISIBLE_POLL = { initialDelayMs: 500, factor: 1.5, maxDelayMs: 2000, timeoutMs: 30_000 };

/**
 * The pair called `keyName` once AWS lists it, or undefined at the deadline. For a pair that exists
 * (AWS said Duplicate) or was just made, while describes still lag behind the create. ctx.poll, not EC2's
 * KeyPairExists waiter: that one waits at least 5 s between calls and ignores the run's time scale, where a
 * lagging pair usually shows within a second.
 */
export async function waitVisible(
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

/** The error for a pair of the site's key name that this site did not create: never used, never deleted. */
export function conflict(ctx: ResourceContext, pair: KeyPairInfo) {
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
