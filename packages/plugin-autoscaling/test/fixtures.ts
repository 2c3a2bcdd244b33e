import type { ResourceContext } from '@site-cli/core/plugin';
import { createTestContext, ELBV2_NAMESPACE } from '@site-cli/core/testing';
import type { GroupInstance, GroupOutput } from '../src/outputs.js';

export const HOST = 'http://aws.test';
const AUTO_SCALING_NS = 'http://autoscaling.amazonaws.com/doc/2011-01-01/';

export const TG_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/barista-cafe-tg/0123456789abcdef';
export const LB_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/barista-cafe-alb/fedcba9876543210';

/** An Auto Scaling Query answer (awsQuery: <Action>Response/<Action>Result). */
export function asResponse(action: string, result = ''): string {
  return `<${action}Response xmlns="${AUTO_SCALING_NS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></${action}Response>`;
}

export function elbResponse(action: string, result: string): string {
  return `<${action}Response xmlns="${ELBV2_NAMESPACE}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></${action}Response>`;
}

export function asError(code: string, message = code, status = 400): [number, string] {
  return [
    status,
    `<ErrorResponse xmlns="${AUTO_SCALING_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
  ];
}

export const ownTags = (resource = 'autoscaling.group') => ({
  'site:name': 'barista-cafe',
  'site:resource': resource,
  ManagedBy: 'site',
  Name: 'barista-cafe-web',
});

export function instance(id: string, version = '1', state = 'InService', health = 'Healthy'): GroupInstance {
  return {
    instanceId: id,
    availabilityZone: 'us-east-1a',
    lifecycleState: state,
    healthStatus: health,
    launchTemplateVersion: version,
  };
}

/** DescribeAutoScalingGroups' answer for one group. */
export function groupXml(options: {
  min?: number;
  max?: number;
  desired?: number;
  version?: string;
  instances?: GroupInstance[];
  tags?: Record<string, string>;
}): string {
  const instances = (options.instances ?? [])
    .map(
      (i) =>
        `<member><InstanceId>${i.instanceId}</InstanceId><AvailabilityZone>${i.availabilityZone}</AvailabilityZone><LifecycleState>${i.lifecycleState}</LifecycleState><HealthStatus>${i.healthStatus}</HealthStatus><ProtectedFromScaleIn>false</ProtectedFromScaleIn><LaunchTemplate><LaunchTemplateId>lt-0123</LaunchTemplateId><Version>${i.launchTemplateVersion}</Version></LaunchTemplate></member>`,
    )
    .join('');
  const tags = Object.entries(options.tags ?? ownTags())
    .map(
      ([k, v]) =>
        `<member><ResourceId>barista-cafe-asg</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>${k}</Key><Value>${v}</Value><PropagateAtLaunch>true</PropagateAtLaunch></member>`,
    )
    .join('');
  return asResponse(
    'DescribeAutoScalingGroups',
    `<AutoScalingGroups><member><AutoScalingGroupName>barista-cafe-asg</AutoScalingGroupName><AutoScalingGroupARN>arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/barista-cafe-asg</AutoScalingGroupARN><LaunchTemplate><LaunchTemplateId>lt-0123</LaunchTemplateId><Version>${options.version ?? '1'}</Version></LaunchTemplate><MinSize>${options.min ?? 2}</MinSize><MaxSize>${options.max ?? 4}</MaxSize><DesiredCapacity>${options.desired ?? 2}</DesiredCapacity><DefaultCooldown>300</DefaultCooldown><AvailabilityZones><member>us-east-1a</member></AvailabilityZones><TargetGroupARNs><member>${TG_ARN}</member></TargetGroupARNs><HealthCheckType>ELB</HealthCheckType><HealthCheckGracePeriod>300</HealthCheckGracePeriod><Instances>${instances}</Instances><CreatedTime>2026-01-01T00:00:00Z</CreatedTime><VPCZoneIdentifier>subnet-a,subnet-b</VPCZoneIdentifier><Tags>${tags}</Tags></member></AutoScalingGroups>`,
  );
}

export const noGroupXml = () => asResponse('DescribeAutoScalingGroups', '<AutoScalingGroups/>');

export function refreshXml(id: string, status: string, percentage = 50): string {
  return asResponse(
    'DescribeInstanceRefreshes',
    `<InstanceRefreshes><member><InstanceRefreshId>${id}</InstanceRefreshId><AutoScalingGroupName>barista-cafe-asg</AutoScalingGroupName><Status>${status}</Status><PercentageComplete>${percentage}</PercentageComplete></member></InstanceRefreshes>`,
  );
}

export function healthXml(ids: string[], state = 'healthy'): string {
  return elbResponse(
    'DescribeTargetHealth',
    `<TargetHealthDescriptions>${ids
      .map(
        (id) =>
          `<member><Target><Id>${id}</Id><Port>80</Port></Target><TargetHealth><State>${state}</State></TargetHealth></member>`,
      )
      .join('')}</TargetHealthDescriptions>`,
  );
}

/** The outputs the group reads, as a deploy has them by then. */
export const GROUP_INPUTS: [string, unknown][] = [
  [
    'autoscaling.launch-template',
    { launchTemplateId: 'lt-0123', launchTemplateName: 'barista-cafe-lt', version: 2, fingerprint: 'f2' },
  ],
  ['alb.target-group', { targetGroupArn: TG_ARN, targetGroupName: 'barista-cafe-tg' }],
  [
    'alb.load-balancer',
    { loadBalancerArn: LB_ARN, loadBalancerName: 'barista-cafe-alb', dnsName: 'x', state: 'active' },
  ],
  ['compute.launch-spec', { subnetIds: ['subnet-b', 'subnet-a'] }],
];

export function makeContext(
  scaling: Record<string, unknown> = { min: 2, max: 4 },
  outputs: [string, unknown][] = GROUP_INPUTS,
  progress: string[] = [],
): ResourceContext {
  return createTestContext({ instance: { scaling } }, { endpoint: HOST, outputs, log: { progress } }).ctx;
}

export const groupOutputOf = (overrides: Partial<GroupOutput> = {}): GroupOutput => ({
  groupName: 'barista-cafe-asg',
  groupArn: 'arn',
  minSize: 2,
  maxSize: 4,
  desiredCapacity: 2,
  launchTemplateId: 'lt-0123',
  launchTemplateVersion: '2',
  targetGroupArns: [TG_ARN],
  subnetIds: ['subnet-a', 'subnet-b'],
  instances: [instance('i-1', '2'), instance('i-2', '2')],
  ...overrides,
});
