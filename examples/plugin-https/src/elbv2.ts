import type { ResourceContext } from '@site-cli/core/plugin';
import type { Listener } from './types.js';

/** The tag by which a resource of the site takes over a listener's default action (see plugin-alb's listener). */
export const DEFAULT_ACTION_TAG = 'site:default-action';

/** The load balancer's listeners; one DescribeListeners per discovery, shared by this plugin's resources. */
export function listenersOf(
  ctx: ResourceContext,
  loadBalancerArn: string,
  fresh = false,
): Promise<Listener[]> {
  const load = async () => {
    const elbv2 = await ctx.aws.elbv2();
    try {
      // A Marker loop by hand, not the SDK's paginateDescribeListeners: a paginator accepts only a client of its
      // own copy of the SDK (`instanceof`), and ctx.aws's client comes from the CLI's copy, while this plugin,
      // installed from its tarball, would get a copy of its own ("Invalid client, expected instance of …").
      const listeners: Listener[] = [];
      let Marker: string | undefined;
      do {
        const page = await elbv2.describeListeners({ LoadBalancerArn: loadBalancerArn, Marker });
        listeners.push(...(page.Listeners ?? []));
        Marker = page.NextMarker;
      } while (Marker);
      return listeners;
    } catch (error) {
      if (ctx.awsErrorCode(error) === 'LoadBalancerNotFound') return [];
      throw error;
    }
  };
  return fresh ? load() : ctx.once(`https:listeners:${loadBalancerArn}`, load);
}

/** Tags of these listeners by ARN: DescribeTags takes 20 ARNs a call. Shared per discovery like the above. */
export function listenerTags(
  ctx: ResourceContext,
  listeners: Listener[],
  fresh = false,
): Promise<Map<string, Record<string, string>>> {
  const arns = listeners.map((l) => l.ListenerArn).filter((arn): arn is string => Boolean(arn));
  const load = async () => {
    const elbv2 = await ctx.aws.elbv2();
    const tags = new Map<string, Record<string, string>>();
    for (let i = 0; i < arns.length; i += 20) {
      const { TagDescriptions = [] } = await elbv2.describeTags({ ResourceArns: arns.slice(i, i + 20) });
      for (const d of TagDescriptions) if (d.ResourceArn) tags.set(d.ResourceArn, ctx.tags.toRecord(d.Tags));
    }
    return tags;
  };
  return fresh || arns.length === 0 ? load() : ctx.once(`https:listener-tags:${arns.join(',')}`, load);
}

/** True when a tag record carries this site's ownership tags for `resourceId`. */
export function ownedBy(ctx: ResourceContext, tags: Record<string, string> | undefined, resourceId: string) {
  return ctx.tags.isOwned(
    Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    resourceId,
  );
}
