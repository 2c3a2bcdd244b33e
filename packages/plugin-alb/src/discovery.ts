import type { LoadBalancer, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ResourceContext } from '@site-cli/core/plugin';
import { tagsOfMany, type TagList } from './ownership.js';

/** The site's load balancer by its name; undefined when there is none. */
export async function findLoadBalancerByName(ctx: ResourceContext): Promise<LoadBalancer | undefined> {
  const elbv2 = await ctx.aws.elbv2();
  try {
    const { LoadBalancers = [] } = await elbv2.describeLoadBalancers({ Names: [ctx.naming.loadBalancer] });
    return LoadBalancers[0];
  } catch (error) {
    if (ctx.awsErrorCode(error) === 'LoadBalancerNotFound') return undefined;
    throw error;
  }
}

/** The site's target group by its name; undefined when there is none. */
export async function findTargetGroupByName(ctx: ResourceContext): Promise<TargetGroup | undefined> {
  const elbv2 = await ctx.aws.elbv2();
  try {
    const { TargetGroups = [] } = await elbv2.describeTargetGroups({ Names: [ctx.naming.targetGroup] });
    return TargetGroups[0];
  } catch (error) {
    if (ctx.awsErrorCode(error) === 'TargetGroupNotFound') return undefined;
    throw error;
  }
}

export interface SiteElbResources {
  loadBalancer?: LoadBalancer;
  targetGroup?: TargetGroup;
  /** Tags of whichever of the two exists, by ARN. */
  tags: Map<string, TagList>;
}

/**
 * The load balancer and target group of a discovery, looked up together: both by name at once, then
 * one DescribeTags for both ARNs (instead of one per resource). Memoised for the run.
 */
export function discoverSiteElb(ctx: ResourceContext): Promise<SiteElbResources> {
  return ctx.once('alb:load-balancer+target-group', async () => {
    const [loadBalancer, targetGroup] = await Promise.all([
      findLoadBalancerByName(ctx),
      findTargetGroupByName(ctx),
    ]);
    const arns = [loadBalancer?.LoadBalancerArn, targetGroup?.TargetGroupArn].filter((arn): arn is string =>
      Boolean(arn),
    );
    const tags = arns.length > 0 ? await tagsOfMany(ctx, arns) : new Map<string, TagList>();
    return { loadBalancer, targetGroup, tags };
  });
}
