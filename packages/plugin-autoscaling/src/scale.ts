/** `site scale`: change the group's capacity now, within its bounds, and wait until it serves at that size. */
import type { ResourceContext } from '@site-cli/core/plugin';
import type { GroupInstance, GroupOutput } from './outputs.js';
import { describeGroup, groupOutput } from './group/find.js';

export interface ScaleRequest {
  desired: number;
  min?: number;
  max?: number;
  wait: boolean;
}

export interface ScaleResult {
  groupName: string;
  before: { min: number; desired: number; max: number };
  after: { min: number; desired: number; max: number };
  /** The instances when the command returned (all InService and healthy, unless --no-wait). */
  instances: GroupInstance[];
  waited: boolean;
}

/** The largest group `site scale` takes: the same bound as instance.scaling.max. */
export const SCALE_MAX = 20;

/** Bad bounds are the user's to fix, found before any call that changes something: exit 2. */
export function checkBounds(
  ctx: ResourceContext,
  group: GroupOutput,
  request: ScaleRequest,
): { min: number; max: number } {
  const min = request.min ?? group.minSize;
  const max = request.max ?? group.maxSize;
  const problem =
    !Number.isInteger(request.desired) || request.desired < 0
      ? `the desired capacity must be a whole number ≥ 0 (got ${request.desired})`
      : max > SCALE_MAX
        ? `--max ${max} is more than ${SCALE_MAX}, the most instance.scaling allows`
        : min > max
          ? `--min ${min} is more than --max ${max}`
          : request.desired < min || request.desired > max
            ? `${request.desired} is outside the group's bounds ${min}–${max}${request.min === undefined && request.max === undefined ? '' : ' (with the flags given)'}`
            : undefined;
  if (problem)
    throw ctx.error({
      code: 'SCALE_OUT_OF_BOUNDS',
      message: `site scale: ${problem}. Nothing was changed.`,
      suggestions: [
        `Pick a number within ${min}–${max}, or move the bounds with --min / --max (e.g. \`site scale ${request.desired} --min ${Math.min(min, Math.max(0, request.desired))} --max ${Math.min(SCALE_MAX, Math.max(max, request.desired))}\`).`,
      ],
      exitCode: 2,
      details: { desired: request.desired, min, max },
    });
  return { min, max };
}

/** Live instances: the ones a group counts toward its capacity (terminating ones are on their way out). */
const live = (i: GroupInstance) =>
  !i.lifecycleState.startsWith('Terminat') && i.lifecycleState !== 'Detached';

/** Wait until exactly `desired` instances are in the group, all InService and Healthy, and healthy behind the load balancer. */
export async function waitSettled(
  ctx: ResourceContext,
  name: string,
  desired: number,
  targetGroupArn?: string,
): Promise<GroupOutput> {
  const elbv2 = targetGroupArn ? await ctx.aws.elbv2() : undefined;
  return ctx.poll(
    `${name} to run ${desired} healthy instance${desired === 1 ? '' : 's'}`,
    async () => {
      const group = await describeGroup(ctx, name);
      if (!group)
        throw ctx.error({ code: 'GROUP_GONE', message: `The Auto Scaling group ${name} disappeared.` });
      const output = groupOutput(group);
      const instances = output.instances.filter(live);
      const ready = instances.filter((i) => i.lifecycleState === 'InService' && i.healthStatus === 'Healthy');
      ctx.progress(`${ready.length}/${desired} in service (${instances.length} in the group)`);
      if (instances.length !== desired || ready.length !== desired) return undefined;
      if (!elbv2 || desired === 0) return output;
      const { TargetHealthDescriptions = [] } = await elbv2.describeTargetHealth({
        TargetGroupArn: targetGroupArn,
        Targets: ready.map((i) => ({ Id: i.instanceId, Port: 80 })),
      });
      const healthy = TargetHealthDescriptions.filter((d) => d.TargetHealth?.State === 'healthy').length;
      ctx.progress(`${healthy}/${desired} healthy behind the load balancer`);
      return healthy >= desired ? output : undefined;
    },
    { initialDelayMs: 1000, factor: 1.5, maxDelayMs: 5000, timeoutMs: 20 * 60_000 },
  );
}

/**
 * Scale: one call — SetDesiredCapacity, or UpdateAutoScalingGroup when the bounds move too — so an interrupt
 * leaves nothing half-done on site's side (AWS carries the change through), then wait.
 */
export async function scale(
  ctx: ResourceContext,
  group: GroupOutput,
  request: ScaleRequest,
): Promise<ScaleResult> {
  const { min, max } = checkBounds(ctx, group, request);
  const autoScaling = await ctx.aws.autoScaling();
  if (min !== group.minSize || max !== group.maxSize)
    await autoScaling.updateAutoScalingGroup({
      AutoScalingGroupName: group.groupName,
      MinSize: min,
      MaxSize: max,
      DesiredCapacity: request.desired,
    });
  else
    await autoScaling.setDesiredCapacity({
      AutoScalingGroupName: group.groupName,
      DesiredCapacity: request.desired,
      HonorCooldown: false,
    });
  let after = group;
  if (request.wait)
    after = await waitSettled(ctx, group.groupName, request.desired, group.targetGroupArns[0]);
  else {
    const now = await describeGroup(ctx, group.groupName);
    if (now) after = groupOutput(now);
  }
  return {
    groupName: group.groupName,
    before: { min: group.minSize, desired: group.desiredCapacity, max: group.maxSize },
    after: { min, desired: request.desired, max },
    instances: after.instances,
    waited: request.wait,
  };
}
