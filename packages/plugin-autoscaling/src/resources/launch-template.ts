import { createHash } from 'node:crypto';
import type { RequestLaunchTemplateData } from '@aws-sdk/client-ec2';
import type { ResourceContext, ResourceOf } from '@site-cli/core/plugin';
import { findGroup, mayHaveGroup } from '../group/find.js';
import { templateName } from '../names.js';

export const RESOURCE_ID = 'autoscaling.launch-template';
/** The version description carries what the version was made from: versions cannot be tagged one by one. */
const DESCRIPTION_PREFIX = 'site fingerprint ';

/** The template data, from compute's launch spec (the same request RunInstances gets) and the owned inputs. */
export function templateData(
  ctx: ResourceContext,
  options: { beforeDeploy?: boolean } = {},
): { data: RequestLaunchTemplateData; fingerprint: string } {
  const spec = ctx.outputs.require('compute.launch-spec');
  // Before a fresh deploy (preflight) the key pair and the security group may not exist yet: left out then.
  const owned = <T>(id: 'keypair.key-pair' | 'network.instance-security-group', pick: (o: any) => T) => {
    const output = options.beforeDeploy ? ctx.outputs.get(id) : ctx.outputs.require(id);
    return output === undefined ? undefined : pick(output);
  };
  const keyName = owned('keypair.key-pair', (o) => o.keyName as string);
  const securityGroupId = owned('network.instance-security-group', (o) => o.groupId as string);
  const tags = Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value }));
  const data: RequestLaunchTemplateData = {
    ImageId: spec.imageId,
    InstanceType: spec.instanceType as RequestLaunchTemplateData['InstanceType'],
    ...(keyName ? { KeyName: keyName } : {}),
    ...(securityGroupId ? { SecurityGroupIds: [securityGroupId] } : {}),
    UserData: spec.userData,
    MetadataOptions: {
      HttpTokens: spec.metadataOptions.httpTokens as 'required',
      HttpEndpoint: spec.metadataOptions.httpEndpoint as 'enabled',
      HttpPutResponseHopLimit: spec.metadataOptions.httpPutResponseHopLimit,
    },
    BlockDeviceMappings: spec.blockDeviceMappings.map((m) => ({
      DeviceName: m.deviceName,
      Ebs: {
        VolumeSize: m.ebs.volumeSize,
        VolumeType: m.ebs.volumeType as 'gp3',
        Encrypted: m.ebs.encrypted,
        DeleteOnTermination: m.ebs.deleteOnTermination,
      },
    })),
    ...(spec.iamInstanceProfile
      ? {
          IamInstanceProfile: spec.iamInstanceProfile.arn
            ? { Arn: spec.iamInstanceProfile.arn }
            : { Name: spec.iamInstanceProfile.name },
        }
      : {}),
    ...(tags.length > 0
      ? {
          TagSpecifications: [
            { ResourceType: 'instance', Tags: tags },
            { ResourceType: 'volume', Tags: tags },
          ],
        }
      : {}),
  };
  // As compute.instances decides replacing: its fingerprint (a newer image of the filter is no reason), plus
  // what the template adds (key pair, security group, instance profile).
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify({
        launch: spec.fingerprint,
        keyName,
        securityGroupId,
        profile: spec.iamInstanceProfile ?? null,
      }),
    )
    .digest('hex')
    .slice(0, 16);
  return { data, fingerprint };
}

async function latestVersion(
  ctx: ResourceContext,
  launchTemplateId: string,
): Promise<{ version: number; fingerprint: string }> {
  const ec2 = await ctx.aws.ec2();
  const { LaunchTemplateVersions = [] } = await ec2.describeLaunchTemplateVersions({
    LaunchTemplateId: launchTemplateId,
    Versions: ['$Latest'],
  });
  const latest = LaunchTemplateVersions[0];
  const description = latest?.VersionDescription ?? '';
  return {
    version: latest?.VersionNumber ?? 1,
    fingerprint: description.startsWith(DESCRIPTION_PREFIX)
      ? description.slice(DESCRIPTION_PREFIX.length)
      : '',
  };
}

/** autoscaling.launch-template: how the group launches the site's instances; a new version when that changes. */
export function launchTemplateResource(): ResourceOf<typeof RESOURCE_ID> {
  return {
    id: RESOURCE_ID,
    title: 'Launch template',
    kind: 'managed',
    // alb.targets and compute.instances: see autoscaling.group (whether a site without scaling has a group).
    dependsOn: [
      'compute.launch-spec',
      'keypair.key-pair',
      'network.instance-security-group',
      'alb.targets',
      'compute.instances',
    ],
    iam: [
      'ec2:DescribeLaunchTemplates',
      'ec2:DescribeLaunchTemplateVersions',
      'ec2:CreateLaunchTemplate',
      'ec2:CreateLaunchTemplateVersion',
      'ec2:CreateTags',
      'ec2:DeleteLaunchTemplate',
    ],

    wanted: (ctx) => ctx.config.instance.scaling !== undefined,

    async discover(ctx) {
      // Without scaling, a template is only looked for beside a group (site creates it first, deletes it last).
      if (!ctx.config.instance.scaling && !(mayHaveGroup(ctx) && (await findGroup(ctx)))) return undefined;
      const ec2 = await ctx.aws.ec2();
      const { LaunchTemplates = [] } = await ec2.describeLaunchTemplates({
        Filters: ctx.tags.resourceFilters(RESOURCE_ID),
      });
      const template = LaunchTemplates.find((t) => ctx.tags.isOwned(t.Tags, RESOURCE_ID));
      if (!template?.LaunchTemplateId) return undefined;
      const latest = await latestVersion(ctx, template.LaunchTemplateId);
      return {
        launchTemplateId: template.LaunchTemplateId,
        launchTemplateName: template.LaunchTemplateName ?? '',
        ...latest,
      };
    },

    async create(ctx) {
      const name = templateName(ctx);
      const { data, fingerprint } = templateData(ctx);
      const ec2 = await ctx.aws.ec2();
      try {
        const { LaunchTemplate } = await ec2.createLaunchTemplate({
          LaunchTemplateName: name,
          LaunchTemplateData: data,
          VersionDescription: `${DESCRIPTION_PREFIX}${fingerprint}`,
          ClientToken: `${name}-${fingerprint}`.slice(0, 64),
          TagSpecifications: [
            { ResourceType: 'launch-template', Tags: ctx.tags.forResource(RESOURCE_ID, name) },
          ],
        });
        return {
          launchTemplateId: LaunchTemplate?.LaunchTemplateId ?? '',
          launchTemplateName: name,
          version: LaunchTemplate?.LatestVersionNumber ?? 1,
          fingerprint,
        };
      } catch (error) {
        if (!ctx.isAwsError(error, 'InvalidLaunchTemplateName.AlreadyExistsException')) throw error;
        // Ours from an earlier, interrupted run (found by name: discovery may not have looked): adopt it.
        const { LaunchTemplates = [] } = await ec2.describeLaunchTemplates({ LaunchTemplateNames: [name] });
        const existing = LaunchTemplates.find((t) => ctx.tags.isOwned(t.Tags, RESOURCE_ID));
        if (existing?.LaunchTemplateId) {
          const found = {
            launchTemplateId: existing.LaunchTemplateId,
            launchTemplateName: name,
            ...(await latestVersion(ctx, existing.LaunchTemplateId)),
          };
          return found.fingerprint === fingerprint ? found : launchTemplateResource().update!(ctx, found, []);
        }
        throw ctx.error({
          code: 'LAUNCH_TEMPLATE_CONFLICT',
          message: `A launch template named ${name} exists in ${ctx.config.region} without this site's tags: site leaves it alone.`,
          suggestions: [
            `Delete or rename it (aws ec2 delete-launch-template --launch-template-name ${name}), or give the site another name.`,
          ],
          exitCode: 2,
          details: { launchTemplateName: name },
        });
      }
    },

    /** May this identity create the template (or its new version)? CreateLaunchTemplate(Version) with DryRun. */
    async preflight(ctx, step) {
      if (!ctx.outputs.get('compute.launch-spec')) return;
      const { data } = templateData(ctx, { beforeDeploy: true });
      const ec2 = await ctx.aws.ec2();
      if (step.action === 'update' && step.found)
        await ctx.dryRun('ec2:CreateLaunchTemplateVersion', () =>
          ec2.createLaunchTemplateVersion({
            LaunchTemplateId: step.found!.launchTemplateId,
            LaunchTemplateData: data,
            DryRun: true,
          }),
        );
      else {
        const name = templateName(ctx);
        await ctx.dryRun(['ec2:CreateLaunchTemplate', 'ec2:CreateTags'], () =>
          ec2.createLaunchTemplate({
            LaunchTemplateName: name,
            LaunchTemplateData: data,
            TagSpecifications: [
              { ResourceType: 'launch-template', Tags: ctx.tags.forResource(RESOURCE_ID, name) },
            ],
            DryRun: true,
          }),
        );
      }
    },

    diff(ctx, found) {
      const { fingerprint } = templateData(ctx);
      return found.fingerprint === fingerprint
        ? []
        : [{ field: 'launch template', from: found.fingerprint || '(unknown)', to: fingerprint }];
    },

    async update(ctx, found) {
      const { data, fingerprint } = templateData(ctx);
      const ec2 = await ctx.aws.ec2();
      const { LaunchTemplateVersion } = await ec2.createLaunchTemplateVersion({
        LaunchTemplateId: found.launchTemplateId,
        LaunchTemplateData: data,
        VersionDescription: `${DESCRIPTION_PREFIX}${fingerprint}`,
        ClientToken: `${found.launchTemplateId}-${fingerprint}`.slice(0, 64),
      });
      return {
        ...found,
        version: LaunchTemplateVersion?.VersionNumber ?? found.version + 1,
        fingerprint,
      };
    },

    async destroy(ctx, found) {
      const ec2 = await ctx.aws.ec2();
      try {
        await ec2.deleteLaunchTemplate({ LaunchTemplateId: found.launchTemplateId });
      } catch (error) {
        if (
          !ctx.isAwsError(
            error,
            'InvalidLaunchTemplateId.NotFound',
            'InvalidLaunchTemplateName.NotFoundException',
          )
        )
          throw error;
      }
    },

    status: async (_ctx, found) => [
      {
        name: 'launch template',
        id: found.launchTemplateId,
        state: `version ${found.version}`,
        detail: found.launchTemplateName,
      },
    ],

    summarize: (found) => ({
      launchTemplateId: found.launchTemplateId,
      launchTemplateName: found.launchTemplateName,
    }),
  };
}
