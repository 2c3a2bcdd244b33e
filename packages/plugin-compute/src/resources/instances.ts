import type { Instance, RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import type { Change, PreflightAction, ResourceContext, ResourceOf, StatusRow } from '@site-cli/core/plugin';
import {
  clientToken,
  desiredSpec,
  specTags,
  SSH_USER,
  TAG_AMI,
  TAG_FINGERPRINT,
  TAG_INDEX,
  TAG_TEMPLATE,
  TAG_USER_DATA,
  TAG_VOLUME_SIZE,
  sha256,
  type InstanceSpec,
} from '../spec.js';
import type { KeyPairOutput } from '@site-cli/plugin-keypair/outputs';
import type { InstanceSecurityGroupOutput, VpcOutput } from '@site-cli/plugin-network/outputs';
import type { AmiOutput, InstanceInfo, InstancesOutput } from '../outputs.js';

export const RESOURCE_ID = 'compute.instances';

/**
 * States of an instance that still exists for us (terminated ones are history). `shutting-down` counts: an
 * interrupted run may have left it so, and it still holds its security group until it is terminated.
 */
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];
const SERVING_STATES = new Set(['pending', 'running']);

const stateOf = (instance: Instance) => instance.State?.Name ?? '';

const RUNNING_POLL = { initialDelayMs: 1000, factor: 1.5, maxDelayMs: 5000, timeoutMs: 10 * 60_000 };
const TERMINATED_POLL = { initialDelayMs: 2000, factor: 1.5, maxDelayMs: 5000, timeoutMs: 10 * 60_000 };

function tagValue(instance: Instance, key: string): string | undefined {
  return instance.Tags?.find((t) => t.Key === key)?.Value;
}

export function toInfo(instance: Instance): InstanceInfo {
  const index = Number(tagValue(instance, TAG_INDEX));
  const info: InstanceInfo = {
    instanceId: instance.InstanceId ?? '',
    availabilityZone: instance.Placement?.AvailabilityZone ?? '',
    subnetId: instance.SubnetId ?? '',
    state: instance.State?.Name ?? 'unknown',
  };
  if (instance.PrivateIpAddress) info.privateIpAddress = instance.PrivateIpAddress;
  if (instance.PublicIpAddress) info.publicIpAddress = instance.PublicIpAddress;
  if (instance.PublicDnsName) info.publicDnsName = instance.PublicDnsName;
  if (instance.InstanceType) info.instanceType = instance.InstanceType;
  if (instance.ImageId) info.imageId = instance.ImageId;
  if (instance.LaunchTime) info.launchTime = new Date(instance.LaunchTime).toISOString();
  const fingerprint = tagValue(instance, TAG_FINGERPRINT);
  if (fingerprint) info.fingerprint = fingerprint;
  if (Number.isInteger(index) && index >= 0) info.index = index;
  return info;
}

/** ONE DescribeInstances for this site's instances (tag filters server-side), all pages. */
export async function describeSiteInstances(ctx: ResourceContext): Promise<Instance[]> {
  const ec2 = await ctx.aws.ec2();
  const found: Instance[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.describeInstances({
      Filters: [
        ...ctx.tags.resourceFilters(RESOURCE_ID),
        { Name: 'instance-state-name', Values: LIVE_STATES },
      ],
      NextToken,
    });
    for (const reservation of page.Reservations ?? []) found.push(...(reservation.Instances ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

/** The discovery describe, shared by discover / diff / status within one run. */
function describeOnce(ctx: ResourceContext): Promise<Instance[]> {
  return ctx.once(`${RESOURCE_ID}:describe`, () => describeSiteInstances(ctx));
}

export interface Partition {
  /** Instances matching the spec, one per index < count, by index. */
  keep: Instance[];
  /** Everything else: another fingerprint, a surplus index, a duplicate, stopped. */
  stale: Instance[];
}

/** Split what exists into the instances to keep and the ones to retire. */
export function partition(
  instances: Instance[],
  spec: Pick<InstanceSpec, 'fingerprint' | 'count'>,
): Partition {
  const byIndex = new Map<number, Instance>();
  const stale: Instance[] = [];
  const ordered = [...instances].sort((a, b) =>
    String(a.LaunchTime ?? '').localeCompare(String(b.LaunchTime ?? '')),
  );
  for (const instance of ordered) {
    const index = Number(tagValue(instance, TAG_INDEX));
    const matches =
      tagValue(instance, TAG_FINGERPRINT) === spec.fingerprint &&
      Number.isInteger(index) &&
      index >= 0 &&
      index < spec.count &&
      SERVING_STATES.has(instance.State?.Name ?? '') &&
      !byIndex.has(index);
    if (matches) byIndex.set(index, instance);
    else stale.push(instance);
  }
  const keep = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, instance]) => instance);
  return { keep, stale };
}

function output(
  ctx: ResourceContext,
  spec: InstanceSpec,
  keep: Instance[],
  stale: Instance[],
  imageId?: string,
): InstancesOutput {
  const instances = keep.map(toInfo);
  const host = instances[0]?.publicDnsName || instances[0]?.publicIpAddress;
  const key = ctx.outputs.get('keypair.key-pair');
  return {
    instances,
    retiring: stale.map((i) => i.InstanceId ?? '').filter(Boolean),
    fingerprint: spec.fingerprint,
    instanceType: spec.instanceType,
    imageId: imageId ?? keep[0]?.ImageId ?? stale[0]?.ImageId ?? spec.fixedImageId ?? '',
    sshUser: SSH_USER,
    ssh: host && key?.pemPresent ? `ssh -i ${key.pemPath} ${SSH_USER}@${host}` : undefined,
  };
}

/** DescribeInstances by ids; a just-launched id may be NotFound for a few seconds (eventual consistency). */
async function describeByIds(ctx: ResourceContext, ids: string[]): Promise<Map<string, Instance>> {
  const ec2 = await ctx.aws.ec2();
  const found = new Map<string, Instance>();
  const collect = (instances: Instance[]) => {
    for (const i of instances) if (i.InstanceId) found.set(i.InstanceId, i);
  };
  try {
    const page = await ec2.describeInstances({ InstanceIds: ids });
    collect((page.Reservations ?? []).flatMap((r) => r.Instances ?? []));
  } catch (error) {
    if (ctx.awsErrorCode(error) !== 'InvalidInstanceID.NotFound') throw error;
    if (ids.length === 1) return found;
    // One unknown id fails the whole call: ask one by one.
    for (const id of ids) collect([...(await describeByIds(ctx, [id])).values()]);
  }
  return found;
}

async function waitRunning(ctx: ResourceContext, ids: string[]): Promise<Instance[]> {
  if (ids.length === 0) return [];
  return ctx.poll(
    `instance${ids.length > 1 ? 's' : ''} ${ids.join(', ')} to be running`,
    async () => {
      const found = await describeByIds(ctx, ids);
      for (const instance of found.values()) {
        const state = instance.State?.Name;
        if (
          state === 'shutting-down' ||
          state === 'terminated' ||
          state === 'stopped' ||
          state === 'stopping'
        ) {
          const reason = instance.StateReason?.Message ?? instance.StateTransitionReason ?? 'no reason given';
          throw ctx.error({
            code: 'INSTANCE_LAUNCH_FAILED',
            message: `Instance ${instance.InstanceId} went ${state} instead of running: ${reason}.`,
            suggestions: [
              'Check the instance type is offered in this AZ and the account has vCPU quota left.',
              'Run `site deploy` again to launch a replacement.',
            ],
            details: { instanceId: instance.InstanceId, state, reason },
          });
        }
      }
      const running = ids.filter((id) => found.get(id)?.State?.Name === 'running');
      ctx.progress(`${running.length}/${ids.length} instance${ids.length > 1 ? 's' : ''} running`);
      return running.length === ids.length ? ids.map((id) => found.get(id) as Instance) : undefined;
    },
    RUNNING_POLL,
  );
}

async function terminateAndWait(ctx: ResourceContext, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const ec2 = await ctx.aws.ec2();
  try {
    await ec2.terminateInstances({ InstanceIds: ids });
  } catch (error) {
    if (ctx.awsErrorCode(error) !== 'InvalidInstanceID.NotFound') throw error;
    for (const id of ids) {
      try {
        await ec2.terminateInstances({ InstanceIds: [id] });
      } catch (inner) {
        if (ctx.awsErrorCode(inner) !== 'InvalidInstanceID.NotFound') throw inner;
      }
    }
  }
  await ctx.poll(
    `instance${ids.length > 1 ? 's' : ''} ${ids.join(', ')} to terminate`,
    async () => {
      const found = await describeByIds(ctx, ids);
      const left = ids.filter((id) => {
        const state = found.get(id)?.State?.Name;
        return state !== undefined && state !== 'terminated';
      });
      ctx.progress(`${ids.length - left.length}/${ids.length} terminated`);
      return left.length === 0 ? true : undefined;
    },
    TERMINATED_POLL,
  );
}

interface LaunchInputs {
  spec: InstanceSpec;
  ami: AmiOutput;
  keyPair: KeyPairOutput;
  securityGroup: InstanceSecurityGroupOutput;
  subnets: VpcOutput['subnets'];
}

async function launchInputs(ctx: ResourceContext, spec: InstanceSpec): Promise<LaunchInputs> {
  return {
    ...(await launchPlace(ctx, spec)),
    keyPair: ctx.outputs.require('keypair.key-pair'),
    securityGroup: ctx.outputs.require('network.instance-security-group'),
  };
}

/**
 * The Availability Zones that offer the instance type: EC2 DescribeInstanceTypeOfferings by zone name, every
 * page (the SDK's paginator). Read tolerantly: an offering of another type (an endpoint that ignored the
 * filter) does not count. Once per run and type.
 */
export function zonesOffering(ctx: ResourceContext, instanceType: string): Promise<Set<string>> {
  return ctx.once(`${RESOURCE_ID}:offerings:${instanceType}`, async () => {
    const [ec2, { paginateDescribeInstanceTypeOfferings }] = await Promise.all([
      ctx.aws.ec2(),
      import('@aws-sdk/client-ec2'),
    ]);
    const zones = new Set<string>();
    const pages = paginateDescribeInstanceTypeOfferings(
      { client: ec2 },
      { LocationType: 'availability-zone', Filters: [{ Name: 'instance-type', Values: [instanceType] }] },
    );
    for await (const page of pages)
      for (const offering of page.InstanceTypeOfferings ?? [])
        if (offering.Location && (offering.InstanceType ?? instanceType) === instanceType)
          zones.add(offering.Location);
    return zones;
  });
}

/**
 * Where instances go: the VPC's subnets (one per zone) in the zones that offer the instance type, in zone
 * order; instance i goes to the (i mod n)-th, so they spread evenly over those zones. One zone is enough —
 * instances then share it; the load balancer's own need (subnets in two zones) is network.vpc's check. No
 * zone at all is bad input, found before anything is created (deploy's preflight): exit 2.
 */
export async function placement(
  ctx: ResourceContext,
  instanceType: string,
  vpc: Pick<VpcOutput, 'vpcId' | 'subnets'>,
): Promise<VpcOutput['subnets']> {
  const subnets = [...vpc.subnets].sort(
    (a, b) => a.availabilityZone.localeCompare(b.availabilityZone) || a.subnetId.localeCompare(b.subnetId),
  );
  if (subnets.length === 0) {
    throw ctx.error({
      code: 'NO_SUBNETS',
      message: `The VPC ${vpc.vpcId} has no subnets to launch instances in.`,
      details: { vpcId: vpc.vpcId },
    });
  }
  const offering = await zonesOffering(ctx, instanceType);
  const usable = subnets.filter((s) => offering.has(s.availabilityZone));
  if (usable.length > 0) return usable;
  const zones = subnets.map((s) => s.availabilityZone);
  throw ctx.error({
    code: 'INSTANCE_TYPE_NOT_OFFERED',
    message:
      `instance.type: ${instanceType} is not offered in any Availability Zone of the VPC ${vpc.vpcId} ` +
      `(${zones.join(', ')}) in ${ctx.config.region}` +
      (offering.size > 0 ? `; AWS offers it only in ${[...offering].sort().join(', ')}.` : '.'),
    suggestions: [
      `Choose an instance type offered there (see: aws ec2 describe-instance-type-offerings --location-type availability-zone --filters Name=instance-type,Values=${instanceType} --region ${ctx.config.region}), e.g. t3.micro.`,
      'Or set region (or vpc.id) to one whose zones offer it.',
    ],
    exitCode: 2,
    details: { key: 'instance.type', value: instanceType, zones, offeredIn: [...offering].sort() },
  });
}

/** Everything of a launch but the key pair and the security group (which may not exist before deploy). */
async function launchPlace(
  ctx: ResourceContext,
  spec: InstanceSpec,
): Promise<Omit<LaunchInputs, 'keyPair' | 'securityGroup'>> {
  const vpc = ctx.outputs.require('network.vpc');
  const subnets = await placement(ctx, spec.instanceType, vpc);
  return { spec, ami: ctx.outputs.require('compute.ami'), subnets };
}

/**
 * Preflight: may this identity launch what the deploy will launch (RunInstances with DryRun and the real
 * parameters: AMI, type, subnet, user data, IMDSv2, encrypted volume, tags)? The key pair and the security
 * group go in when they exist already; a fresh deploy creates them first, so AWS cannot see them yet.
 */
async function preflightLaunch(ctx: ResourceContext, action: PreflightAction): Promise<void> {
  const spec = await desiredSpec(ctx);
  // Nothing exists on create; an update launches only the instances it is missing.
  if (action !== 'create' && partition(await describeSiteInstances(ctx), spec).keep.length >= spec.count)
    return;
  const keyPair = ctx.outputs.get('keypair.key-pair');
  const group = ctx.outputs.get('network.instance-security-group');
  const request = runInstancesRequest(
    ctx,
    {
      ...(await launchPlace(ctx, spec)),
      keyPair: keyPair ?? ({} as KeyPairOutput),
      securityGroup: group ?? ({} as InstanceSecurityGroupOutput),
    },
    0,
  );
  // Not the launch's ClientToken (the SDK fills in a random one): a dry run must never stand for the launch.
  const { ClientToken: _token, KeyName: _key, SecurityGroupIds: _groups, ...rest } = request;
  const ec2 = await ctx.aws.ec2();
  await ctx.dryRun(['ec2:RunInstances', 'ec2:CreateTags'], () =>
    ec2.runInstances({
      ...rest,
      ...(keyPair ? { KeyName: keyPair.keyName } : {}),
      ...(group ? { SecurityGroupIds: [group.groupId] } : {}),
      DryRun: true,
    }),
  );
}

/** The exact RunInstances request for instance `index` (one instance per call: one token each). */
export function runInstancesRequest(
  ctx: ResourceContext,
  inputs: LaunchInputs,
  index: number,
  salt?: string,
): RunInstancesCommandInput {
  const { spec, ami, keyPair, securityGroup, subnets } = inputs;
  const subnet = subnets[index % subnets.length];
  const tags = ctx.tags.forResource(
    RESOURCE_ID,
    `${ctx.naming.instance}-${index + 1}`,
    specTags(spec, index),
  );
  return {
    ImageId: ami.imageId,
    InstanceType: spec.instanceType as RunInstancesCommandInput['InstanceType'],
    KeyName: keyPair.keyName,
    MinCount: 1,
    MaxCount: 1,
    SecurityGroupIds: [securityGroup.groupId],
    SubnetId: subnet.subnetId,
    UserData: Buffer.from(spec.userData, 'utf8').toString('base64'),
    ClientToken: clientToken(ctx.naming.site, securityGroup.groupId, spec.fingerprint, index, salt),
    MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 2 },
    BlockDeviceMappings: [
      {
        DeviceName: ami.rootDeviceName ?? '/dev/xvda',
        Ebs: { VolumeSize: spec.volumeSize, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true },
      },
    ],
    TagSpecifications: [
      { ResourceType: 'instance', Tags: tags },
      { ResourceType: 'volume', Tags: tags },
    ],
  };
}

/**
 * Launch instance `index`. A retried or resumed launch reuses the ClientToken, so AWS answers with the
 * instance it already launched. When that instance is one we are retiring (or it is gone), the token is
 * salted with its id — deterministic, so a retry of that launch is idempotent too.
 */
async function launch(
  ctx: ResourceContext,
  inputs: LaunchInputs,
  index: number,
  retiring: Set<string>,
): Promise<string> {
  const ec2 = await ctx.aws.ec2();
  let salt: string | undefined;
  for (let attempt = 0; attempt < 4; attempt++) {
    const result = await ec2.runInstances(runInstancesRequest(ctx, inputs, index, salt));
    const instance = result.Instances?.[0];
    const id = instance?.InstanceId;
    if (!id)
      throw ctx.error({ code: 'INSTANCE_LAUNCH_FAILED', message: 'RunInstances returned no instance.' });
    const state = instance.State?.Name ?? 'pending';
    if (!retiring.has(id) && SERVING_STATES.has(state)) {
      ctx.log.debug(
        `launched ${id} (index ${index}) in ${instance.Placement?.AvailabilityZone ?? instance.SubnetId}`,
      );
      return id;
    }
    salt = salt === undefined ? id : `${salt}\n${id}`;
  }
  throw ctx.error({
    code: 'INSTANCE_LAUNCH_FAILED',
    message: `RunInstances keeps answering with retired instances for index ${index}.`,
    suggestions: ['Run `site destroy` and deploy again.'],
  });
}

/** Keep what matches, launch what is missing, wait until running. Stale instances are left for finalize. */
async function converge(ctx: ResourceContext): Promise<InstancesOutput> {
  const spec = await desiredSpec(ctx);
  // Discovery first, always: a resumed deploy never launches a duplicate.
  const { keep, stale } = partition(await describeSiteInstances(ctx), spec);
  const have = new Set(keep.map((i) => Number(tagValue(i, TAG_INDEX))));
  const missing = Array.from({ length: spec.count }, (_, i) => i).filter((i) => !have.has(i));
  const retiring = new Set(stale.map((i) => i.InstanceId ?? ''));
  let launched: string[] = [];
  if (missing.length > 0) {
    const inputs = await launchInputs(ctx, spec);
    ctx.progress(
      `launching ${missing.length} instance${missing.length > 1 ? 's' : ''} (${spec.instanceType})`,
    );
    launched = await Promise.all(missing.map((index) => launch(ctx, inputs, index, retiring)));
  }
  const ids = [...keep.map((i) => i.InstanceId as string), ...launched];
  const running = await waitRunning(ctx, ids);
  const ordered = running.sort((a, b) => Number(tagValue(a, TAG_INDEX)) - Number(tagValue(b, TAG_INDEX)));
  return output(ctx, spec, ordered, stale, ctx.outputs.get('compute.ami')?.imageId);
}

/** Explain a fingerprint change in the user's words, from the tags the stale instances carry. */
function explain(spec: InstanceSpec, stale: Instance[]): Change[] {
  const changes: Change[] = [];
  const seen = new Set<string>();
  let explained = false;
  /** Record a difference once across instances; remember this instance had one. */
  const add = (field: string, from: unknown, to: unknown) => {
    if (from === to) return;
    explained = true;
    const key = `${field}\n${String(from)}`;
    if (seen.has(key)) return;
    seen.add(key);
    changes.push({ field, from, to });
  };
  const desiredTags = specTags(spec, 0);
  for (const instance of stale) {
    if (tagValue(instance, TAG_FINGERPRINT) === spec.fingerprint) continue;
    explained = false;
    add('instance type', instance.InstanceType, spec.instanceType);
    const template = tagValue(instance, TAG_TEMPLATE);
    if (template !== undefined) add('template', template, spec.template);
    const volume = tagValue(instance, TAG_VOLUME_SIZE);
    if (volume !== undefined) add('volume size', Number(volume), spec.volumeSize);
    if (spec.fixedImageId || tagValue(instance, TAG_AMI))
      add('AMI', instance.ImageId, spec.fixedImageId ?? '(newest match of the filter)');
    const userData = tagValue(instance, TAG_USER_DATA);
    if (!explained && userData !== undefined && userData !== desiredTags[TAG_USER_DATA]) {
      add('user data', `sha256:${userData}`, `sha256:${sha256(spec.userData).slice(0, 16)}`);
    }
    if (!explained)
      add('instance configuration', tagValue(instance, TAG_FINGERPRINT) ?? '(untagged)', spec.fingerprint);
  }
  return changes;
}

/**
 * What a deploy must do about the instances. Besides configuration drift: instances an interrupted run left in
 * transit — `pending` ones are waited for until running before anything uses them (AWS refuses to register a
 * pending target), `shutting-down` ones until terminated — exactly as if this run had launched or retired them.
 */
export function diffInstances(spec: InstanceSpec, instances: Instance[]): Change[] {
  const leaving = instances.filter((i) => stateOf(i) === 'shutting-down');
  const changes = diffConfiguration(
    spec,
    instances.filter((i) => !leaving.includes(i)),
  );
  const starting = partition(instances, spec).keep.filter((i) => stateOf(i) === 'pending');
  if (starting.length > 0)
    changes.push({ field: 'instances starting', from: starting.map((i) => i.InstanceId), to: 'running' });
  if (leaving.length > 0)
    changes.push({
      field: 'instances shutting down',
      from: leaving.map((i) => i.InstanceId),
      to: 'terminated',
    });
  return changes;
}

function diffConfiguration(spec: InstanceSpec, instances: Instance[]): Change[] {
  const { keep, stale } = partition(instances, spec);
  const outdated = stale.filter((i) => tagValue(i, TAG_FINGERPRINT) !== spec.fingerprint);
  const current = stale.filter((i) => tagValue(i, TAG_FINGERPRINT) === spec.fingerprint);
  const changes = explain(spec, outdated);
  const stopped = current.filter((i) => !SERVING_STATES.has(i.State?.Name ?? ''));
  const surplus = current.length - stopped.length;
  if (stopped.length > 0) {
    changes.push({
      field: 'stopped instances',
      from: stopped.map((i) => i.InstanceId),
      to: 'replaced by running ones',
    });
  }
  if (surplus > 0 || (outdated.length === 0 && keep.length < spec.count)) {
    changes.push({ field: 'instance count', from: keep.length + surplus, to: spec.count });
  }
  return changes;
}

/** compute.instances: `instance.count` EC2 instances serving the site, replaced without downtime. */
export function instancesResource(): ResourceOf<typeof RESOURCE_ID> {
  return {
    id: RESOURCE_ID,
    title: 'EC2 instances',
    kind: 'managed',
    dependsOn: ['compute.ami', 'keypair.key-pair', 'network.instance-security-group', 'network.vpc'],
    iam: [
      'ec2:DescribeInstances',
      'ec2:DescribeInstanceTypeOfferings',
      'ec2:RunInstances',
      'ec2:CreateTags',
      'ec2:TerminateInstances',
    ],

    async discover(ctx) {
      const instances = await describeOnce(ctx);
      if (instances.length === 0) return undefined;
      let spec: InstanceSpec;
      try {
        spec = await desiredSpec(ctx);
      } catch (error) {
        // An unreadable user data file must not block destroy or status: report everything as is.
        ctx.log.debug(`compute.instances: ${(error as Error).message}`);
        const infos = instances.map(toInfo);
        return {
          instances: infos,
          retiring: [],
          fingerprint: infos[0]?.fingerprint ?? '',
          instanceType: infos[0]?.instanceType ?? ctx.config.instance.type,
          imageId: infos[0]?.imageId ?? '',
          sshUser: SSH_USER,
        };
      }
      const { keep, stale } = partition(instances, spec);
      return output(ctx, spec, keep, stale);
    },

    create: (ctx) => converge(ctx),

    async diff(ctx) {
      const spec = await desiredSpec(ctx);
      return diffInstances(spec, await describeOnce(ctx));
    },

    update: (ctx) => converge(ctx),

    preflight: (ctx, step) => preflightLaunch(ctx, step.action),

    async finalize(ctx, current) {
      if (current.retiring.length === 0) return current;
      ctx.progress(
        `terminating ${current.retiring.length} replaced instance${current.retiring.length > 1 ? 's' : ''}`,
      );
      await terminateAndWait(ctx, current.retiring);
      return { ...current, retiring: [] };
    },

    async destroy(ctx, found) {
      const ids = new Set([...found.instances.map((i) => i.instanceId), ...found.retiring]);
      for (const instance of await describeSiteInstances(ctx))
        if (instance.InstanceId) ids.add(instance.InstanceId);
      await terminateAndWait(ctx, [...ids]);
    },

    async status(ctx, found) {
      const all = await describeOnce(ctx);
      const retiring = new Set(found.retiring);
      const rows: StatusRow[] = all.map(toInfo).map((info) => ({
        name: `instance ${info.index !== undefined ? info.index + 1 : '?'}${retiring.has(info.instanceId) ? ' (stale)' : ''}`,
        id: info.instanceId,
        state: info.state,
        detail: [info.availabilityZone, info.publicIpAddress, info.publicDnsName].filter(Boolean).join(' '),
      }));
      return rows;
    },

    summarize: (found) => ({
      instanceIds: found.instances.map((i) => i.instanceId),
      ssh: found.ssh,
      ...(found.retiring.length > 0 ? { retiring: found.retiring } : {}),
    }),
  };
}
