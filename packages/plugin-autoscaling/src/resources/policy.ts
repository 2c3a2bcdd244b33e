import type { ResourceContext, ResourceOf } from '@site-cli/core/plugin';
import type { PolicyOutput } from '../outputs.js';
import { policyName } from '../names.js';

export const RESOURCE_ID = 'autoscaling.policy';

/**
 * "app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id>": ALBRequestCountPerTarget's resource label,
 * the ends of the two ARNs (Auto Scaling API reference, PredefinedMetricSpecification.ResourceLabel).
 */
export function resourceLabel(loadBalancerArn: string, targetGroupArn: string): string {
  const lb = loadBalancerArn.split(':loadbalancer/')[1] ?? '';
  const tg = targetGroupArn.split(':').pop() ?? '';
  return `${lb}/${tg}`;
}

/** The target-tracking policy the configuration asks for, or undefined when it asks for none. */
export function desiredPolicy(
  ctx: ResourceContext,
): Omit<PolicyOutput, 'policyArn' | 'policyName'> | undefined {
  const scaling = ctx.config.instance.scaling;
  if (scaling?.cpuTarget !== undefined)
    return { metric: 'ASGAverageCPUUtilization', targetValue: scaling.cpuTarget };
  if (scaling?.requestsPerTarget === undefined) return undefined;
  const lb = ctx.outputs.get('alb.load-balancer');
  const tg = ctx.outputs.get('alb.target-group');
  return {
    metric: 'ALBRequestCountPerTarget',
    targetValue: scaling.requestsPerTarget,
    ...(lb && tg ? { resourceLabel: resourceLabel(lb.loadBalancerArn, tg.targetGroupArn) } : {}),
  };
}

/** autoscaling.policy: one target-tracking policy on CPU (cpuTarget) or requests per target (requestsPerTarget). */
export function policyResource(): ResourceOf<typeof RESOURCE_ID> {
  return {
    id: RESOURCE_ID,
    title: 'Scaling policy',
    kind: 'managed',
    // The request count is the load balancer's: it must route to the target group (the listener) first.
    dependsOn: ['autoscaling.group', 'alb.load-balancer', 'alb.target-group', 'alb.listener'],
    iam: ['autoscaling:DescribePolicies', 'autoscaling:PutScalingPolicy', 'autoscaling:DeletePolicy'],

    wanted: (ctx) => desiredPolicy(ctx) !== undefined,

    // Policies carry no tags: the site's own are the ones of its group (found by tags) with its name.
    async discover(ctx) {
      const group = ctx.outputs.get('autoscaling.group');
      if (!group) return undefined;
      const autoScaling = await ctx.aws.autoScaling();
      const { ScalingPolicies = [] } = await autoScaling.describePolicies({
        AutoScalingGroupName: group.groupName,
        PolicyNames: [policyName(ctx)],
      });
      const policy = ScalingPolicies[0];
      if (!policy?.PolicyARN) return undefined;
      const metric = policy.TargetTrackingConfiguration?.PredefinedMetricSpecification;
      return {
        policyName: policy.PolicyName ?? policyName(ctx),
        policyArn: policy.PolicyARN,
        metric: metric?.PredefinedMetricType ?? '',
        targetValue: policy.TargetTrackingConfiguration?.TargetValue ?? 0,
        ...(metric?.ResourceLabel ? { resourceLabel: metric.ResourceLabel } : {}),
      };
    },

    async create(ctx) {
      const desired = desiredPolicy(ctx)!;
      const group = ctx.outputs.require('autoscaling.group');
      const name = policyName(ctx);
      const autoScaling = await ctx.aws.autoScaling();
      const { PolicyARN } = await autoScaling.putScalingPolicy({
        AutoScalingGroupName: group.groupName,
        PolicyName: name,
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingConfiguration: {
          PredefinedMetricSpecification: {
            PredefinedMetricType: desired.metric as 'ASGAverageCPUUtilization',
            ...(desired.resourceLabel ? { ResourceLabel: desired.resourceLabel } : {}),
          },
          TargetValue: desired.targetValue,
        },
      });
      return { policyName: name, policyArn: PolicyARN ?? '', ...desired };
    },

    diff(ctx, found) {
      const desired = desiredPolicy(ctx);
      if (!desired) return [];
      const show = (p: { metric: string; targetValue: number; resourceLabel?: string }) =>
        `${p.metric} ${p.targetValue}${p.resourceLabel ? ` (${p.resourceLabel})` : ''}`;
      return show(found) === show(desired)
        ? []
        : [{ field: 'scaling policy', from: show(found), to: show(desired) }];
    },

    // PutScalingPolicy replaces a policy of the same name in place.
    update: (ctx) => policyResource().create(ctx),

    async destroy(ctx, found) {
      const group = ctx.outputs.get('autoscaling.group');
      const autoScaling = await ctx.aws.autoScaling();
      try {
        await autoScaling.deletePolicy({
          ...(group ? { AutoScalingGroupName: group.groupName } : {}),
          PolicyName: found.policyArn || found.policyName,
        });
      } catch (error) {
        if (!(
          ctx.isAwsError(error, 'ValidationError') &&
          /not found|does not exist/i.test((error as Error).message)
        ))
          throw error;
      }
    },

    status: async (_ctx, found) => [
      {
        name: 'scaling policy',
        id: found.policyName,
        state: `${found.metric} → ${found.targetValue}`,
        detail: 'target tracking',
      },
    ],

    summarize: (found) => ({ policyName: found.policyName, policyArn: found.policyArn }),
  };
}
