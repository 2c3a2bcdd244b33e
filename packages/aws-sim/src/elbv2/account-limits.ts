import type { SimContext } from '../context.js';
import { type ActionDef } from '../service.js';
import { err } from '../errors.js';
import { pageSize } from './common.js';

/** ELBv2's default per-region quotas, as DescribeAccountLimits names them. */
export const DEFAULT_ELB_LIMITS: Record<string, number> = {
  'application-load-balancers': 50,
  'condition-values-per-alb-rule': 5,
  'condition-wildcards-per-alb-rule': 5,
  'listeners-per-application-load-balancer': 50,
  'network-load-balancers': 50,
  'rules-per-application-load-balancer': 100,
  'target-groups': 3000,
  'target-groups-per-action-on-application-load-balancer': 5,
  'target-groups-per-application-load-balancer': 100,
  'targets-per-application-load-balancer': 1000,
};

/** The account's limit `name`: the simulator's `limits` option over the defaults. */
export function elbLimit(ctx: SimContext, name: string): number {
  return ctx.limits[name] ?? DEFAULT_ELB_LIMITS[name] ?? Number.POSITIVE_INFINITY;
}

/** CreateLoadBalancer / CreateTargetGroup past the quota fail as AWS does. */
export function checkQuota(ctx: SimContext, kind: 'load balancer' | 'target group'): void {
  if (kind === 'load balancer') {
    const count = ctx.state.loadBalancers.filter((l) => l.type === 'application').length;
    if (count >= elbLimit(ctx, 'application-load-balancers'))
      throw err('TooManyLoadBalancers', 'The quota for the number of load balancers has been reached');
  } else if (ctx.state.targetGroups.length >= elbLimit(ctx, 'target-groups')) {
    throw err('TooManyTargetGroups', 'The quota for the number of target groups has been reached');
  }
}

export const accountLimitActions: Record<string, ActionDef> = {
  DescribeAccountLimits: {
    mutating: false,
    fn(ctx, input) {
      pageSize(input.PageSize);
      const names = [...new Set([...Object.keys(DEFAULT_ELB_LIMITS), ...Object.keys(ctx.limits)])].sort();
      return { Limits: names.map((Name) => ({ Name, Max: String(elbLimit(ctx, Name)) })) };
    },
  },
};
