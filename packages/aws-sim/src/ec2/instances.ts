// Over 300 lines: instances are one resource with one record (RunInstances' checks, describe, terminate,
// placement and addresses read the same fields); splitting it would scatter that record's rules.
import { INSTANCE_STATES, type SimContext } from '../context.js';
import { err } from '../errors.js';
import { applyFilters, paginate } from '../filters.js';
import { documentationIpv4, SIM_DNS_ZONE } from '../ids.js';
import type { BlockDeviceRec, InstanceRec, ReservationRec } from '../state.js';
import {
  type ActionDef,
  NO_CHANGE,
  checkMaxResults,
  dryRunCheck,
  notFoundList,
  tagSpecs,
  tagsOut,
} from './common.js';
import { checkImageId } from './images.js';
import { instanceProfileOf } from './instance-profile.js';
import { checkOffered, instanceTypeOfferingActions } from './instance-type-offerings.js';
import type { LaunchOutcome } from '../content/instance-content.js';
import { withLaunchTemplate } from './launch-templates.js';
import { setupOutcomeFor } from './setup-outcome.js';

export function checkInstanceId(id: string): void {
  if (!/^i-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id))
    throw err('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
}

function ipString(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
function ipNumber(s: string): number {
  return s.split('.').reduce((a, p) => a * 256 + Number(p), 0);
}

function isArm(instanceType: string): boolean {
  return /^[a-z]+\d+[a-z]*g[a-z]*\./.test(instanceType);
}

function fmtGmt(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' GMT';
}

export function instanceOut(ctx: SimContext, i: InstanceRec) {
  const name = ctx.instanceStateName(i);
  const region = ctx.state.region;
  const live = name === 'running' || name === 'pending';
  // AWS's shape, in a zone that never resolves: a sandbox host name reaches no one's machine.
  const dnsSuffix =
    region === 'us-east-1' ? `compute-1.${SIM_DNS_ZONE}` : `${region}.compute.${SIM_DNS_ZONE}`;
  const privateDns = `ip-${i.privateIp.replace(/\./g, '-')}.${region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`}`;
  const publicIp = name === 'running' ? i.publicIp : undefined;
  const groups = i.sgIds.map((id) => ({
    GroupId: id,
    GroupName: ctx.state.securityGroups.find((g) => g.id === id)?.name ?? '',
  }));
  const terminating = i.terminateTime !== undefined;
  const image = ctx.state.images.find((im) => im.id === i.imageId);
  return {
    InstanceId: i.id,
    ImageId: i.imageId,
    State: { Code: INSTANCE_STATES[name], Name: name },
    PrivateDnsName: name === 'terminated' ? '' : privateDns,
    PublicDnsName: publicIp ? `ec2-${publicIp.replace(/\./g, '-')}.${dnsSuffix}` : '',
    StateTransitionReason: terminating ? `User initiated (${fmtGmt(i.terminateTime!)})` : '',
    KeyName: i.keyName,
    AmiLaunchIndex: i.launchIndex,
    ProductCodes: [],
    InstanceType: i.instanceType,
    LaunchTime: new Date(i.launchTime),
    Placement: { AvailabilityZone: i.az, GroupName: '', Tenancy: 'default' },
    Monitoring: { State: i.monitoring ? 'enabled' : 'disabled' },
    SubnetId: name === 'terminated' ? undefined : i.subnetId,
    VpcId: name === 'terminated' ? undefined : i.vpcId,
    PrivateIpAddress: name === 'terminated' ? undefined : i.privateIp,
    PublicIpAddress: publicIp,
    Architecture: i.architecture,
    RootDeviceType: 'ebs',
    RootDeviceName: i.rootDeviceName,
    BlockDeviceMappings:
      name === 'terminated'
        ? []
        : i.blockDevices.map((b) => ({
            DeviceName: b.deviceName,
            Ebs: {
              AttachTime: new Date(i.launchTime),
              DeleteOnTermination: b.deleteOnTermination,
              Status: terminating ? 'detaching' : 'attached',
              VolumeId: b.volumeId,
            },
          })),
    ClientToken: i.clientToken ?? '',
    EbsOptimized: false,
    EnaSupport: true,
    Hypervisor: 'xen',
    IamInstanceProfile: i.iamInstanceProfileArn
      ? {
          Arn: i.iamInstanceProfileArn,
          Id: i.iamInstanceProfileId ?? 'AIPA' + i.id.slice(2, 18).toUpperCase(),
        }
      : undefined,
    NetworkInterfaces: live
      ? [
          {
            Association: publicIp
              ? {
                  IpOwnerId: 'amazon',
                  PublicDnsName: `ec2-${publicIp.replace(/\./g, '-')}.${dnsSuffix}`,
                  PublicIp: publicIp,
                }
              : undefined,
            Attachment: {
              AttachTime: new Date(i.launchTime),
              AttachmentId: 'eni-attach-0' + i.id.slice(3, 19),
              DeleteOnTermination: true,
              DeviceIndex: 0,
              Status: 'attached',
              NetworkCardIndex: 0,
            },
            Description: '',
            Groups: groups,
            Ipv6Addresses: [],
            MacAddress: '0a:' + i.id.slice(3, 13).match(/../g)!.join(':'),
            NetworkInterfaceId: 'eni-0' + i.id.slice(3, 19),
            OwnerId: ctx.state.accountId,
            PrivateDnsName: privateDns,
            PrivateIpAddress: i.privateIp,
            PrivateIpAddresses: [
              { Primary: true, PrivateDnsName: privateDns, PrivateIpAddress: i.privateIp },
            ],
            SourceDestCheck: true,
            Status: 'in-use',
            SubnetId: i.subnetId,
            VpcId: i.vpcId,
            InterfaceType: 'interface',
          },
        ]
      : [],
    SecurityGroups: name === 'terminated' ? [] : groups,
    SourceDestCheck: true,
    StateReason:
      name === 'pending'
        ? { Code: 'pending', Message: 'pending' }
        : terminating
          ? {
              Code: 'Client.UserInitiatedShutdown',
              Message: 'Client.UserInitiatedShutdown: User initiated shutdown',
            }
          : undefined,
    Tags: tagsOut(ctx, i.id),
    VirtualizationType: 'hvm',
    CpuOptions: { CoreCount: 1, ThreadsPerCore: 2 },
    CapacityReservationSpecification: { CapacityReservationPreference: 'open' },
    HibernationOptions: { Configured: false },
    MetadataOptions: { State: name === 'pending' ? 'pending' : 'applied', ...i.metadataOptions },
    EnclaveOptions: { Enabled: false },
    BootMode: image?.name.startsWith('al2023') ? 'uefi-preferred' : undefined,
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    UsageOperationUpdateTime: new Date(i.launchTime),
    PrivateDnsNameOptions: {
      HostnameType: 'ip-name',
      EnableResourceNameDnsARecord: false,
      EnableResourceNameDnsAAAARecord: false,
    },
    MaintenanceOptions: { AutoRecovery: 'default' },
  };
}

function reservationOut(ctx: SimContext, r: ReservationRec, instances: InstanceRec[]) {
  return {
    ReservationId: r.id,
    OwnerId: ctx.state.accountId,
    Groups: [],
    Instances: instances.map((i) => instanceOut(ctx, i)),
  };
}

/** Deterministic digest of the request for ClientToken idempotency. */
function paramsHash(input: any): string {
  const { ClientToken: _c, DryRun: _d, ...rest } = input;
  const canon = (v: any): any =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canon(v[k])]),
          )
        : v;
  return JSON.stringify(canon(rest));
}

/**
 * RunInstances' checks and launch, for the API and for services that launch on the caller's behalf (an Auto
 * Scaling group launching from its launch template): what AWS refuses at launch, it refuses for both.
 */
export function runInstances(ctx: SimContext, input: any, outcome: LaunchOutcome = {}) {
  const token: string | undefined = input.ClientToken;
  if (token) {
    const prev = ctx.state.reservations.find((r) => r.clientToken === token);
    if (prev) {
      if (prev.paramsHash !== paramsHash(input))
        throw err(
          'IdempotentParameterMismatch',
          'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).',
        );
      dryRunCheck(input);
      return {
        result: reservationOut(
          ctx,
          prev,
          ctx.state.instances.filter((i) => i.reservationId === prev.id),
        ),
        mutated: false,
      };
    }
  }
  const imageId: string = ctx.requireParam(input.ImageId, 'ImageId');
  checkImageId(imageId);
  const image = ctx.state.images.find((i) => i.id === imageId);
  if (!image) throw err('InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`);
  const minCount: number = ctx.requireParam(input.MinCount, 'MinCount');
  const maxCount: number = ctx.requireParam(input.MaxCount, 'MaxCount');
  if (minCount < 1 || maxCount < minCount)
    throw err(
      'InvalidParameterValue',
      `Invalid value '${minCount}' for minCount. Must be between 1 and maxCount.`,
    );
  if (maxCount > 20)
    throw err(
      'InstanceLimitExceeded',
      `You have requested more instances (${maxCount}) than your current instance limit of 20 allows for the specified instance type.`,
    );
  const instanceType: string = input.InstanceType ?? 'm1.small';
  if (!/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/.test(instanceType))
    throw err('InvalidParameterValue', `Invalid value '${instanceType}' for InstanceType.`);
  const arch = isArm(instanceType) ? 'arm64' : 'x86_64';
  if (arch !== image.arch)
    throw err(
      'InvalidParameterValue',
      `The architecture '${arch}' of the specified instance type does not match the architecture '${image.arch}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`,
    );
  if (input.KeyName && !ctx.state.keyPairs.some((k) => k.name === input.KeyName))
    throw err('InvalidKeyPair.NotFound', `The key pair '${input.KeyName}' does not exist`);

  const nic = input.NetworkInterfaces?.[0];
  const subnetId: string | undefined = input.SubnetId ?? nic?.SubnetId;
  let subnet;
  if (subnetId) {
    subnet = ctx.state.subnets.find((s) => s.id === subnetId);
    if (!subnet) throw err('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`);
  } else {
    const az: string | undefined = input.Placement?.AvailabilityZone;
    subnet = ctx.state.subnets.find((s) => s.defaultForAz && (!az || s.az === az));
    if (!subnet) throw err('InvalidParameterValue', `Invalid availability zone: [${az}]`);
  }
  if (input.Placement?.AvailabilityZone && input.Placement.AvailabilityZone !== subnet.az)
    throw err(
      'InvalidParameterValue',
      `Value (${input.Placement.AvailabilityZone}) for parameter availabilityZone is invalid. Subnet '${subnet.id}' is in the availability zone ${subnet.az}`,
    );
  checkOffered(ctx, subnet.az, instanceType);
  const sgIds: string[] = [...(input.SecurityGroupIds ?? []), ...(nic?.Groups ?? [])];
  for (const id of sgIds) {
    const g = ctx.state.securityGroups.find((s) => s.id === id);
    if (!g)
      throw err(
        'InvalidGroup.NotFound',
        `The security group '${id}' does not exist in VPC '${subnet.vpcId}'`,
      );
    if (g.vpcId !== subnet.vpcId)
      throw err(
        'InvalidParameter',
        `Security group ${id} and subnet ${subnet.id} belong to different networks.`,
      );
  }
  for (const name of (input.SecurityGroups ?? []) as string[]) {
    const g = ctx.state.securityGroups.find((s) => s.name === name && s.vpcId === subnet.vpcId);
    if (!g)
      throw err(
        'InvalidParameterValue',
        `Value () for parameter groupId is invalid. The value cannot be empty`,
      );
    sgIds.push(g.id);
  }
  if (!sgIds.length)
    sgIds.push(ctx.state.securityGroups.find((g) => g.vpcId === subnet.vpcId && g.name === 'default')!.id);

  if (input.UserData !== undefined) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.UserData.replace(/\s/g, '')))
      throw err('InvalidParameterValue', 'Invalid BASE64 encoding of user data.');
    if (input.UserData.length > 25600)
      throw err('InvalidParameterValue', 'User data is limited to 16384 bytes');
  }
  const mo = input.MetadataOptions ?? {};
  if (mo.HttpTokens && !['optional', 'required'].includes(mo.HttpTokens))
    throw err('InvalidParameterValue', `Value (${mo.HttpTokens}) for parameter httpTokens is invalid.`);
  const hop = mo.HttpPutResponseHopLimit ?? (image.name.startsWith('al2023') ? 2 : 1);
  if (hop < 1 || hop > 64)
    throw err('InvalidParameterValue', `Value (${hop}) for parameter httpPutResponseHopLimit is invalid.`);
  const instanceProfile = instanceProfileOf(ctx, input.IamInstanceProfile);

  const bdms: any[] = input.BlockDeviceMappings ?? [];
  for (const b of bdms) {
    if (!b.DeviceName)
      throw err('MissingParameter', 'The request must contain the parameter BlockDeviceMapping.DeviceName');
    const size = b.Ebs?.VolumeSize;
    if (b.DeviceName === image.rootDevice && size !== undefined && size < image.volumeSize)
      throw err(
        'InvalidBlockDeviceMapping',
        `Volume of size ${size}GB is smaller than snapshot 'snap-0${image.id.slice(5, 21)}', expect size >= ${image.volumeSize}GB`,
      );
    if (
      b.Ebs?.VolumeType &&
      !['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1', 'standard'].includes(b.Ebs.VolumeType)
    )
      throw err('InvalidParameterValue', `Value (${b.Ebs.VolumeType}) for parameter volumeType is invalid.`);
  }
  const instanceTags = tagSpecs(input, 'instance');
  const volumeTags = tagSpecs(input, 'volume');
  dryRunCheck(input);

  const now = ctx.now();
  const res: ReservationRec = {
    id: ctx.ids.ec2('r'),
    instanceIds: [],
    clientToken: token,
    paramsHash: token ? paramsHash(input) : undefined,
  };
  const [base, bits] = subnet.cidr.split('/');
  const created: InstanceRec[] = [];
  for (let n = 0; n < maxCount; n++) {
    const devices: BlockDeviceRec[] = [];
    const rootOverride = bdms.find((b) => b.DeviceName === image.rootDevice);
    devices.push({
      deviceName: image.rootDevice,
      volumeId: ctx.ids.ec2('vol'),
      size: rootOverride?.Ebs?.VolumeSize ?? image.volumeSize,
      volumeType: rootOverride?.Ebs?.VolumeType ?? 'gp3',
      encrypted: rootOverride?.Ebs?.Encrypted ?? false,
      kmsKeyId: rootOverride?.Ebs?.KmsKeyId,
      iops: rootOverride?.Ebs?.Iops,
      throughput: rootOverride?.Ebs?.Throughput,
      deleteOnTermination: rootOverride?.Ebs?.DeleteOnTermination ?? true,
    });
    for (const b of bdms)
      if (b.DeviceName !== image.rootDevice && b.Ebs)
        devices.push({
          deviceName: b.DeviceName,
          volumeId: ctx.ids.ec2('vol'),
          size: b.Ebs.VolumeSize ?? 8,
          volumeType: b.Ebs.VolumeType ?? 'gp3',
          encrypted: b.Ebs.Encrypted ?? false,
          kmsKeyId: b.Ebs.KmsKeyId,
          deleteOnTermination: b.Ebs.DeleteOnTermination ?? true,
        });
    const inst: InstanceRec = {
      id: ctx.ids.ec2('i'),
      reservationId: res.id,
      launchIndex: n,
      imageId,
      instanceType,
      keyName: input.KeyName,
      subnetId: subnet.id,
      vpcId: subnet.vpcId,
      az: subnet.az,
      privateIp: ipString(ctx.ids.ip(ipNumber(base!), 2 ** (32 - Number(bits)))),
      publicIp:
        nic?.AssociatePublicIpAddress === false
          ? undefined
          : documentationIpv4(ctx.ids.rng, publicIpsInUse(ctx)),
      sgIds: [...new Set(sgIds)],
      userData: input.UserData,
      ...(outcome.failure === undefined ? {} : { setupFailure: outcome.failure }),
      ...(outcome.version === undefined ? {} : { contentVersion: outcome.version }),
      ...(outcome.paths === undefined ? {} : { contentPaths: outcome.paths }),
      metadataOptions: {
        HttpTokens: mo.HttpTokens ?? (image.name.startsWith('al2023') ? 'required' : 'optional'),
        HttpPutResponseHopLimit: hop,
        HttpEndpoint: mo.HttpEndpoint ?? 'enabled',
        HttpProtocolIpv6: mo.HttpProtocolIpv6 ?? 'disabled',
        InstanceMetadataTags: mo.InstanceMetadataTags ?? 'disabled',
      },
      blockDevices: devices,
      rootDeviceName: image.rootDevice,
      launchTime: now,
      clientToken: token,
      architecture: image.arch,
      iamInstanceProfileArn: instanceProfile?.arn,
      iamInstanceProfileId: instanceProfile?.id,
      monitoring: input.Monitoring?.Enabled ?? false,
    };
    ctx.setTags(inst.id, instanceTags);
    for (const d of devices) ctx.setTags(d.volumeId, volumeTags);
    res.instanceIds.push(inst.id);
    ctx.state.instances.push(inst);
    created.push(inst);
  }
  ctx.state.reservations.push(res);
  return { result: reservationOut(ctx, res, created), mutated: true };
}

/** Public addresses held by instances not yet terminated: a new one never reuses them. */
function publicIpsInUse(ctx: SimContext): Set<string> {
  return new Set(
    ctx.state.instances
      .filter((i) => i.publicIp && ctx.instanceStateName(i) !== 'terminated')
      .map((i) => i.publicIp!),
  );
}

function resolveIds(ctx: SimContext, ids: string[]): InstanceRec[] {
  ids.forEach(checkInstanceId);
  const missing = ids.filter((id) => {
    const i = ctx.findInstance(id);
    return !i || ctx.fresh(i.launchTime);
  });
  if (missing.length) throw notFoundList('InvalidInstanceID.NotFound', 'instance ID', missing);
  return ids.map((id) => ctx.findInstance(id)!);
}

function instanceFilters(ctx: SimContext) {
  const groupNames = (i: InstanceRec) =>
    i.sgIds.map((id) => ctx.state.securityGroups.find((g) => g.id === id)?.name);
  return {
    'instance-id': (i: InstanceRec) => i.id,
    'instance-state-name': (i: InstanceRec) => ctx.instanceStateName(i),
    'instance-state-code': (i: InstanceRec) => INSTANCE_STATES[ctx.instanceStateName(i)],
    'instance-type': (i: InstanceRec) => i.instanceType,
    'image-id': (i: InstanceRec) => i.imageId,
    'key-name': (i: InstanceRec) => i.keyName,
    'vpc-id': (i: InstanceRec) => i.vpcId,
    'subnet-id': (i: InstanceRec) => i.subnetId,
    'availability-zone': (i: InstanceRec) => i.az,
    'reservation-id': (i: InstanceRec) => i.reservationId,
    'private-ip-address': (i: InstanceRec) => i.privateIp,
    'ip-address': (i: InstanceRec) => (ctx.instanceStateName(i) === 'running' ? i.publicIp : undefined),
    'client-token': (i: InstanceRec) => i.clientToken,
    'group-id': (i: InstanceRec) => i.sgIds,
    'instance.group-id': (i: InstanceRec) => i.sgIds,
    'group-name': groupNames,
    'instance.group-name': groupNames,
    architecture: (i: InstanceRec) => i.architecture,
    'launch-time': (i: InstanceRec) => new Date(i.launchTime).toISOString(),
    'metadata-options.http-tokens': (i: InstanceRec) => i.metadataOptions.HttpTokens,
    'root-device-type': () => 'ebs',
    'owner-id': () => ctx.state.accountId,
  };
}

export const instanceActions: Record<string, ActionDef> = {
  ...instanceTypeOfferingActions,
  RunInstances: {
    mutating: true,
    // A dry run launches nothing: its user data is not fetched.
    prepare: (input, content) =>
      input.DryRun ? Promise.resolve({}) : setupOutcomeFor(input.UserData, content),
    fn(ctx, input, prepared) {
      const { request, version } = withLaunchTemplate(ctx, input);
      // The verdict on the user data: the request's own, else the template version's (judged when it was made).
      const outcome = input.UserData === undefined && version ? version.outcome : prepared;
      const { result, mutated } = runInstances(ctx, request, outcome as LaunchOutcome | undefined);
      if (!mutated) (result as any)[NO_CHANGE] = true;
      return result;
    },
  },
  DescribeInstances: {
    mutating: false,
    fn(ctx, input) {
      const ids: string[] = input.InstanceIds ?? [];
      if (ids.length && input.MaxResults !== undefined)
        throw err(
          'InvalidParameterCombination',
          'The parameter instancesSet cannot be used with the parameter maxResults',
        );
      checkMaxResults(input.MaxResults);
      let list = ids.length
        ? resolveIds(ctx, ids)
        : ctx.state.instances.filter((i) => ctx.instanceVisible(i) && !ctx.fresh(i.launchTime));
      list = applyFilters(list, input.Filters, instanceFilters(ctx), (i) => ctx.tagsOf(i.id));
      dryRunCheck(input);
      const { page, next } = paginate(list, input.MaxResults, input.NextToken);
      const reservations: any[] = [];
      for (const r of ctx.state.reservations) {
        const mine = page.filter((i) => i.reservationId === r.id);
        if (mine.length) reservations.push(reservationOut(ctx, r, mine));
      }
      return { Reservations: reservations, NextToken: next };
    },
  },
  DescribeInstanceStatus: {
    mutating: false,
    fn(ctx, input) {
      const ids: string[] = input.InstanceIds ?? [];
      checkMaxResults(input.MaxResults);
      let list = ids.length
        ? resolveIds(ctx, ids)
        : ctx.state.instances.filter((i) => ctx.instanceVisible(i) && !ctx.fresh(i.launchTime));
      if (!input.IncludeAllInstances) list = list.filter((i) => ctx.instanceStateName(i) === 'running');
      const statusOf = (i: InstanceRec) => {
        const s = ctx.instanceStateName(i);
        if (s !== 'running') return 'not-applicable';
        return ctx.now() < ctx.runningSince(i) + ctx.profile.httpdBootMs ? 'initializing' : 'ok';
      };
      list = applyFilters(list, input.Filters, {
        'instance-state-name': (i) => ctx.instanceStateName(i),
        'instance-state-code': (i) => INSTANCE_STATES[ctx.instanceStateName(i)],
        'availability-zone': (i) => i.az,
        'instance-status.status': statusOf,
        'system-status.status': statusOf,
        'instance-status.reachability': (i) => (statusOf(i) === 'ok' ? 'passed' : statusOf(i)),
        'system-status.reachability': (i) => (statusOf(i) === 'ok' ? 'passed' : statusOf(i)),
      });
      dryRunCheck(input);
      const { page, next } = paginate(list, input.MaxResults, input.NextToken);
      return {
        InstanceStatuses: page.map((i) => {
          const s = statusOf(i);
          const detail =
            s === 'not-applicable'
              ? []
              : [{ Name: 'reachability', Status: s === 'ok' ? 'passed' : 'initializing' }];
          const name = ctx.instanceStateName(i);
          return {
            InstanceId: i.id,
            AvailabilityZone: i.az,
            InstanceState: { Code: INSTANCE_STATES[name], Name: name },
            InstanceStatus: { Status: s, Details: detail },
            SystemStatus: { Status: s, Details: detail },
            AttachedEbsStatus: { Status: s, Details: detail },
          };
        }),
        NextToken: next,
      };
    },
  },
  TerminateInstances: {
    mutating: true,
    fn(ctx, input) {
      const ids: string[] = input.InstanceIds ?? [];
      if (!ids.length) throw err('MissingParameter', 'The request must contain the parameter InstanceId');
      ids.forEach(checkInstanceId);
      const missing = ids.filter((id) => !ctx.findInstance(id));
      if (missing.length) throw notFoundList('InvalidInstanceID.NotFound', 'instance ID', missing);
      dryRunCheck(input);
      return {
        TerminatingInstances: ids.map((id) => {
          const i = ctx.findInstance(id)!;
          const prev = ctx.instanceStateName(i);
          if (i.terminateTime === undefined) i.terminateTime = ctx.now();
          const cur = ctx.instanceStateName(i);
          return {
            InstanceId: id,
            PreviousState: { Code: INSTANCE_STATES[prev], Name: prev },
            CurrentState: { Code: INSTANCE_STATES[cur], Name: cur },
          };
        }),
      };
    },
  },
};
