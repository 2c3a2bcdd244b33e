import type { ResourceContext } from '@site-cli/core/plugin';
import { createTestContext, EC2_NAMESPACE } from '@site-cli/core/testing';

export const EC2 = 'http://ec2.test';
const NS = EC2_NAMESPACE;

export interface FakeInstance {
  id: string;
  state: string;
  az?: string;
  subnet?: string;
  type?: string;
  imageId?: string;
  tags?: Record<string, string>;
  launchTime?: string;
  publicIp?: string;
  publicDns?: string;
}

function instanceXml(i: FakeInstance): string {
  const tags = Object.entries(i.tags ?? {})
    .map(([k, v]) => `<item><key>${k}</key><value>${v}</value></item>`)
    .join('');
  const code =
    { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 }[i.state] ?? 0;
  return `<item><instanceId>${i.id}</instanceId><imageId>${i.imageId ?? 'ami-0aaaaaaaaaaaaaaaa'}</imageId>
<instanceState><code>${code}</code><name>${i.state}</name></instanceState>
<privateDnsName>ip-10-0-0-1.ec2.internal</privateDnsName><dnsName>${i.publicDns ?? ''}</dnsName>
<instanceType>${i.type ?? 't2.micro'}</instanceType><launchTime>${i.launchTime ?? '2025-01-01T00:00:00.000Z'}</launchTime>
<placement><availabilityZone>${i.az ?? 'us-east-1a'}</availabilityZone><tenancy>default</tenancy></placement>
<subnetId>${i.subnet ?? 'subnet-a'}</subnetId><vpcId>vpc-1</vpcId><privateIpAddress>10.0.0.1</privateIpAddress>
${i.publicIp ? `<ipAddress>${i.publicIp}</ipAddress>` : ''}<tagSet>${tags}</tagSet></item>`;
}

export function runInstancesXml(i: FakeInstance): string {
  return `<?xml version="1.0" encoding="UTF-8"?><RunInstancesResponse xmlns="${NS}"><requestId>req</requestId>
<reservationId>r-1</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet>${instanceXml(i)}</instancesSet></RunInstancesResponse>`;
}

export function describeInstancesXml(instances: FakeInstance[]): string {
  const reservations = instances
    .map(
      (i) =>
        `<item><reservationId>r-${i.id}</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet>${instanceXml(i)}</instancesSet></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><DescribeInstancesResponse xmlns="${NS}"><requestId>req</requestId><reservationSet>${reservations}</reservationSet></DescribeInstancesResponse>`;
}

export function terminateInstancesXml(ids: string[]): string {
  const items = ids
    .map(
      (id) =>
        `<item><instanceId>${id}</instanceId><currentState><code>32</code><name>shutting-down</name></currentState><previousState><code>16</code><name>running</name></previousState></item>`,
    )
    .join('');
  return `<TerminateInstancesResponse xmlns="${NS}"><requestId>req</requestId><instancesSet>${items}</instancesSet></TerminateInstancesResponse>`;
}

export interface FakeImage {
  id: string;
  name: string;
  created: string;
}

export function describeImagesXml(images: FakeImage[]): string {
  const items = images
    .map(
      (
        i,
      ) => `<item><imageId>${i.id}</imageId><imageLocation>amazon/${i.name}</imageLocation><imageState>available</imageState>
<imageOwnerId>137112412989</imageOwnerId><creationDate>${i.created}</creationDate><isPublic>true</isPublic><architecture>x86_64</architecture>
<imageType>machine</imageType><name>${i.name}</name><rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName></item>`,
    )
    .join('');
  return `<DescribeImagesResponse xmlns="${NS}"><requestId>req</requestId><imagesSet>${items}</imagesSet></DescribeImagesResponse>`;
}

export const DEPENDENCY_OUTPUTS: [string, unknown][] = [
  [
    'compute.ami',
    {
      imageId: 'ami-0123456789abcdef0',
      name: 'al2023-ami-2023.6.20250101.0-kernel-6.1-x86_64',
      creationDate: '2025-01-01T00:00:00.000Z',
      rootDeviceName: '/dev/xvda',
    },
  ],
  [
    'keypair.key-pair',
    {
      keyName: 'barista-cafe-key',
      keyPairId: 'key-1',
      pemPath: '/tmp/barista-cafe-key.pem',
      pemPresent: true,
    },
  ],
  [
    'network.instance-security-group',
    {
      groupId: 'sg-0instance',
      groupName: 'barista-cafe-instance-sg',
      vpcId: 'vpc-1',
      sshCidr: '203.0.113.7/32',
    },
  ],
  [
    'network.vpc',
    {
      vpcId: 'vpc-1',
      cidrBlock: '172.31.0.0/16',
      subnets: [
        { subnetId: 'subnet-b', availabilityZone: 'us-east-1b' },
        { subnetId: 'subnet-a', availabilityZone: 'us-east-1a' },
      ],
    },
  ],
];

export function makeContext(
  configInput: Record<string, unknown> = {},
  options: { maxAttempts?: number; configDir?: string; progress?: string[]; warnings?: string[] } = {},
): ResourceContext {
  const { ctx } = createTestContext(configInput, {
    endpoint: EC2,
    outputs: DEPENDENCY_OUTPUTS,
    maxAttempts: options.maxAttempts,
    configDir: options.configDir,
    log: { progress: options.progress, warnings: options.warnings },
  });
  return ctx;
}
