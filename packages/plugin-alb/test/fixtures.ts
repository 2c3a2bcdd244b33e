import type { Resource, ResourceContext } from '@site-cli/core/plugin';
import { createTestContext, ELBV2_NAMESPACE } from '@site-cli/core/testing';

export const ELB = 'http://elb.test';
const NS = ELBV2_NAMESPACE;

export const TG_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/barista-cafe-tg/0123456789abcdef';
export const LB_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/barista-cafe-alb/0123456789abcdef';
export const LISTENER_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/barista-cafe-alb/0123456789abcdef/fedcba9876543210';
export const DNS_NAME = 'barista-cafe-alb-123456789.us-east-1.elb.amazonaws.com';

export function elbResponse(action: string, result: string): string {
  return `<${action}Response xmlns="${NS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></${action}Response>`;
}

export function targetGroupXml(
  overrides: { arn?: string; name?: string; path?: string; interval?: number; matcher?: string } = {},
): string {
  return `<member><TargetGroupArn>${overrides.arn ?? TG_ARN}</TargetGroupArn><TargetGroupName>${overrides.name ?? 'barista-cafe-tg'}</TargetGroupName>
<Protocol>HTTP</Protocol><Port>80</Port><VpcId>vpc-1</VpcId><HealthCheckProtocol>HTTP</HealthCheckProtocol><HealthCheckPort>traffic-port</HealthCheckPort>
<HealthCheckEnabled>true</HealthCheckEnabled><HealthCheckIntervalSeconds>${overrides.interval ?? 10}</HealthCheckIntervalSeconds><HealthCheckTimeoutSeconds>5</HealthCheckTimeoutSeconds>
<HealthyThresholdCount>2</HealthyThresholdCount><UnhealthyThresholdCount>2</UnhealthyThresholdCount><HealthCheckPath>${overrides.path ?? '/'}</HealthCheckPath>
<Matcher><HttpCode>${overrides.matcher ?? '200'}</HttpCode></Matcher><LoadBalancerArns/><TargetType>instance</TargetType></member>`;
}

export function loadBalancerXml(state = 'active'): string {
  return `<member><LoadBalancerArn>${LB_ARN}</LoadBalancerArn><DNSName>${DNS_NAME}</DNSName><CanonicalHostedZoneId>Z35SXDOTRQ7X7K</CanonicalHostedZoneId>
<CreatedTime>2025-01-01T00:00:00.000Z</CreatedTime><LoadBalancerName>barista-cafe-alb</LoadBalancerName><Scheme>internet-facing</Scheme><VpcId>vpc-1</VpcId>
<State><Code>${state}</Code></State><Type>application</Type><AvailabilityZones><member><ZoneName>us-east-1a</ZoneName><SubnetId>subnet-a</SubnetId></member>
<member><ZoneName>us-east-1b</ZoneName><SubnetId>subnet-b</SubnetId></member></AvailabilityZones><SecurityGroups><member>sg-0alb</member></SecurityGroups><IpAddressType>ipv4</IpAddressType></member>`;
}

export function listenerXml(
  port = 80,
  action = `<member><Type>forward</Type><TargetGroupArn>${TG_ARN}</TargetGroupArn></member>`,
): string {
  return `<member><ListenerArn>${LISTENER_ARN}</ListenerArn><LoadBalancerArn>${LB_ARN}</LoadBalancerArn><Port>${port}</Port><Protocol>HTTP</Protocol><DefaultActions>${action}</DefaultActions></member>`;
}

export function tagsXml(arn: string, tags: Record<string, string>): string {
  return tagDescriptionsXml([[arn, tags]]);
}

/** A DescribeTags answer for several resources. */
export function tagDescriptionsXml(resources: [arn: string, tags: Record<string, string>][]): string {
  const descriptions = resources
    .map(([arn, tags]) => {
      const members = Object.entries(tags)
        .map(([k, v]) => `<member><Key>${k}</Key><Value>${v}</Value></member>`)
        .join('');
      return `<member><ResourceArn>${arn}</ResourceArn><Tags>${members}</Tags></member>`;
    })
    .join('');
  return elbResponse('DescribeTags', `<TagDescriptions>${descriptions}</TagDescriptions>`);
}

export function ourTags(resourceId: string, name: string): Record<string, string> {
  return { Name: name, 'site:name': 'barista-cafe', 'site:resource': resourceId, ManagedBy: 'site' };
}

export function targetHealthXml(
  targets: { id: string; state: string; reason?: string; description?: string }[],
): string {
  const members = targets
    .map(
      (t) =>
        `<member><Target><Id>${t.id}</Id><Port>80</Port></Target><HealthCheckPort>80</HealthCheckPort><TargetHealth><State>${t.state}</State>${
          t.reason ? `<Reason>${t.reason}</Reason>` : ''
        }${t.description ? `<Description>${t.description}</Description>` : ''}</TargetHealth></member>`,
    )
    .join('');
  return elbResponse(
    'DescribeTargetHealth',
    `<TargetHealthDescriptions>${members}</TargetHealthDescriptions>`,
  );
}

export const DEPENDENCY_OUTPUTS: [string, unknown][] = [
  [
    'network.vpc',
    {
      vpcId: 'vpc-1',
      cidrBlock: '172.31.0.0/16',
      subnets: [
        { subnetId: 'subnet-a', availabilityZone: 'us-east-1a' },
        { subnetId: 'subnet-b', availabilityZone: 'us-east-1b' },
      ],
    },
  ],
  ['network.alb-security-group', { groupId: 'sg-0alb', groupName: 'barista-cafe-alb-sg', vpcId: 'vpc-1' }],
];

export function makeContext(
  configInput: Record<string, unknown> = {},
  options: {
    outputs?: [string, unknown][];
    simulator?: { endpoint: string };
    endpoint?: string;
    progress?: string[];
    warnings?: string[];
    logSources?: readonly Resource[];
  } = {},
): ResourceContext {
  const { ctx } = createTestContext(configInput, {
    endpoint: options.endpoint ?? ELB,
    outputs: [...DEPENDENCY_OUTPUTS, ...(options.outputs ?? [])],
    simulator: options.simulator,
    log: { progress: options.progress, warnings: options.warnings },
    logSources: options.logSources,
  });
  return ctx;
}
