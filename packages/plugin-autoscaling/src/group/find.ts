/** Finding the site's group as AWS describes it, and the refresh it may be running. */
import type { AutoScalingGroup, InstanceRefresh } from '@aws-sdk/client-auto-scaling';
import type { ResourceContext } from '@site-cli/core/plugin';
import type { GroupOutput, InstanceRefreshInfo } from '../outputs.js';
import { groupName } from '../names.js';

export const RESOURCE_ID = 'autoscaling.group';

/** Refresh states in which AWS is still at work: a deploy waits for such a refresh, never starts a second. */
export const RUNNING_REFRESH = new Set([
  'Pending',
  'InProgress',
  'Cancelling',
  'RollbackInProgress',
  'Baking',
]);

/** The group of that name, or undefined (a deleted group is described "Delete in progress" for a while). */
export async function describeGroup(
  ctx: ResourceContext,
  name: string,
): Promise<AutoScalingGroup | undefined> {
  const autoScaling = await ctx.aws.autoScaling();
  const { AutoScalingGroups = [] } = await autoScaling.describeAutoScalingGroups({
    AutoScalingGroupNames: [name],
  });
  return AutoScalingGroups.find((g) => g.AutoScalingGroupName === name);
}

/** The site's group, looked up once per run (the launch template's discovery asks too). */
export function findGroup(ctx: ResourceContext): Promise<AutoScalingGroup | undefined> {
  return ctx.once(`${RESOURCE_ID}:describe`, () => describeGroup(ctx, groupName(ctx)));
}

/**
 * Whether a site without instance.scaling may still have a group (it just left scaling, or a destroy with the
 * scaling removed from its configuration): its target group holds targets that are not its fixed instances — a
 * group registers its own. A site that never scaled so pays no Auto Scaling call on any run.
 */
export function mayHaveGroup(ctx: ResourceContext): boolean {
  if (ctx.config.instance.scaling) return true;
  const registered = ctx.outputs.get('alb.targets')?.instanceIds ?? [];
  const fixed = ctx.outputs.get('compute.instances');
  const ours = new Set([...(fixed?.instances ?? []).map((i) => i.instanceId), ...(fixed?.retiring ?? [])]);
  return registered.some((id) => !ours.has(id));
}

/** The group's tags as EC2-style Key/Value pairs, for the ownership check. */
export const groupTags = (group: AutoScalingGroup) =>
  (group.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value }));

/**
 * The newest refresh of the group (AWS lists them newest first). Read tolerantly: an endpoint that does not
 * implement instance refresh (moto) has none running, so there is nothing to wait for.
 */
export async function latestRefresh(
  ctx: ResourceContext,
  name: string,
): Promise<InstanceRefreshInfo | undefined> {
  const autoScaling = await ctx.aws.autoScaling();
  let refreshes: InstanceRefresh[];
  try {
    ({ InstanceRefreshes: refreshes = [] } = await autoScaling.describeInstanceRefreshes({
      AutoScalingGroupName: name,
      MaxRecords: 1,
    }));
  } catch (error) {
    if (!refreshUnsupported(ctx, error)) throw error;
    ctx.log.debug(
      `DescribeInstanceRefreshes is not answered here (${(error as Error).message}): no refresh.`,
    );
    return undefined;
  }
  const refresh = refreshes[0];
  if (!refresh?.InstanceRefreshId) return undefined;
  return {
    instanceRefreshId: refresh.InstanceRefreshId,
    status: refresh.Status ?? 'Pending',
    ...(refresh.PercentageComplete !== undefined ? { percentageComplete: refresh.PercentageComplete } : {}),
    ...(refresh.StatusReason ? { statusReason: refresh.StatusReason } : {}),
  };
}

/**
 * moto answers an Auto Scaling action it does not implement (DescribeInstanceRefreshes) with an HTML page and
 * HTTP 500: no AWS error code at all. AWS's own 5xx carry one (InternalFailure, ServiceUnavailable).
 */
export function refreshUnsupported(ctx: ResourceContext, error: unknown): boolean {
  const code = ctx.awsErrorCode(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  return status >= 500 && (code === undefined || code === 'Error');
}

export function groupOutput(group: AutoScalingGroup, refresh?: InstanceRefreshInfo): GroupOutput {
  return {
    groupName: group.AutoScalingGroupName ?? '',
    groupArn: group.AutoScalingGroupARN ?? '',
    minSize: group.MinSize ?? 0,
    maxSize: group.MaxSize ?? 0,
    desiredCapacity: group.DesiredCapacity ?? 0,
    ...(group.LaunchTemplate?.LaunchTemplateId
      ? { launchTemplateId: group.LaunchTemplate.LaunchTemplateId }
      : {}),
    ...(group.LaunchTemplate?.Version ? { launchTemplateVersion: group.LaunchTemplate.Version } : {}),
    targetGroupArns: [...(group.TargetGroupARNs ?? [])],
    subnetIds: (group.VPCZoneIdentifier ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .sort(),
    instances: (group.Instances ?? []).map((i) => ({
      instanceId: i.InstanceId ?? '',
      availabilityZone: i.AvailabilityZone ?? '',
      lifecycleState: i.LifecycleState ?? '',
      healthStatus: i.HealthStatus ?? '',
      ...(i.LaunchTemplate?.Version ? { launchTemplateVersion: i.LaunchTemplate.Version } : {}),
    })),
    ...(refresh && RUNNING_REFRESH.has(refresh.status) ? { refresh } : {}),
  };
}

/**
 * The group with the refresh it runs, if any. Only a group with instances on another launch template version
 * than its own can be mid-refresh (an interrupted deploy's): asking only then saves the call on every other run.
 */
export async function withRefresh(ctx: ResourceContext, group: GroupOutput): Promise<GroupOutput> {
  const behind = group.instances.some(
    (i) => i.launchTemplateVersion !== undefined && i.launchTemplateVersion !== group.launchTemplateVersion,
  );
  if (!behind) return group;
  const refresh = await latestRefresh(ctx, group.groupName);
  return refresh && RUNNING_REFRESH.has(refresh.status) ? { ...group, refresh } : group;
}
