// Over 300 lines: the group's life (create, update, capacity, describe, delete) shares its checks and its
// output shape; the engine (engine.ts) does what the group does on its own.
import type { SimContext } from '../context.js';
import { AwsError } from '../errors.js';
import { applyFilters, paginate } from '../filters.js';
import type { AutoScalingGroupRec } from '../state.js';
import {
  type ActionDef,
  activityOut,
  asgState,
  causeTime,
  checkMaxRecords,
  findGroup,
  getLiveGroup,
  lifecycleState,
  requireName,
  serviceLinkedRoleArn,
  uuid,
  validation,
} from './common.js';
import { activeRefresh, takeOut, tick } from './engine.js';
import { checkTags, tagOut } from './tags.js';
import { templateSpecOf } from './template-spec.js';

const HEALTH_CHECK_TYPES = ['EC2', 'ELB', 'VPC_LATTICE', 'EBS'];

function checkBounds(min: number, max: number, desired: number): void {
  if (min < 0 || max < 0) throw validation('Min and max sizes must be greater than or equal to 0.');
  if (max < min) throw validation(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  if (desired < min || desired > max)
    throw validation(
      `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`,
    );
}

function subnetsOf(ctx: SimContext, vpcZoneIdentifier: string | undefined): string[] {
  const ids = (vpcZoneIdentifier ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!ids.length) throw validation('At least one Availability Zone or VPC Subnet is required.');
  const subnets = ids.map((id) => {
    const s = ctx.state.subnets.find((x) => x.id === id);
    if (!s) throw validation(`The subnet ID '${id}' does not exist`);
    return s;
  });
  if (new Set(subnets.map((s) => s.vpcId)).size > 1)
    throw validation(`The subnets '${ids.join(', ')}' must all be in the same VPC.`);
  return [...new Set(ids)];
}

/** Subnets for a request that names zones only: the default subnet of each. */
function defaultSubnets(ctx: SimContext, zones: string[]): string[] {
  return zones.map((az) => {
    const s = ctx.state.subnets.find((x) => x.az === az && x.defaultForAz);
    if (!s) throw validation(`Invalid Availability Zone: ${az}`);
    return s.id;
  });
}

function checkTargetGroups(ctx: SimContext, arns: string[], subnetIds: string[]): void {
  const vpc = ctx.state.subnets.find((s) => s.id === subnetIds[0])?.vpcId;
  for (const arn of arns) {
    const tg = ctx.state.targetGroups.find((t) => t.arn === arn);
    if (!tg)
      throw validation('Provided Target Groups may not be valid. Please ensure they exist and try again.');
    if (tg.targetType !== 'instance')
      throw validation(
        `Target group ${arn} has target type ${tg.targetType}; Auto Scaling registers instances.`,
      );
    if (tg.vpcId && vpc && tg.vpcId !== vpc)
      throw validation(`The target group ${arn} is not in the same VPC as the Auto Scaling group's subnets.`);
  }
}

function groupOut(ctx: SimContext, g: AutoScalingGroupRec) {
  const lt = (ctx.state.launchTemplates ?? []).find((t) => t.id === g.template.id);
  const zones = [...new Set(g.subnetIds.map((id) => ctx.state.subnets.find((s) => s.id === id)?.az))];
  return {
    AutoScalingGroupName: g.name,
    AutoScalingGroupARN: g.arn,
    LaunchTemplate: {
      LaunchTemplateId: g.template.id,
      LaunchTemplateName: lt?.name,
      Version: g.template.version,
    },
    MinSize: g.min,
    MaxSize: g.max,
    DesiredCapacity: g.desired,
    DefaultCooldown: g.defaultCooldown,
    AvailabilityZones: zones,
    LoadBalancerNames: [],
    TargetGroupARNs: g.targetGroupArns,
    HealthCheckType: g.healthCheckType,
    HealthCheckGracePeriod: g.healthCheckGracePeriod,
    Instances: g.instances.map((m) => instanceOut(ctx, g, m)),
    CreatedTime: new Date(g.createdAt),
    SuspendedProcesses: [],
    VPCZoneIdentifier: g.subnetIds.join(','),
    EnabledMetrics: [],
    Status: g.deleting ? 'Delete in progress' : undefined,
    Tags: g.tags.map((t) => tagOut(g, t)),
    TerminationPolicies: ['Default'],
    NewInstancesProtectedFromScaleIn: g.newInstancesProtectedFromScaleIn,
    ServiceLinkedRoleARN: serviceLinkedRoleArn(ctx),
    CapacityRebalance: false,
    DefaultInstanceWarmup: g.defaultInstanceWarmup,
    TrafficSources: g.targetGroupArns.map((arn) => ({ Identifier: arn, Type: 'elbv2' })),
  };
}

function instanceOut(ctx: SimContext, g: AutoScalingGroupRec, m: AutoScalingGroupRec['instances'][number]) {
  const inst = ctx.state.instances.find((i) => i.id === m.id);
  const lt = (ctx.state.launchTemplates ?? []).find((t) => t.id === m.templateId);
  return {
    InstanceId: m.id,
    InstanceType: inst?.instanceType,
    AvailabilityZone: inst?.az ?? '',
    LifecycleState: lifecycleState(ctx, m),
    HealthStatus: m.unhealthy ? 'Unhealthy' : 'Healthy',
    LaunchTemplate: {
      LaunchTemplateId: m.templateId,
      LaunchTemplateName: lt?.name,
      Version: String(m.templateVersion),
    },
    ProtectedFromScaleIn: m.protectedFromScaleIn ?? false,
  };
}

/** A change of the desired capacity, and AWS's words for why (the start of the next activity's Cause). */
function setDesired(ctx: SimContext, g: AutoScalingGroupRec, desired: number, why: string): void {
  if (desired !== g.desired)
    g.pendingCause = `At ${causeTime(ctx.now())} ${why} changing the desired capacity from ${g.desired} to ${desired}.`;
  g.desired = desired;
}

export const groupActions: Record<string, ActionDef> = {
  CreateAutoScalingGroup: {
    mutating: true,
    fn(ctx, input) {
      const name = requireName(input.AutoScalingGroupName);
      if (name.includes(':')) throw validation(`Auto Scaling group name '${name}' cannot contain ':'.`);
      const launchers = [
        'LaunchTemplate',
        'LaunchConfigurationName',
        'InstanceId',
        'MixedInstancesPolicy',
      ].filter((k) => input[k] !== undefined);
      if (launchers.length !== 1)
        throw validation(
          'Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.',
        );
      if (!input.LaunchTemplate)
        throw validation(
          `The simulator launches from launch templates only (${launchers[0]} is not supported).`,
        );
      if (input.MinSize === undefined || input.MaxSize === undefined)
        throw validation(
          `1 validation error detected: Value null at '${input.MinSize === undefined ? 'minSize' : 'maxSize'}' failed to satisfy constraint: Member must not be null`,
        );
      const desired: number = input.DesiredCapacity ?? input.MinSize;
      checkBounds(input.MinSize, input.MaxSize, desired);
      const template = templateSpecOf(ctx, input.LaunchTemplate);
      const subnetIds = input.VPCZoneIdentifier
        ? subnetsOf(ctx, input.VPCZoneIdentifier)
        : defaultSubnets(ctx, input.AvailabilityZones ?? []);
      if (!subnetIds.length) throw validation('At least one Availability Zone or VPC Subnet is required.');
      const tgs: string[] = input.TargetGroupARNs ?? [];
      checkTargetGroups(ctx, tgs, subnetIds);
      const healthCheckType: string = input.HealthCheckType ?? 'EC2';
      if (!HEALTH_CHECK_TYPES.includes(healthCheckType))
        throw validation(
          `Invalid health check type '${healthCheckType}'. Valid values: ${HEALTH_CHECK_TYPES.join(', ')}.`,
        );
      const tags = checkTags(input.Tags ?? [], name);
      const st = asgState(ctx);
      if (st.groups.some((g) => g.name === name))
        throw new AwsError(
          'AlreadyExists',
          `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`,
        );
      if (st.serviceLinkedRoleCreatedAt === undefined) {
        // The account's first group: AWS creates AWSServiceRoleForAutoScaling, if the caller may.
        if (ctx.faults.deny?.['iam:CreateServiceLinkedRole'])
          throw new AwsError(
            'AccessDenied',
            `User: arn:aws:iam::${ctx.state.accountId}:user/sim is not authorized to perform: iam:CreateServiceLinkedRole on resource: ${serviceLinkedRoleArn(ctx)}`,
            403,
          );
        st.serviceLinkedRoleCreatedAt = ctx.now();
      }
      const g: AutoScalingGroupRec = {
        name,
        arn: `arn:aws:autoscaling:${ctx.state.region}:${ctx.state.accountId}:autoScalingGroup:${uuid(ctx)}:autoScalingGroupName/${name}`,
        template,
        min: input.MinSize,
        max: input.MaxSize,
        desired: 0,
        defaultCooldown: input.DefaultCooldown ?? 300,
        subnetIds,
        targetGroupArns: tgs,
        healthCheckType,
        healthCheckGracePeriod: input.HealthCheckGracePeriod ?? 0,
        createdAt: ctx.now(),
        instances: [],
        tags,
        newInstancesProtectedFromScaleIn: input.NewInstancesProtectedFromScaleIn ?? false,
        defaultInstanceWarmup: input.DefaultInstanceWarmup,
        advancedTo: ctx.now(),
      };
      setDesired(ctx, g, desired, 'a user request created an AutoScalingGroup');
      st.groups.push(g);
      tick(ctx, g);
      return {};
    },
  },
  UpdateAutoScalingGroup: {
    mutating: true,
    fn(ctx, input) {
      const g = getLiveGroup(ctx, input.AutoScalingGroupName);
      const min: number = input.MinSize ?? g.min;
      const max: number = input.MaxSize ?? g.max;
      // A new min above (or max below) the desired capacity moves it, when no desired capacity is given.
      const desired: number = input.DesiredCapacity ?? Math.min(Math.max(g.desired, min), max);
      checkBounds(min, max, desired);
      const template = input.LaunchTemplate ? templateSpecOf(ctx, input.LaunchTemplate) : g.template;
      const subnetIds = input.VPCZoneIdentifier ? subnetsOf(ctx, input.VPCZoneIdentifier) : g.subnetIds;
      const healthCheckType: string = input.HealthCheckType ?? g.healthCheckType;
      if (!HEALTH_CHECK_TYPES.includes(healthCheckType))
        throw validation(
          `Invalid health check type '${healthCheckType}'. Valid values: ${HEALTH_CHECK_TYPES.join(', ')}.`,
        );
      Object.assign(g, {
        min,
        max,
        template,
        subnetIds,
        healthCheckType,
        healthCheckGracePeriod: input.HealthCheckGracePeriod ?? g.healthCheckGracePeriod,
        defaultCooldown: input.DefaultCooldown ?? g.defaultCooldown,
        defaultInstanceWarmup: input.DefaultInstanceWarmup ?? g.defaultInstanceWarmup,
        newInstancesProtectedFromScaleIn:
          input.NewInstancesProtectedFromScaleIn ?? g.newInstancesProtectedFromScaleIn,
      });
      setDesired(
        ctx,
        g,
        desired,
        `a user request update of AutoScalingGroup constraints to min: ${min}, max: ${max}, desired: ${desired}`,
      );
      tick(ctx, g);
      return {};
    },
  },
  SetDesiredCapacity: {
    mutating: true,
    fn(ctx, input) {
      const g = getLiveGroup(ctx, input.AutoScalingGroupName);
      const desired: number | undefined = input.DesiredCapacity;
      if (desired === undefined)
        throw validation(
          "1 validation error detected: Value null at 'desiredCapacity' failed to satisfy constraint: Member must not be null",
        );
      if (desired > g.max)
        throw validation(
          `New SetDesiredCapacity value ${desired} is above max value ${g.max} for the AutoScalingGroup.`,
        );
      if (desired < g.min)
        throw validation(
          `New SetDesiredCapacity value ${desired} is below min value ${g.min} for the AutoScalingGroup.`,
        );
      setDesired(ctx, g, desired, 'a user request explicitly set group desired capacity');
      tick(ctx, g);
      return {};
    },
  },
  DescribeAutoScalingGroups: {
    mutating: false,
    fn(ctx, input) {
      checkMaxRecords(input.MaxRecords, 100);
      const names: string[] = input.AutoScalingGroupNames ?? [];
      let list = asgState(ctx).groups.filter((g) => !names.length || names.includes(g.name));
      for (const f of input.Filters ?? [])
        if (!/^(tag:.+|tag-key|tag-value)$/.test(f.Name ?? ''))
          throw validation(`Filter name '${f.Name}' is not valid: use tag:<key>, tag-key or tag-value.`);
      list = applyFilters(list, input.Filters, {}, (g) =>
        Object.fromEntries(g.tags.map((t) => [t.Key, t.Value])),
      );
      const { page, next } = paginate(list, input.MaxRecords ?? 50, input.NextToken, 'InvalidNextToken');
      return { AutoScalingGroups: page.map((g) => groupOut(ctx, g)), NextToken: next };
    },
  },
  DescribeAutoScalingInstances: {
    mutating: false,
    fn(ctx, input) {
      checkMaxRecords(input.MaxRecords, 50);
      const ids: string[] = input.InstanceIds ?? [];
      const rows = asgState(ctx).groups.flatMap((g) =>
        g.instances.filter((m) => !ids.length || ids.includes(m.id)).map((m) => ({ g, m })),
      );
      const { page, next } = paginate(rows, input.MaxRecords ?? 50, input.NextToken, 'InvalidNextToken');
      return {
        AutoScalingInstances: page.map(({ g, m }) => ({
          ...instanceOut(ctx, g, m),
          AutoScalingGroupName: g.name,
        })),
        NextToken: next,
      };
    },
  },
  TerminateInstanceInAutoScalingGroup: {
    mutating: true,
    fn(ctx, input) {
      const id: string | undefined = input.InstanceId;
      if (!id)
        throw validation(
          "1 validation error detected: Value null at 'instanceId' failed to satisfy constraint: Member must not be null",
        );
      if (input.ShouldDecrementDesiredCapacity === undefined)
        throw validation(
          "1 validation error detected: Value null at 'shouldDecrementDesiredCapacity' failed to satisfy constraint: Member must not be null",
        );
      const g = asgState(ctx).groups.find((x) => x.instances.some((m) => m.id === id));
      if (!g) throw validation(`Instance Id not found - No managed instance found for instance ID: ${id}`);
      const m = g.instances.find((x) => x.id === id)!;
      const decrement: boolean = input.ShouldDecrementDesiredCapacity;
      if (decrement && g.desired - 1 < g.min)
        throw validation(
          `Currently, desiredSize equals minSize (${g.min}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`,
        );
      if (m.leaving) {
        const open = asgState(ctx).activities.find((a) => a.instanceId === id && a.kind === 'terminate');
        return { Activity: open ? activityOut(ctx, open) : undefined };
      }
      const now = causeTime(ctx.now());
      const cause = decrement
        ? `At ${now} instance ${id} was taken out of service in response to a user request, shrinking the capacity from ${g.desired} to ${g.desired - 1}.`
        : `At ${now} instance ${id} was taken out of service in response to a user request.`;
      if (decrement) g.desired -= 1;
      takeOut(ctx, g, m, 'user', cause);
      const activity = asgState(ctx).activities.at(-1)!;
      tick(ctx, g);
      return { Activity: activityOut(ctx, activity) };
    },
  },
  DeleteAutoScalingGroup: {
    mutating: true,
    fn(ctx, input) {
      const g = findGroup(ctx, input.AutoScalingGroupName);
      if (!g)
        throw validation(
          `AutoScalingGroup name not found - AutoScalingGroup '${input.AutoScalingGroupName}' not found`,
        );
      if (g.deleting) return {};
      if (!input.ForceDelete) {
        if (g.instances.some((m) => !m.leaving))
          throw new AwsError(
            'ResourceInUse',
            'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.',
          );
        if (g.instances.length || activeRefresh(ctx, g.name))
          throw new AwsError(
            'ScalingActivityInProgress',
            'You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.',
          );
      }
      const cause = `At ${causeTime(ctx.now())} a user request deleted the AutoScalingGroup changing the desired capacity from ${g.desired} to 0.`;
      g.deleting = true;
      g.min = g.max = g.desired = 0;
      for (const r of asgState(ctx).refreshes)
        if (r.group === g.name && ['Pending', 'InProgress', 'Cancelling'].includes(r.status)) {
          r.status = 'Cancelled';
          r.endTime = ctx.now();
        }
      for (const m of g.instances.filter((x) => !x.leaving)) takeOut(ctx, g, m, 'deleting', cause);
      tick(ctx, g);
      return {};
    },
  },
  DescribeScalingActivities: {
    mutating: false,
    fn(ctx, input) {
      checkMaxRecords(input.MaxRecords, 100);
      const st = asgState(ctx);
      const name: string | undefined = input.AutoScalingGroupName;
      const ids: string[] = input.ActivityIds ?? [];
      const live = new Set(st.groups.map((g) => g.name));
      const list = st.activities
        .filter((a) => (name === undefined || a.group === name) && (!ids.length || ids.includes(a.id)))
        .filter((a) => input.IncludeDeletedGroups || live.has(a.group))
        .sort((a, b) => b.startTime - a.startTime);
      const { page, next } = paginate(list, input.MaxRecords ?? 100, input.NextToken, 'InvalidNextToken');
      return { Activities: page.map((a) => activityOut(ctx, a)), NextToken: next };
    },
  },
};
