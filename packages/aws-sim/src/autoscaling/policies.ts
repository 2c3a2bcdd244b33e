import { AwsError } from '../errors.js';
import { paginate } from '../filters.js';
import {
  type ActionDef,
  asgState,
  checkMaxRecords,
  getGroup,
  requireName,
  uuid,
  validation,
} from './common.js';
import type { AsgPolicyRec } from '../state.js';

const PREDEFINED = [
  'ASGAverageCPUUtilization',
  'ASGAverageNetworkIn',
  'ASGAverageNetworkOut',
  'ALBRequestCountPerTarget',
];
const RESOURCE_LABEL = /^app\/[^/]+\/[0-9a-f]+\/targetgroup\/[^/]+\/[0-9a-f]+$/;

function alarms(p: AsgPolicyRec, region: string, account: string) {
  // Target tracking creates two CloudWatch alarms (the simulator has no CloudWatch: they are names only).
  return ['AlarmHigh', 'AlarmLow'].map((kind) => {
    const name = `TargetTracking-${p.group}-${kind}-${p.arn.split(':')[6]}`;
    return { AlarmName: name, AlarmARN: `arn:aws:cloudwatch:${region}:${account}:alarm:${name}` };
  });
}

function policyOut(p: AsgPolicyRec, region: string, account: string) {
  return {
    AutoScalingGroupName: p.group,
    PolicyName: p.name,
    PolicyARN: p.arn,
    PolicyType: p.type,
    EstimatedInstanceWarmup: p.estimatedInstanceWarmup,
    TargetTrackingConfiguration: p.targetTracking,
    Alarms: p.type === 'TargetTrackingScaling' ? alarms(p, region, account) : [],
    Enabled: p.enabled,
  };
}

/** The ALB target group a label names must be one of the group's. */
function checkLabel(label: string | undefined, groupTgs: string[]): void {
  if (!label || !RESOURCE_LABEL.test(label))
    throw validation(
      `Invalid ResourceLabel '${label ?? ''}' for ALBRequestCountPerTarget: expected app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>.`,
    );
  const tgPart = label.slice(label.indexOf('targetgroup/'));
  if (!groupTgs.some((arn) => arn.endsWith(`:${tgPart}`)))
    throw validation(
      `The target group in ResourceLabel '${label}' is not attached to the Auto Scaling group.`,
    );
}

export const policyActions: Record<string, ActionDef> = {
  PutScalingPolicy: {
    mutating: true,
    fn(ctx, input) {
      const g = getGroup(ctx, input.AutoScalingGroupName);
      const name = requireName(input.PolicyName, 'policyName');
      const type: string = input.PolicyType ?? 'SimpleScaling';
      if (!['SimpleScaling', 'StepScaling', 'TargetTrackingScaling', 'PredictiveScaling'].includes(type))
        throw validation(`Invalid policy type '${type}'.`);
      if (type !== 'TargetTrackingScaling')
        throw validation(`The simulator stores target tracking policies only (${type} is not supported).`);
      const tt = input.TargetTrackingConfiguration;
      if (!tt)
        throw validation('TargetTrackingConfiguration is required for policy type TargetTrackingScaling.');
      if (tt.TargetValue === undefined)
        throw validation(
          "1 validation error detected: Value null at 'targetTrackingConfiguration.targetValue' failed to satisfy constraint: Member must not be null",
        );
      const pre = tt.PredefinedMetricSpecification;
      if (!pre === !tt.CustomizedMetricSpecification)
        throw validation(
          'Exactly one of PredefinedMetricSpecification or CustomizedMetricSpecification is required.',
        );
      if (pre) {
        if (!PREDEFINED.includes(pre.PredefinedMetricType))
          throw validation(
            `1 validation error detected: Value '${pre.PredefinedMetricType}' at 'targetTrackingConfiguration.predefinedMetricSpecification.predefinedMetricType' failed to satisfy constraint: Member must satisfy enum value set: [${PREDEFINED.join(', ')}]`,
          );
        if (pre.PredefinedMetricType === 'ALBRequestCountPerTarget')
          checkLabel(pre.ResourceLabel, g.targetGroupArns);
        else if (pre.ResourceLabel !== undefined)
          throw validation(`ResourceLabel is only valid for the ALBRequestCountPerTarget metric type.`);
      }
      const st = asgState(ctx);
      const existing = st.policies.find((p) => p.group === g.name && p.name === name);
      const rec: AsgPolicyRec = {
        group: g.name,
        name,
        arn:
          existing?.arn ??
          `arn:aws:autoscaling:${ctx.state.region}:${ctx.state.accountId}:scalingPolicy:${uuid(ctx)}:autoScalingGroupName/${g.name}:policyName/${name}`,
        type,
        targetTracking: tt,
        enabled: input.Enabled ?? true,
        estimatedInstanceWarmup: input.EstimatedInstanceWarmup,
      };
      st.policies = [...st.policies.filter((p) => p !== existing), rec];
      return { PolicyARN: rec.arn, Alarms: alarms(rec, ctx.state.region, ctx.state.accountId) };
    },
  },
  DescribePolicies: {
    mutating: false,
    fn(ctx, input) {
      checkMaxRecords(input.MaxRecords, 100);
      const names: string[] = input.PolicyNames ?? [];
      const types: string[] = input.PolicyTypes ?? [];
      const group =
        input.AutoScalingGroupName === undefined ? undefined : getGroup(ctx, input.AutoScalingGroupName).name;
      const list = asgState(ctx).policies.filter(
        (p) =>
          (group === undefined || p.group === group) &&
          (!names.length || names.includes(p.name) || names.includes(p.arn)) &&
          (!types.length || types.includes(p.type)),
      );
      const { page, next } = paginate(list, input.MaxRecords ?? 50, input.NextToken, 'InvalidNextToken');
      return {
        ScalingPolicies: page.map((p) => policyOut(p, ctx.state.region, ctx.state.accountId)),
        NextToken: next,
      };
    },
  },
  DeletePolicy: {
    mutating: true,
    fn(ctx, input) {
      const name = requireName(input.PolicyName, 'policyName');
      const st = asgState(ctx);
      // By ARN the group is optional; by name it is needed.
      const group =
        input.AutoScalingGroupName === undefined ? undefined : getGroup(ctx, input.AutoScalingGroupName).name;
      const p = st.policies.find((x) => x.arn === name || (x.name === name && x.group === group));
      if (!p) {
        if (group === undefined && !name.startsWith('arn:'))
          throw validation('AutoScalingGroupName is required when PolicyName is not an ARN.');
        throw new AwsError(
          'ValidationError',
          `Policy ${name} not found for AutoScalingGroup ${group ?? ''}`.trim(),
        );
      }
      st.policies = st.policies.filter((x) => x !== p);
      return {};
    },
  },
};
