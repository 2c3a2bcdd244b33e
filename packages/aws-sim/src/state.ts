// Over 300 lines: the record types of every resource the simulator keeps, in one place, with the initial
// state and the loading of a state file: what a state file holds is read here alone.
import { zonesOf } from './ec2/zones.js';
import { createHash } from 'node:crypto';
import { deriveSeed } from './ids.js';

export type Tags = Record<string, string>;

export interface VpcRec {
  id: string;
  cidr: string;
  isDefault: boolean;
}
export interface SubnetRec {
  id: string;
  vpcId: string;
  cidr: string;
  az: string;
  azId: string;
  defaultForAz: boolean;
}
export interface ImageRec {
  id: string;
  name: string;
  description: string;
  ownerId: string;
  ownerAlias?: string;
  arch: 'x86_64' | 'arm64';
  creationDate: string;
  rootDevice: string;
  volumeSize: number;
}
export interface KeyPairRec {
  id: string;
  name: string;
  type: 'rsa' | 'ed25519';
  fingerprint: string;
  publicKey?: string;
  createdAt: number;
}
/** One atomic ingress/egress permission: exactly one of cidr, ipv6 or groupId. */
export interface RuleRec {
  ruleId: string;
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidr?: string;
  ipv6?: string;
  groupId?: string;
  description?: string;
}
export interface SecurityGroupRec {
  id: string;
  name: string;
  description: string;
  vpcId: string;
  createdAt: number;
  ingress: RuleRec[];
  egress: RuleRec[];
}
export interface BlockDeviceRec {
  deviceName: string;
  volumeId: string;
  size: number;
  volumeType: string;
  encrypted: boolean;
  kmsKeyId?: string;
  iops?: number;
  throughput?: number;
  deleteOnTermination: boolean;
}
export interface InstanceRec {
  id: string;
  reservationId: string;
  launchIndex: number;
  imageId: string;
  instanceType: string;
  keyName?: string;
  subnetId: string;
  vpcId: string;
  az: string;
  privateIp: string;
  publicIp?: string;
  sgIds: string[];
  userData?: string;
  /** Why its setup script fails (ec2/setup-outcome.ts); absent when it serves the site. */
  setupFailure?: string;
  /** The version its site zip publishes (content/instance-content.ts): a hash of the files. */
  contentVersion?: string;
  /** The paths of the files that version publishes: what the health checks find, in any process. */
  contentPaths?: string[];
  metadataOptions: {
    HttpTokens: string;
    HttpPutResponseHopLimit: number;
    HttpEndpoint: string;
    InstanceMetadataTags: string;
    HttpProtocolIpv6: string;
  };
  blockDevices: BlockDeviceRec[];
  rootDeviceName: string;
  launchTime: number;
  terminateTime?: number;
  clientToken?: string;
  architecture: string;
  iamInstanceProfileArn?: string;
  iamInstanceProfileId?: string;
  monitoring: boolean;
}
export interface ReservationRec {
  id: string;
  instanceIds: string[];
  clientToken?: string;
  paramsHash?: string;
}
export interface TargetRec {
  id: string;
  port: number;
  registeredAt: number;
  deregisteredAt?: number;
}
export interface TargetGroupRec {
  arn: string;
  name: string;
  protocol?: string;
  protocolVersion?: string;
  port?: number;
  vpcId?: string;
  targetType: string;
  healthCheck: {
    protocol: string;
    port: string;
    path: string;
    enabled: boolean;
    intervalSeconds: number;
    timeoutSeconds: number;
    healthyThresholdCount: number;
    unhealthyThresholdCount: number;
    matcher: string;
  };
  ipAddressType: string;
  attributes: Record<string, string>;
  targets: TargetRec[];
  createdAt: number;
  /**
   * Since when each load balancer (by ARN) has had a listener forwarding to this group, without a break: health
   * checks run from then on, whichever listener forwards (a port-80 listener turning into a redirect while an
   * HTTPS one forwards does not restart them).
   */
  attachedSince?: Record<string, number>;
}
export interface LoadBalancerRec {
  arn: string;
  name: string;
  dnsName: string;
  scheme: string;
  type: string;
  ipAddressType: string;
  vpcId: string;
  subnets: { subnetId: string; az: string }[];
  sgIds: string[];
  attributes: Record<string, string>;
  createdAt: number;
}
export interface ListenerRec {
  arn: string;
  lbArn: string;
  port: number;
  protocol: string;
  defaultActions: any[];
  certificates?: any[];
  sslPolicy?: string;
  createdAt: number;
}
/** A listener rule besides the default one (its default actions are the listener's). */
export interface ListenerRuleRec {
  arn: string;
  listenerArn: string;
  priority: number;
  conditions: any[];
  actions: any[];
}
/** Network interfaces of a deleted load balancer: they keep its security groups in use until releaseAt. */
export interface EniHoldRec {
  sgIds: string[];
  releaseAt: number;
}

/** One version of an EC2 launch template: its data as the request gave it (RequestLaunchTemplateData). */
export interface LaunchTemplateVersionRec {
  number: number;
  description?: string;
  data: Record<string, any>;
  createdAt: number;
  /** What its user data's setup makes of the site source (ec2/setup-outcome.ts), judged when the version was made. */
  outcome?: { failure?: string; version?: string; paths?: string[] };
}
export interface LaunchTemplateRec {
  id: string;
  name: string;
  createdAt: number;
  defaultVersion: number;
  latestVersion: number;
  versions: LaunchTemplateVersionRec[];
}
/** An instance's place in an Auto Scaling group. */
export interface AsgInstanceRec {
  id: string;
  /** The template version it was launched from (resolved number). */
  templateVersion: number;
  templateId: string;
  /** Set when the group decided to take it out (scale-in, refresh, unhealthy, deletion). */
  leaving?: 'scale-in' | 'refresh' | 'unhealthy' | 'deleting' | 'user';
  unhealthy?: boolean;
  launchedAt: number;
  /** When it was registered with the group's target groups and went InService. */
  inServiceAt?: number;
  /** When the group terminates it (after its targets drained). */
  terminateAt?: number;
  /** An instance refresh launched it to replace this one (launch before terminate). */
  replaces?: string;
  protectedFromScaleIn?: boolean;
}
export interface AsgActivityRec {
  id: string;
  group: string;
  description: string;
  cause: string;
  startTime: number;
  endTime?: number;
  statusCode: string;
  statusMessage?: string;
  details: string;
  /** The instance the activity launched or terminates: its end is derived from it. */
  instanceId?: string;
  kind: 'launch' | 'terminate';
}
export interface AsgPolicyRec {
  group: string;
  name: string;
  arn: string;
  type: string;
  targetTracking: Record<string, any>;
  enabled: boolean;
  estimatedInstanceWarmup?: number;
}
export interface InstanceRefreshRec {
  id: string;
  group: string;
  status: 'Pending' | 'InProgress' | 'Successful' | 'Failed' | 'Cancelling' | 'Cancelled';
  statusReason?: string;
  startTime: number;
  endTime?: number;
  minHealthyPercentage: number;
  maxHealthyPercentage: number;
  instanceWarmup?: number;
  skipMatching: boolean;
  desiredTemplate?: { id: string; version: string };
  /** Instances still to replace, then those the refresh launched in their place. */
  toReplace: string[];
  total: number;
  replaced: number;
}
export interface AutoScalingGroupRec {
  name: string;
  arn: string;
  template: { id: string; version: string };
  min: number;
  max: number;
  desired: number;
  defaultCooldown: number;
  subnetIds: string[];
  targetGroupArns: string[];
  healthCheckType: string;
  healthCheckGracePeriod: number;
  createdAt: number;
  instances: AsgInstanceRec[];
  tags: { Key: string; Value: string; PropagateAtLaunch: boolean }[];
  /** Set by DeleteAutoScalingGroup: the group goes once its instances are gone. */
  deleting?: boolean;
  newInstancesProtectedFromScaleIn: boolean;
  defaultInstanceWarmup?: number;
  /** Why the desired capacity last changed: the start of the next launch's or termination's Cause. */
  pendingCause?: string;
  /** After a failed launch, the engine tries again from then. */
  retryLaunchAt?: number;
  /** Failed launches in a row: the back-off grows with them. */
  launchFailures?: number;
  /** Where the engine got to: it replays what happened from here on the next look. */
  advancedTo: number;
}
export interface AutoScalingState {
  groups: AutoScalingGroupRec[];
  activities: AsgActivityRec[];
  policies: AsgPolicyRec[];
  refreshes: InstanceRefreshRec[];
}

/** An ACM certificate the account requested (DNS validation). Its status is derived from timestamps and DNS. */
export interface CertificateRec {
  arn: string;
  domainName: string;
  /** The domain name first, then the other names, as ACM lists them. */
  subjectAlternativeNames: string[];
  validationMethod: string;
  keyAlgorithm: string;
  idempotencyToken?: string;
  requestedAt: number;
  /**
   * When it was issued, kept once a change could remove what issued it (its validation records): until then
   * the status is derived from the records and the clock on every read.
   */
  issuedAt?: number;
}
export interface ResourceRecordSetRec {
  name: string;
  type: string;
  ttl?: number;
  values?: string[];
  alias?: { hostedZoneId: string; dnsName: string; evaluateTargetHealth: boolean };
  setIdentifier?: string;
  /** When the change that wrote it was submitted (it resolves once that change is INSYNC). */
  changedAt: number;
}
export interface HostedZoneRec {
  /** Without the `/hostedzone/` prefix. */
  id: string;
  /** Lower case, with the trailing dot. */
  name: string;
  callerReference: string;
  comment?: string;
  privateZone: boolean;
  nameServers: string[];
  records: ResourceRecordSetRec[];
  createdAt: number;
}
export interface ChangeRec {
  id: string;
  submittedAt: number;
  comment?: string;
}

/** One version of an S3 object (the only one, `versionId: 'null'`, while the bucket was never versioned). */
export interface S3ObjectRec {
  key: string;
  versionId: string;
  /** A delete marker has no body. */
  deleteMarker?: boolean;
  /** The bytes, base64 (the state file is JSON). */
  body: string;
  size: number;
  /** MD5 of the bytes, hex, quoted as S3 sends it. */
  etag: string;
  lastModified: number;
  contentType?: string;
  metadata?: Record<string, string>;
  /** The additional checksum the upload sent (`CRC32`, `SHA256`, …), base64 as S3 returns it. */
  checksum?: { algorithm: string; value: string };
}
export interface BucketRec {
  name: string;
  region: string;
  createdAt: number;
  publicAccessBlock?: Record<string, boolean>;
  encryption: unknown;
  versioning?: 'Enabled' | 'Suspended';
  lifecycleRules?: unknown[];
  tags?: { Key: string; Value: string }[];
  policy?: string;
  /** Every version of every key, oldest first. */
  objects: S3ObjectRec[];
  /** Multipart uploads begun and neither completed nor aborted. */
  uploads?: MultipartUploadRec[];
}
export interface MultipartUploadRec {
  id: string;
  key: string;
  initiated: number;
  contentType?: string;
  metadata?: Record<string, string>;
  /** Parts by number: bytes base64, MD5 ETag. */
  parts: Record<string, { body: string; size: number; etag: string }>;
}
export interface RoleRec {
  name: string;
  id: string;
  path: string;
  arn: string;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  createdAt: number;
  tags: { Key: string; Value: string }[];
  /** Inline policies by name. */
  policies: Record<string, string>;
  /** ARNs of the managed policies attached (absent in state files from before). */
  attached?: string[];
}
export interface InstanceProfileRec {
  name: string;
  id: string;
  path: string;
  arn: string;
  createdAt: number;
  roleNames: string[];
  tags: { Key: string; Value: string }[];
}

export interface SimState {
  version: 1;
  /**
   * Counts the writes of the state file, whichever simulator made them: a simulator adopts a file of a
   * higher generation than its own and never writes over one (files from before it count as 0).
   */
  generation?: number;
  region: string;
  accountId: string;
  /** PRNG states, persisted so a restored sim keeps making fresh, reproducible ids. */
  rng: { ids: number; faults: number; requests: number };
  vpcs: VpcRec[];
  subnets: SubnetRec[];
  images: ImageRec[];
  keyPairs: KeyPairRec[];
  securityGroups: SecurityGroupRec[];
  reservations: ReservationRec[];
  instances: InstanceRec[];
  targetGroups: TargetGroupRec[];
  loadBalancers: LoadBalancerRec[];
  listeners: ListenerRec[];
  eniHolds: EniHoldRec[];
  tags: Record<string, Tags>;
  /** Absent in state files from before launch templates. */
  launchTemplates?: LaunchTemplateRec[];
  autoScaling?: AutoScalingState;
  /** Listener rules (absent in state files written before them). */
  rules?: ListenerRuleRec[];
  /** ACM (absent in state files written before it). */
  certificates?: CertificateRec[];
  /** Route 53, global like AWS's (absent in state files written before it). */
  hostedZones?: HostedZoneRec[];
  changes?: ChangeRec[];
  /** S3 buckets and their objects (absent in state files from before S3). */
  buckets?: BucketRec[];
  /** IAM roles and instance profiles (absent in state files from before IAM). */
  iam?: { roles: RoleRec[]; instanceProfiles: InstanceProfileRec[] };
}

export const AMAZON_OWNER = '137112412989';

function stableHex(s: string, n: number): string {
  return createHash('sha256').update(s).digest('hex').slice(0, n);
}

function images(): ImageRec[] {
  const out: ImageRec[] = [];
  const add = (
    name: string,
    creationDate: string,
    arch: 'x86_64' | 'arm64',
    ownerId = AMAZON_OWNER,
    desc?: string,
  ) =>
    out.push({
      id: `ami-0${stableHex(`${ownerId}/${name}`, 16)}`,
      name,
      description: desc ?? `Amazon Linux AMI ${name}`,
      ownerId,
      ownerAlias: ownerId === AMAZON_OWNER ? 'amazon' : undefined,
      arch,
      creationDate,
      rootDevice: '/dev/xvda',
      volumeSize: name.includes('minimal') ? 2 : 8,
    });
  const builds: [string, string][] = [
    ['2023.5.20240916.0', '2024-09-16T21:13:50.000Z'],
    ['2023.6.20241111.0', '2024-11-11T19:41:03.000Z'],
    ['2023.6.20250115.0', '2025-01-15T22:04:11.000Z'],
    ['2023.6.20250203.1', '2025-02-03T20:31:47.000Z'],
  ];
  for (const [v, d] of builds) {
    add(`al2023-ami-${v}-kernel-6.1-x86_64`, d, 'x86_64');
    add(`al2023-ami-${v}-kernel-6.1-arm64`, d, 'arm64');
    add(`al2023-ami-minimal-${v}-kernel-6.1-x86_64`, d, 'x86_64');
  }
  add('amzn2-ami-kernel-5.10-hvm-2.0.20250123.4-x86_64-gp2', '2025-01-24T01:12:00.000Z', 'x86_64');
  add('amzn2-ami-hvm-2.0.20250123.4-x86_64-gp2', '2025-01-24T01:10:00.000Z', 'x86_64');
  // Newer than every amazon build and matching the usual name filter: only an owner filter excludes it.
  add(
    'al2023-ami-2023.9.20250301.0-kernel-6.1-x86_64',
    '2025-03-01T09:00:00.000Z',
    'x86_64',
    '210987654321',
    'community copy',
  );
  return out;
}

export function initialState(region: string, accountId: string, seed: number): SimState {
  const vpcId = `vpc-0${stableHex(`${seed}/${region}/vpc`, 16)}`;
  // AZ ids as AWS spells them: us-east-1 → use1, ap-northeast-1 → apne1.
  const dirs: Record<string, string> = {
    north: 'n',
    south: 's',
    east: 'e',
    west: 'w',
    central: 'c',
    northeast: 'ne',
    southeast: 'se',
    northwest: 'nw',
    southwest: 'sw',
  };
  const [geo = 'us', dir = 'east', num = '1'] = region.split('-');
  const prefix = `${geo}${dirs[dir] ?? dir[0]}${num}`;
  return {
    version: 1,
    region,
    accountId,
    rng: { ids: deriveSeed(seed, 1), faults: deriveSeed(seed, 2), requests: deriveSeed(seed, 3) },
    vpcs: [{ id: vpcId, cidr: '172.31.0.0/16', isDefault: true }],
    subnets: zonesOf(region, prefix).map((zone, i) => ({
      id: `subnet-0${stableHex(`${seed}/${region}/subnet/${zone.name.slice(region.length)}`, 16)}`,
      vpcId,
      cidr: `172.31.${i * 16}.0/20`,
      az: zone.name,
      azId: zone.id,
      defaultForAz: true,
    })),
    images: images(),
    keyPairs: [],
    securityGroups: [
      {
        id: `sg-0${stableHex(`${seed}/${region}/sg-default`, 16)}`,
        name: 'default',
        description: 'default VPC security group',
        vpcId,
        createdAt: 0,
        ingress: [],
        egress: [
          { ruleId: `sgr-0${stableHex(`${seed}/default-egress`, 16)}`, protocol: '-1', cidr: '0.0.0.0/0' },
        ],
      },
    ],
    reservations: [],
    instances: [],
    targetGroups: [],
    loadBalancers: [],
    listeners: [],
    eniHolds: [],
    tags: {},
    certificates: [],
    hostedZones: [],
    changes: [],
    buckets: [],
    iam: { roles: [], instanceProfiles: [] },
  };
}

export function loadState(json: unknown): SimState {
  const s = json as SimState;
  if (!s || s.version !== 1 || !Array.isArray(s.instances))
    throw new Error('aws-sim: unrecognised state file');
  return s;
}
