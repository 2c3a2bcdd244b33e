import type { ResourceContext } from '@site-cli/core/plugin';
import type { Listener, LoadBalancer, Rule } from '@aws-sdk/client-elastic-load-balancing-v2';

/** The load balancer's listeners (fresh: not the run's memo, after a change). */
export function listenersOf(
  ctx: ResourceContext,
  loadBalancerArn: string,
  fresh = false,
): Promise<Listener[]> {
  const load = async () => {
    const elbv2 = await ctx.aws.elbv2();
    const listeners: Listener[] = [];
    let Marker: string | undefined;
    try {
      do {
        const page = await elbv2.describeListeners({ LoadBalancerArn: loadBalancerArn, Marker });
        listeners.push(...(page.Listeners ?? []));
        Marker = page.NextMarker;
      } while (Marker);
    } catch (error) {
      if (ctx.isAwsError(error, 'LoadBalancerNotFound')) return [];
      throw error;
    }
    return listeners;
  };
  return fresh ? load() : ctx.once(`domain:listeners:${loadBalancerArn}`, load);
}

/** The rules of a listener (its default rule included, as AWS lists it). */
export async function rulesOf(ctx: ResourceContext, listenerArn: string): Promise<Rule[]> {
  const elbv2 = await ctx.aws.elbv2();
  const rules: Rule[] = [];
  let Marker: string | undefined;
  try {
    do {
      const page = await elbv2.describeRules({ ListenerArn: listenerArn, Marker });
      rules.push(...(page.Rules ?? []));
      Marker = page.NextMarker;
    } while (Marker);
  } catch (error) {
    if (ctx.isAwsError(error, 'ListenerNotFound')) return [];
    throw error;
  }
  return rules;
}

/** Tags by ARN, 20 ARNs a DescribeTags. */
export async function tagsByArn(
  ctx: ResourceContext,
  arns: string[],
): Promise<Map<string, Record<string, string>>> {
  const elbv2 = await ctx.aws.elbv2();
  const tags = new Map<string, Record<string, string>>();
  for (let i = 0; i < arns.length; i += 20) {
    const { TagDescriptions = [] } = await elbv2.describeTags({ ResourceArns: arns.slice(i, i + 20) });
    for (const d of TagDescriptions) if (d.ResourceArn) tags.set(d.ResourceArn, ctx.tags.toRecord(d.Tags));
  }
  return tags;
}

/** True when a tag record carries this site's ownership tags for `resourceId`. */
export function ownedBy(
  ctx: ResourceContext,
  tags: Record<string, string> | undefined,
  resourceId: string,
): boolean {
  return ctx.tags.isOwned(
    Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    resourceId,
  );
}

/**
 * The load balancer as DescribeLoadBalancers says it (alb's output lacks what alias records need: the canonical
 * hosted zone id and the IP address type). Once per run.
 */
export function loadBalancerDetail(
  ctx: ResourceContext,
  loadBalancerArn: string,
): Promise<LoadBalancer | undefined> {
  return ctx.once(`domain:load-balancer:${loadBalancerArn}`, async () => {
    const elbv2 = await ctx.aws.elbv2();
    try {
      const { LoadBalancers = [] } = await elbv2.describeLoadBalancers({
        LoadBalancerArns: [loadBalancerArn],
      });
      return LoadBalancers[0];
    } catch (error) {
      if (ctx.isAwsError(error, 'LoadBalancerNotFound')) return undefined;
      throw error;
    }
  });
}
