/**
 * The Auto Scaling groups behind a target group, for `site alb status`: found from the targets themselves (AWS
 * tags every instance a group launches with `aws:autoscaling:groupName`), so this plugin needs nothing of the
 * one that owns the group.
 */
import type { ResourceContext } from '@site-cli/core/plugin';

export interface ScalingGroupStatus {
  name: string;
  min: number;
  desired: number;
  max: number;
  instances: { instanceId: string; lifecycleState: string; healthStatus: string }[];
  /** The last scaling activities, newest first, with AWS's cause. */
  activities: { time: string; status: string; description: string; cause: string }[];
}

export async function scalingGroupsOf(
  ctx: ResourceContext,
  instanceIds: string[],
): Promise<ScalingGroupStatus[]> {
  if (instanceIds.length === 0) return [];
  const ec2 = await ctx.aws.ec2();
  const { Reservations = [] } = await ec2.describeInstances({
    Filters: [
      { Name: 'instance-id', Values: instanceIds },
      { Name: 'tag-key', Values: ['aws:autoscaling:groupName'] },
    ],
  });
  const names = [
    ...new Set(
      Reservations.flatMap((r) => r.Instances ?? []).flatMap(
        (i) => i.Tags?.filter((t) => t.Key === 'aws:autoscaling:groupName').map((t) => t.Value ?? '') ?? [],
      ),
    ),
  ].filter(Boolean);
  if (names.length === 0) return [];
  const autoScaling = await ctx.aws.autoScaling();
  const { AutoScalingGroups = [] } = await autoScaling.describeAutoScalingGroups({
    AutoScalingGroupNames: names,
  });
  return Promise.all(
    AutoScalingGroups.map(async (group) => {
      const { Activities = [] } = await autoScaling.describeScalingActivities({
        AutoScalingGroupName: group.AutoScalingGroupName,
        MaxRecords: 5,
      });
      return {
        name: group.AutoScalingGroupName ?? '',
        min: group.MinSize ?? 0,
        desired: group.DesiredCapacity ?? 0,
        max: group.MaxSize ?? 0,
        instances: (group.Instances ?? []).map((i) => ({
          instanceId: i.InstanceId ?? '',
          lifecycleState: i.LifecycleState ?? '',
          healthStatus: i.HealthStatus ?? '',
        })),
        activities: Activities.slice(0, 5).map((a) => ({
          time: a.StartTime instanceof Date ? a.StartTime.toISOString() : String(a.StartTime ?? ''),
          status: a.StatusCode ?? '',
          description: a.Description ?? '',
          cause: a.Cause ?? '',
        })),
      };
    }),
  );
}
