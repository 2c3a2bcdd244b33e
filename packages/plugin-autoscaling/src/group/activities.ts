import type { ResourceContext } from '@site-cli/core/plugin';

export interface ScalingActivity {
  time: string;
  status: string;
  description: string;
  /** AWS's reason, in its words. */
  cause: string;
}

/** The group's last scaling activities, newest first (DescribeScalingActivities lists them so). */
export async function lastActivities(
  ctx: ResourceContext,
  name: string,
  count = 5,
): Promise<ScalingActivity[]> {
  const autoScaling = await ctx.aws.autoScaling();
  const { Activities = [] } = await autoScaling.describeScalingActivities({
    AutoScalingGroupName: name,
    MaxRecords: count,
  });
  return Activities.slice(0, count).map((a) => ({
    time: (a.StartTime instanceof Date ? a.StartTime.toISOString() : String(a.StartTime ?? '')) || '',
    status: a.StatusCode ?? '',
    description: a.Description ?? '',
    cause: a.Cause ?? '',
  }));
}
