import { deleteIgnoringGone } from '@site-cli/plugin-kit';
import type { LoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CostUsage, ResourceOf, ResourceContext } from '@site-cli/core/plugin';
import { discoverSiteElb, findLoadBalancerByName as findByName } from '../discovery.js';
import { assertOwned } from '../ownership.js';
import { quotaDoctor } from '../doctor.js';
import { checkQuota, countLoadBalancers } from '../quotas.js';
import type { LoadBalancerOutput } from '../outputs.js';

export const RESOURCE_ID = 'alb.load-balancer';

/**
 * A new ALB takes ~150 s to turn active: start at 2 s, cap at 10 s. Noticing it late costs nothing:
 * targets turn healthy only two health-check intervals after it is active, and that wait polls faster.
 */
const ACTIVE_POLL = { initialDelayMs: 2000, factor: 1.5, maxDelayMs: 10_000, timeoutMs: 15 * 60_000 };

/** The LCUs a month is priced at: an assumption, said so wherever the estimate is shown. */
const ASSUMED_LCUS = 1;

/**
 * What the load balancer costs a month: its hours, its LCUs (assumed: they depend on traffic) and a public IPv4
 * address per zone it is in (internet-facing). As configured, it spans every subnet of the VPC.
 */
function loadBalancerCost(ctx: ResourceContext, found: LoadBalancerOutput | undefined): CostUsage[] {
  const zones = found?.zones?.length ?? ctx.outputs.get('network.vpc')?.subnets.length;
  const addresses = zones ?? 2;
  return [
    { item: 'Application Load Balancer', price: { kind: 'alb-hour' }, units: 1, per: 'hour' },
    {
      item: 'Load balancer capacity units (LCU)',
      price: { kind: 'alb-lcu' },
      units: ASSUMED_LCUS,
      per: 'hour',
      assumption: `${ASSUMED_LCUS} LCU on average; a quiet site uses less, heavy traffic (new connections, bytes, rule evaluations) more`,
    },
    {
      item: `${addresses} public IPv4 address${addresses === 1 ? '' : 'es'} of the load balancer (one per zone)`,
      price: { kind: 'public-ipv4' },
      units: addresses,
      per: 'hour',
      ...(zones === undefined ? { assumption: 'two zones, the fewest a load balancer spans' } : {}),
    },
  ];
}

function toOutput(lb: LoadBalancer): LoadBalancerOutput {
  return {
    loadBalancerArn: lb.LoadBalancerArn ?? '',
    loadBalancerName: lb.LoadBalancerName ?? '',
    dnsName: lb.DNSName ?? '',
    state: lb.State?.Code ?? 'unknown',
    zones: (lb.AvailabilityZones ?? []).flatMap((zone) => (zone.ZoneName ? [zone.ZoneName] : [])),
  };
}

async function findByArn(ctx: ResourceContext, arn: string): Promise<LoadBalancer | undefined> {
  const elbv2 = await ctx.aws.elbv2();
  try {
    const { LoadBalancers = [] } = await elbv2.describeLoadBalancers({ LoadBalancerArns: [arn] });
    return LoadBalancers[0];
  } catch (error) {
    if (ctx.awsErrorCode(error) === 'LoadBalancerNotFound') return undefined;
    throw error;
  }
}

const conflict = (ctx: ResourceContext) => ({
  code: 'LOAD_BALANCER_CONFLICT',
  kind: 'load balancer',
  name: ctx.naming.loadBalancer,
});

/**
 * Wait until the load balancer is active; fail with AWS's reason when it failed. ctx.poll, not the SDK's
 * LoadBalancerAvailable waiter: that one polls every 15 s, ignores the run's time scale and reports no progress.
 */
export async function waitActive(ctx: ResourceContext, arn: string): Promise<LoadBalancer> {
  return ctx.poll(
    `load balancer ${ctx.naming.loadBalancer} to be active`,
    async () => {
      // Just created: NotFound for a moment is "not yet".
      const lb = await findByArn(ctx, arn);
      const state = lb?.State?.Code;
      if (state === 'failed' || state === 'active_impaired') {
        throw ctx.error({
          code: 'LOAD_BALANCER_FAILED',
          message: `Load balancer ${ctx.naming.loadBalancer} is ${state}: ${lb?.State?.Reason ?? 'no reason given'}.`,
          suggestions: [
            'Check the subnets (one per AZ, at least two AZs) and the security group, then `site deploy` again.',
          ],
          details: { arn, state },
        });
      }
      ctx.progress(`load balancer ${state ?? 'not visible yet'}`);
      return state === 'active' ? lb : undefined;
    },
    ACTIVE_POLL,
  );
}

/** alb.load-balancer: the internet-facing Application Load Balancer over every subnet. */
export function loadBalancerResource(): ResourceOf<typeof RESOURCE_ID> {
  return {
    id: RESOURCE_ID,
    title: 'Load balancer',
    kind: 'managed',
    dependsOn: ['network.vpc', 'network.alb-security-group'],
    iam: [
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeTags',
      'elasticloadbalancing:CreateLoadBalancer',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:DeleteLoadBalancer',
      'elasticloadbalancing:DescribeAccountLimits',
      // AWS makes the ELB service-linked role with the account's first load balancer, as the caller.
      'iam:CreateServiceLinkedRole',
    ],

    async discover(ctx) {
      const { loadBalancer: lb, tags } = await discoverSiteElb(ctx);
      if (!lb?.LoadBalancerArn) return undefined;
      await assertOwned(ctx, lb.LoadBalancerArn, RESOURCE_ID, conflict(ctx), tags.get(lb.LoadBalancerArn));
      return toOutput(lb);
    },

    async create(ctx) {
      const elbv2 = await ctx.aws.elbv2();
      const vpc = ctx.outputs.require('network.vpc');
      const sg = ctx.outputs.require('network.alb-security-group');
      let lb: LoadBalancer | undefined;
      try {
        const created = await elbv2.createLoadBalancer({
          Name: ctx.naming.loadBalancer,
          Type: 'application',
          Scheme: 'internet-facing',
          IpAddressType: 'ipv4',
          Subnets: vpc.subnets.map((s) => s.subnetId),
          SecurityGroups: [sg.groupId],
          Tags: ctx.tags.forResource(RESOURCE_ID, ctx.naming.loadBalancer),
        });
        lb = created.LoadBalancers?.[0];
      } catch (error) {
        if (ctx.awsErrorCode(error) !== 'DuplicateLoadBalancerName') throw error;
        lb = await findByName(ctx);
      }
      if (!lb?.LoadBalancerArn) {
        throw ctx.error({
          code: 'LOAD_BALANCER_CREATE_FAILED',
          message: `CreateLoadBalancer returned no load balancer for ${ctx.naming.loadBalancer}.`,
        });
      }
      // Same name and settings make CreateLoadBalancer return the existing one: ours only if tagged so.
      await assertOwned(ctx, lb.LoadBalancerArn, RESOURCE_ID, conflict(ctx));
      // Done while still provisioning: the listener can be added now, and alb.site-health waits for
      // 'active' (AWS starts health checks only then), so the ~150 s overlap with everything else.
      return toOutput(lb);
    },

    /** A new load balancer needs room under the account's quota. */
    preflight: (ctx) =>
      checkQuota(ctx, {
        limit: 'application-load-balancers',
        noun: 'Application Load Balancers',
        count: () => countLoadBalancers(ctx),
      }),

    doctor: (ctx, found) =>
      quotaDoctor(
        ctx,
        {
          limit: 'application-load-balancers',
          noun: 'Application Load Balancers',
          count: () => countLoadBalancers(ctx),
        },
        Boolean(found),
      ),

    async destroy(ctx, found) {
      const elbv2 = await ctx.aws.elbv2();
      await deleteIgnoringGone(
        () => elbv2.deleteLoadBalancer({ LoadBalancerArn: found.loadBalancerArn }),
        'LoadBalancerNotFound',
      );
      // ctx.poll, not the SDK's LoadBalancersDeleted waiter: the same reasons as waitActive's.
      await ctx.poll(
        `load balancer ${found.loadBalancerName} to be deleted`,
        async () => ((await findByArn(ctx, found.loadBalancerArn)) ? undefined : true),
        { initialDelayMs: 1000, maxDelayMs: 5000, timeoutMs: 10 * 60_000 },
      );
    },

    async status(_ctx, found) {
      return [
        {
          name: found.loadBalancerName,
          id: found.loadBalancerArn,
          state: found.state,
          detail: found.dnsName,
        },
      ];
    },

    cost: loadBalancerCost,

    summarize: (found) => ({ loadBalancerArn: found.loadBalancerArn, dnsName: found.dnsName }),
  };
}
