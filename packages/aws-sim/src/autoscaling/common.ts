import type { SimContext } from '../context.js';
import { AwsError } from '../errors.js';
import type { AsgActivityRec, AsgInstanceRec, AutoScalingGroupRec, AutoScalingState } from '../state.js';

export { type ActionDef, NO_CHANGE } from '../service.js';

export const validation = (msg: string) => new AwsError('ValidationError', msg);

/** The account's Auto Scaling records (absent from state files made before the simulator had them). */
export function asgState(ctx: SimContext): AutoScalingState {
  return (ctx.state.autoScaling ??= { groups: [], activities: [], policies: [], refreshes: [] });
}

export function hasGroups(ctx: SimContext): boolean {
  return (ctx.state.autoScaling?.groups.length ?? 0) > 0;
}

export function requireName(name: string | undefined, param = 'autoScalingGroupName'): string {
  if (!name)
    throw validation(
      `1 validation error detected: Value null at '${param}' failed to satisfy constraint: Member must not be null`,
    );
  if (name.length > 255)
    throw validation(
      `1 validation error detected: Value '${name}' at '${param}' failed to satisfy constraint: Member must have length less than or equal to 255`,
    );
  return name;
}

export function findGroup(ctx: SimContext, name: string | undefined): AutoScalingGroupRec | undefined {
  const n = requireName(name);
  // The API takes a group's ARN wherever it takes its name.
  return asgState(ctx).groups.find((g) => g.name === n || g.arn === n);
}

export function getGroup(ctx: SimContext, name: string | undefined): AutoScalingGroupRec {
  const g = findGroup(ctx, name);
  if (!g) throw validation(`AutoScalingGroup name not found - AutoScalingGroup ${name} not found`);
  return g;
}

/** A group being deleted takes no more changes. */
export function getLiveGroup(ctx: SimContext, name: string | undefined): AutoScalingGroupRec {
  const g = getGroup(ctx, name);
  if (g.deleting)
    throw new AwsError(
      'ScalingActivityInProgress',
      `AutoScalingGroup ${g.name} is pending delete: it takes no more changes.`,
    );
  return g;
}

/** AWS's timestamps inside a Cause: ISO 8601 to the second. */
export function causeTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function uuid(ctx: SimContext): string {
  const h = ctx.ids.rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function serviceLinkedRoleArn(ctx: SimContext): string {
  return `arn:aws:iam::${ctx.state.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

export function addActivity(
  ctx: SimContext,
  g: AutoScalingGroupRec,
  a: Omit<AsgActivityRec, 'id' | 'group' | 'startTime'>,
): AsgActivityRec {
  const rec: AsgActivityRec = { id: uuid(ctx), group: g.name, startTime: ctx.now(), ...a };
  asgState(ctx).activities.push(rec);
  return rec;
}

/** Ends the instance's open activity of that kind as AWS does when the launch or termination is done. */
export function endActivity(ctx: SimContext, instanceId: string, kind: AsgActivityRec['kind']): void {
  for (const a of asgState(ctx).activities)
    if (a.instanceId === instanceId && a.kind === kind && a.endTime === undefined) {
      a.statusCode = 'Successful';
      a.endTime = ctx.now();
    }
}

export function activityOut(ctx: SimContext, a: AsgActivityRec) {
  const g = asgState(ctx).groups.find((x) => x.name === a.group);
  return {
    ActivityId: a.id,
    AutoScalingGroupName: a.group,
    Description: a.description,
    Cause: a.cause,
    StartTime: new Date(a.startTime),
    EndTime: a.endTime === undefined ? undefined : new Date(a.endTime),
    StatusCode: a.statusCode,
    StatusMessage: a.statusMessage,
    Progress: a.endTime === undefined ? 30 : 100,
    Details: a.details,
    AutoScalingGroupARN: g?.arn,
  };
}

export function lifecycleState(ctx: SimContext, m: AsgInstanceRec): string {
  if (m.leaving)
    return m.terminateAt !== undefined && ctx.now() < m.terminateAt ? 'Terminating:Wait' : 'Terminating';
  return m.inServiceAt === undefined ? 'Pending' : 'InService';
}

export function checkMaxRecords(max: number | undefined, limit: number): void {
  if (max !== undefined && (max < 1 || max > limit))
    throw validation(
      `1 validation error detected: Value '${max}' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to ${limit}`,
    );
}
