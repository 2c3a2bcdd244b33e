/** Finding the site's instances: by their tags, in the states that still matter, all pages. */
import type { Instance } from '@aws-sdk/client-ec2';
import type { ResourceContext } from '@site-cli/core/plugin';
import { allPages } from '@site-cli/plugin-kit';

export const RESOURCE_ID = 'compute.instances';

/**
 * States of an instance that still exists for us (terminated ones are history). `shutting-down` counts: an
 * interrupted run may have left it so, and it still holds its security group until it is terminated.
 */
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];
/** States of an instance that serves (or is about to): the ones a deploy may keep. */
export const SERVING_STATES = new Set(['pending', 'running']);

export const stateOf = (instance: Instance) => instance.State?.Name ?? '';

export function tagValue(instance: Instance, key: string): string | undefined {
  return instance.Tags?.find((t) => t.Key === key)?.Value;
}

/** ONE DescribeInstances for this site's instances (tag filters server-side), all pages (the SDK's paginator). */
export async function describeSiteInstances(ctx: ResourceContext): Promise<Instance[]> {
  const [ec2, { paginateDescribeInstances }] = await Promise.all([
    ctx.aws.ec2(),
    import('@aws-sdk/client-ec2'),
  ]);
  const pages = paginateDescribeInstances(
    { client: ec2 },
    {
      Filters: [
        ...ctx.tags.resourceFilters(RESOURCE_ID),
        { Name: 'instance-state-name', Values: LIVE_STATES },
      ],
    },
  );
  return allPages(pages, (page) => page.Reservations?.flatMap((reservation) => reservation.Instances ?? []));
}

/** The discovery describe, shared by discover / diff / status within one run. */
export function describeOnce(ctx: ResourceContext): Promise<Instance[]> {
  return ctx.once(`${RESOURCE_ID}:describe`, () => describeSiteInstances(ctx));
}

/** DescribeInstances by ids; a just-launched id may be NotFound for a few seconds (eventual consistency). */
export async function describeByIds(ctx: ResourceContext, ids: string[]): Promise<Map<string, Instance>> {
  const ec2 = await ctx.aws.ec2();
  const found = new Map<string, Instance>();
  const collect = (instances: Instance[]) => {
    for (const i of instances) if (i.InstanceId) found.set(i.InstanceId, i);
  };
  try {
    // One page: AWS answers every id asked for at once (MaxResults may not go with InstanceIds).
    const page = await ec2.describeInstances({ InstanceIds: ids });
    collect((page.Reservations ?? []).flatMap((r) => r.Instances ?? []));
  } catch (error) {
    if (ctx.awsErrorCode(error) !== 'InvalidInstanceID.NotFound') throw error;
    if (ids.length === 1) return found;
    // One unknown id fails the whole call: ask one by one.
    for (const id of ids) collect([...(await describeByIds(ctx, [id])).values()]);
  }
  return found;
}
