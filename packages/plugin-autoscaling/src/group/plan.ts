/** Planning the group: what differs from the configuration, and how a new launch template rolls out. */
import type { Change } from '@site-cli/core/plugin';
import type { GroupOutput } from '../outputs.js';

/** What the configuration asks of the group. */
export interface DesiredGroup {
  minSize: number;
  maxSize: number;
  /** Only when the group is created: afterwards the policies and `site scale` decide. */
  desiredCapacity: number;
  launchTemplateId: string;
  launchTemplateVersion: string;
  targetGroupArn: string;
  subnetIds: string[];
}

/**
 * How a launch template change reaches the instances:
 * wait — a refresh is running (this run's or an interrupted one's): wait for it, never start a second;
 * start — some instance runs an older version and no refresh runs: start one;
 * none — every instance runs the group's version.
 */
export type Rollout = 'wait' | 'start' | 'none';

export function rollout(group: Pick<GroupOutput, 'instances' | 'refresh'>, version: string): Rollout {
  if (group.refresh) return 'wait';
  const live = group.instances.filter(
    (i) =>
      !['Terminating', 'Terminated', 'Terminating:Wait', 'Terminating:Proceed'].includes(i.lifecycleState),
  );
  return live.some((i) => i.launchTemplateVersion !== undefined && i.launchTemplateVersion !== version)
    ? 'start'
    : 'none';
}

/** The settings UpdateAutoScalingGroup must change (desired capacity is not one of them: see DesiredGroup). */
export function settingChanges(found: GroupOutput, desired: DesiredGroup): Change[] {
  const changes: Change[] = [];
  if (found.minSize !== desired.minSize || found.maxSize !== desired.maxSize)
    changes.push({
      field: 'group size (min–max)',
      from: `${found.minSize}–${found.maxSize}`,
      to: `${desired.minSize}–${desired.maxSize}`,
    });
  if (
    found.launchTemplateId !== desired.launchTemplateId ||
    found.launchTemplateVersion !== desired.launchTemplateVersion
  )
    changes.push({
      field: 'launch template version',
      from: found.launchTemplateVersion ?? '(none)',
      to: desired.launchTemplateVersion,
    });
  if (found.subnetIds.join(',') !== [...desired.subnetIds].sort().join(','))
    changes.push({ field: 'subnets', from: found.subnetIds, to: [...desired.subnetIds].sort() });
  return changes;
}

/** Everything a deploy must do about an existing group: settings, the target group, and the rollout. */
export function groupChanges(found: GroupOutput, desired: DesiredGroup): Change[] {
  const changes = settingChanges(found, desired);
  if (!found.targetGroupArns.includes(desired.targetGroupArn))
    changes.push({ field: 'target groups', from: found.targetGroupArns, to: [desired.targetGroupArn] });
  const next = rollout(found, desired.launchTemplateVersion);
  if (next === 'wait')
    changes.push({
      field: 'instance refresh',
      from: `${found.refresh!.status} (${found.refresh!.percentageComplete ?? 0}%)`,
      to: 'Successful',
    });
  // Instances on an older version with the group already on the new one: a run stopped before its refresh.
  else if (next === 'start' && !changes.some((c) => c.field === 'launch template version'))
    changes.push({
      field: 'instances on an older launch template',
      from: 'some',
      to: desired.launchTemplateVersion,
    });
  return changes;
}
