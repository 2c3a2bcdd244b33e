import type { ResourceContext, ResourceOf } from '@site-cli/core/plugin';
import { iamClient } from '../aws.js';

export const RESOURCE_ID = 'storage.instance-profile';

const conflict = (ctx: ResourceContext, name: string) =>
  ctx.error({
    code: 'INSTANCE_PROFILE_CONFLICT',
    message: `The IAM instance profile ${name} exists but lacks this site's tags: site never touches it.`,
    suggestions: [
      'Choose another site name (`name` in the config), or delete or tag that instance profile yourself.',
    ],
    exitCode: 1,
    details: { instanceProfile: name },
  });

/** storage.instance-profile: carries the instance role to the instances (RunInstances names it). */
export function instanceProfileResource(): ResourceOf<typeof RESOURCE_ID> {
  return {
    id: RESOURCE_ID,
    title: 'Instance profile',
    kind: 'managed',
    dependsOn: ['storage.instance-role'],
    iam: [
      'iam:GetInstanceProfile',
      'iam:CreateInstanceProfile',
      'iam:TagInstanceProfile',
      'iam:AddRoleToInstanceProfile',
      'iam:RemoveRoleFromInstanceProfile',
      'iam:DeleteInstanceProfile',
    ],

    async discover(ctx) {
      const name = ctx.naming.instanceProfile;
      const iam = await iamClient(ctx);
      try {
        const { InstanceProfile } = await iam.getInstanceProfile({ InstanceProfileName: name });
        if (!ctx.tags.isOwned(InstanceProfile?.Tags, RESOURCE_ID)) throw conflict(ctx, name);
        return { instanceProfileName: name, instanceProfileArn: InstanceProfile?.Arn ?? '' };
      } catch (error) {
        if (ctx.isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) return undefined;
        throw error;
      }
    },

    async create(ctx) {
      const name = ctx.naming.instanceProfile;
      const role = ctx.outputs.require('storage.instance-role');
      const iam = await iamClient(ctx);
      let profile;
      try {
        ({ InstanceProfile: profile } = await iam.createInstanceProfile({
          InstanceProfileName: name,
          Tags: ctx.tags.forResource(RESOURCE_ID, name),
        }));
      } catch (error) {
        if (!ctx.isAwsError(error, 'EntityAlreadyExists', 'EntityAlreadyExistsException')) throw error;
        ({ InstanceProfile: profile } = await iam.getInstanceProfile({ InstanceProfileName: name }));
        if (!ctx.tags.isOwned(profile?.Tags, RESOURCE_ID)) throw conflict(ctx, name);
      }
      if (!(profile?.Roles ?? []).some((r) => r.RoleName === role.roleName)) {
        try {
          await iam.addRoleToInstanceProfile({ InstanceProfileName: name, RoleName: role.roleName });
        } catch (error) {
          // An instance profile holds one role: already there after a retried create.
          if (!ctx.isAwsError(error, 'LimitExceeded', 'LimitExceededException')) throw error;
        }
      }
      return { instanceProfileName: name, instanceProfileArn: profile?.Arn ?? '' };
    },

    async destroy(ctx, found) {
      const iam = await iamClient(ctx);
      try {
        const { InstanceProfile } = await iam.getInstanceProfile({
          InstanceProfileName: found.instanceProfileName,
        });
        // A profile with a role cannot be deleted (DeleteConflict): remove the role first.
        for (const role of InstanceProfile?.Roles ?? [])
          if (role.RoleName)
            await iam.removeRoleFromInstanceProfile({
              InstanceProfileName: found.instanceProfileName,
              RoleName: role.RoleName,
            });
        await iam.deleteInstanceProfile({ InstanceProfileName: found.instanceProfileName });
      } catch (error) {
        if (!ctx.isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) throw error;
      }
    },

    async status(_ctx, found) {
      return [{ name: found.instanceProfileName, id: found.instanceProfileArn, state: 'holds the role' }];
    },

    summarize: (found) => ({
      instanceProfileName: found.instanceProfileName,
      instanceProfileArn: found.instanceProfileArn,
    }),
  };
}
