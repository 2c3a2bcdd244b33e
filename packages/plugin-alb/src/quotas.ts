import type { ResourceContext } from '@site-cli/core/plugin';
import { allPages } from '@site-cli/plugin-kit';

/**
 * The account's Elastic Load Balancing quotas by name, read once per run. Undefined when they cannot be read
 * (denied, or an emulator without DescribeAccountLimits): the check is advisory, so deploy goes on with a warning.
 */
export function accountLimits(ctx: ResourceContext): Promise<Map<string, number> | undefined> {
  return ctx.once('alb.account-limits', async () => {
    const [elbv2, { paginateDescribeAccountLimits }] = await Promise.all([
      ctx.aws.elbv2(),
      import('@aws-sdk/client-elastic-load-balancing-v2'),
    ]);
    const limits = new Map<string, number>();
    try {
      const all = await allPages(paginateDescribeAccountLimits({ client: elbv2 }, {}), (page) => page.Limits);
      for (const limit of all)
        if (limit.Name && limit.Max !== undefined) limits.set(limit.Name, Number(limit.Max));
    } catch (error) {
      ctx.log.warn(
        `Could not read the Elastic Load Balancing quotas (${ctx.awsErrorCode(error) ?? (error as Error).message}), so deploy did not check them.`,
      );
      return undefined;
    }
    return limits;
  });
}

/** Throw QUOTA_REACHED when the account cannot have one more of what `count` counts. */
export async function checkQuota(
  ctx: ResourceContext,
  quota: { limit: string; noun: string; count: () => Promise<number> },
): Promise<void> {
  const max = (await accountLimits(ctx))?.get(quota.limit);
  if (max === undefined || !Number.isFinite(max)) return;
  const used = await quota.count();
  if (used < max) return;
  throw ctx.error({
    code: 'QUOTA_REACHED',
    message: `The account has ${used} ${quota.noun} in ${ctx.config.region} and its quota (${quota.limit}) is ${max}, so deploy cannot create another.`,
    suggestions: [
      'Delete ones you no longer need (`site destroy` the sites you are done with), or request a higher quota in the Service Quotas console (Elastic Load Balancing).',
      'Nothing was created or changed.',
    ],
    details: { quota: quota.limit, max, used, region: ctx.config.region },
  });
}

/** Application Load Balancers in the region, all pages (400 a page: the most AWS allows, the fewest calls). */
export async function countLoadBalancers(ctx: ResourceContext): Promise<number> {
  const [elbv2, { paginateDescribeLoadBalancers }] = await Promise.all([
    ctx.aws.elbv2(),
    import('@aws-sdk/client-elastic-load-balancing-v2'),
  ]);
  const all = await allPages(
    paginateDescribeLoadBalancers({ client: elbv2 }, { PageSize: 400 }),
    (page) => page.LoadBalancers,
  );
  return all.filter((lb) => (lb.Type ?? 'application') === 'application').length;
}

/** Target groups in the region, all pages. */
export async function countTargetGroups(ctx: ResourceContext): Promise<number> {
  const [elbv2, { paginateDescribeTargetGroups }] = await Promise.all([
    ctx.aws.elbv2(),
    import('@aws-sdk/client-elastic-load-balancing-v2'),
  ]);
  const all = await allPages(
    paginateDescribeTargetGroups({ client: elbv2 }, { PageSize: 400 }),
    (page) => page.TargetGroups,
  );
  return all.length;
}
