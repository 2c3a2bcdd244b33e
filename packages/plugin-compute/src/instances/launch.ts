/** Launching: the exact RunInstances request, its dry run (preflight), and one idempotent launch. */
import type { RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import type { PreflightAction, ResourceContext } from '@site-cli/core/plugin';
import { isWaitTimeout } from '@site-cli/plugin-kit';
import type { KeyPairOutput } from '@site-cli/plugin-keypair/outputs';
import type { InstanceSecurityGroupOutput, VpcOutput } from '@site-cli/plugin-network/outputs';
import type { AmiOutput } from '../outputs.js';
import { clientToken, desiredSpec, specTags, type InstanceSpec } from '../spec.js';
import { describeSiteInstances, RESOURCE_ID, SERVING_STATES } from './find.js';
import { placement } from './placement.js';
import { partition } from './plan.js';

export interface LaunchInputs {
  spec: InstanceSpec;
  ami: AmiOutput;
  keyPair: KeyPairOutput;
  securityGroup: InstanceSecurityGroupOutput;
  subnets: VpcOutput['subnets'];
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

export async function launchInputs(
  ctx: ResourceContext,
  spec: InstanceSpec,
  owned?: Pick<LaunchInputs, 'keyPair' | 'securityGroup'>,
): Promise<LaunchInputs> {
  return {
    ...(await launchPlace(ctx, spec)),
    keyPair: owned?.keyPair ?? ctx.outputs.require('keypair.key-pair'),
    securityGroup: owned?.securityGroup ?? ctx.outputs.require('network.instance-security-group'),
  };
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
    ...(spec.instanceProfileArn ? { IamInstanceProfile: { Arn: spec.instanceProfileArn } } : {}),
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
 * Preflight: may this identity launch what the deploy will launch (RunInstances with DryRun and the real
 * parameters: AMI, type, subnet, user data, IMDSv2, encrypted volume, tags)? The key pair and the security
 * group go in when they exist already; a fresh deploy creates them first, so AWS cannot see them yet.
 */
export async function preflightLaunch(ctx: ResourceContext, action: PreflightAction): Promise<void> {
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

/**
 * Launch instance `index`. A retried or resumed launch reuses the ClientToken, so AWS answers with the
 * instance it already launched. When that instance is one we are retiring (or it is gone), the token is
 * salted with its id — deterministic, so a retry of that launch is idempotent too.
 */
export async function launch(
  ctx: ResourceContext,
  inputs: LaunchInputs,
  index: number,
  retiring: Set<string>,
): Promise<string> {
  const ec2 = await ctx.aws.ec2();
  let salt: string | undefined;
  for (let attempt = 0; attempt < 4; attempt++) {
    const request = runInstancesRequest(ctx, inputs, index, salt);
    const result = await (request.IamInstanceProfile
      ? runWhenProfileVisible(ctx, () => ec2.runInstances(request))
      : ec2.runInstances(request));
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

/**
 * A new instance profile takes a few seconds to reach EC2 (IAM is eventually consistent): RunInstances refuses it
 * with InvalidParameterValue ("Invalid IAM Instance Profile") meanwhile. Retry that one refusal, with a deadline.
 */
async function runWhenProfileVisible<T>(ctx: ResourceContext, call: () => Promise<T>): Promise<T> {
  let refusal: unknown;
  return ctx
    .poll(
      'the new instance profile to reach EC2',
      async () => {
        try {
          return await call();
        } catch (error) {
          if (
            !ctx.isAwsError(error, 'InvalidParameterValue') ||
            !/instance ?profile/i.test((error as Error).message)
          )
            throw error;
          refusal = error;
          ctx.progress('waiting for the new instance profile to reach EC2');
          return undefined;
        }
      },
      { initialDelayMs: 1000, factor: 1.5, maxDelayMs: 5000, timeoutMs: 90_000 },
    )
    .catch((error: unknown) => {
      // Out of time: AWS's own refusal says more than the wait.
      throw isWaitTimeout(error) && refusal !== undefined ? refusal : error;
    });
}
