/** Reporting: what an instance is (InstanceInfo), the resource's output, and its `site status` rows. */
import type { Instance } from '@aws-sdk/client-ec2';
import type { ResourceContext, StatusRow } from '@site-cli/core/plugin';
import type { InstanceInfo, InstancesOutput } from '../outputs.js';
import { SSH_USER, TAG_FINGERPRINT, TAG_INDEX, type InstanceSpec } from '../spec.js';
import { tagValue } from './find.js';

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

/** The output of compute.instances: the kept instances, the ones to retire, and the ssh command. */
export function instancesOutput(
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

/** The output when the desired spec cannot be read (an unreadable user data file): everything as it is. */
export function instancesAsFound(ctx: ResourceContext, instances: Instance[]): InstancesOutput {
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

/** One `site status` row per instance found, the ones being retired marked stale. */
export function statusRows(all: Instance[], retiring: ReadonlySet<string>): StatusRow[] {
  return all.map(toInfo).map((info) => ({
    name: `instance ${info.index !== undefined ? info.index + 1 : '?'}${retiring.has(info.instanceId) ? ' (stale)' : ''}`,
    id: info.instanceId,
    state: info.state,
    detail: [info.availabilityZone, info.publicIpAddress, info.publicDnsName].filter(Boolean).join(' '),
  }));
}
