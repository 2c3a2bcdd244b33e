/**
 * What an Auto Scaling launch template needs to launch the same instances RunInstances launches today, taken
 * from the very RunInstances request (runInstancesRequest): one source of truth, so whatever that request gains
 * (an instance profile, a volume setting) the group's instances get too.
 */
import type { ResourceContext } from '@site-cli/core/plugin';
import type { InstanceSecurityGroupOutput } from '@site-cli/plugin-network/outputs';
import type { KeyPairOutput } from '@site-cli/plugin-keypair/outputs';
import type { LaunchSpecOutput } from './outputs.js';
import { RESOURCE_ID } from './instances/find.js';
import { launchInputs, runInstancesRequest } from './instances/launch.js';
import { desiredSpec, TAG_INDEX } from './spec.js';

/** The launch spec for this configuration; undefined without `instance.scaling` (nothing launches from it). */
export async function launchSpec(ctx: ResourceContext): Promise<LaunchSpecOutput | undefined> {
  if (!ctx.config.instance.scaling) return undefined;
  const spec = await desiredSpec(ctx);
  // The key pair and the security group may not exist before this deploy: the template takes them from
  // their own resources. Placeholders here, left out below.
  const inputs = await launchInputs(ctx, spec, {
    keyPair: { keyName: '' } as KeyPairOutput,
    securityGroup: { groupId: '' } as InstanceSecurityGroupOutput,
  });
  const request = runInstancesRequest(ctx, inputs, 0);
  const instanceTags = request.TagSpecifications?.find((t) => t.ResourceType === 'instance')?.Tags ?? [];
  // The spec's own tags (fingerprint, template, …): not the ownership tags (the group's instances belong to
  // the group, not to compute.instances) and not the index (a group's instances have none).
  const ownership = new Set(ctx.tags.forResource(RESOURCE_ID, '').map((t) => t.Key));
  const specTags: Record<string, string> = {};
  for (const tag of instanceTags)
    if (tag.Key && tag.Value !== undefined && !ownership.has(tag.Key) && tag.Key !== TAG_INDEX)
      specTags[tag.Key] = tag.Value;
  return {
    imageId: request.ImageId as string,
    instanceType: spec.instanceType,
    userData: request.UserData as string,
    blockDeviceMappings: (request.BlockDeviceMappings ?? []).map((m) => ({
      deviceName: m.DeviceName as string,
      ebs: {
        volumeSize: m.Ebs?.VolumeSize as number,
        volumeType: m.Ebs?.VolumeType as string,
        encrypted: m.Ebs?.Encrypted ?? true,
        deleteOnTermination: m.Ebs?.DeleteOnTermination ?? true,
      },
    })),
    metadataOptions: {
      httpTokens: request.MetadataOptions?.HttpTokens ?? 'required',
      httpEndpoint: request.MetadataOptions?.HttpEndpoint ?? 'enabled',
      httpPutResponseHopLimit: request.MetadataOptions?.HttpPutResponseHopLimit ?? 2,
    },
    ...(request.IamInstanceProfile?.Arn || request.IamInstanceProfile?.Name
      ? {
          iamInstanceProfile: {
            ...(request.IamInstanceProfile.Arn ? { arn: request.IamInstanceProfile.Arn } : {}),
            ...(request.IamInstanceProfile.Name ? { name: request.IamInstanceProfile.Name } : {}),
          },
        }
      : {}),
    subnetIds: inputs.subnets.map((s) => s.subnetId),
    tags: specTags,
    fingerprint: spec.fingerprint,
  };
}
