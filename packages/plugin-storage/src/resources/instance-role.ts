import type { ResourceContext, ResourceOf } from '@site-cli/core/plugin';
import { CONTENT_POLICY_NAME, iamClient } from '../aws.js';

export const RESOURCE_ID = 'storage.instance-role';

const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** What the instances may do: read this site's objects, nothing else (not even list the bucket). */
export function contentReadPolicy(bucketArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn}/*` }],
  });
}

const conflict = (ctx: ResourceContext, name: string) =>
  ctx.error({
    code: 'INSTANCE_ROLE_CONFLICT',
    message: `The IAM role ${name} exists but lacks this site's tags: site never touches it.`,
    suggestions: ['Choose another site name (`name` in the config), or delete or tag that role yourself.'],
    exitCode: 1,
    details: { role: name },
  });

/** storage.instance-role: the role the instances assume, trusted by EC2, allowed to read the site's objects only. */
export function instanceRoleResource(): ResourceOf<typeof RESOURCE_ID> {
  return {
    id: RESOURCE_ID,
    title: 'Instance role',
    kind: 'managed',
    dependsOn: ['storage.bucket'],
    iam: [
      'iam:GetRole',
      'iam:CreateRole',
      'iam:TagRole',
      'iam:GetRolePolicy',
      'iam:PutRolePolicy',
      'iam:DeleteRolePolicy',
      'iam:ListRolePolicies',
      'iam:DeleteRole',
      // RunInstances with the instance profile, and AddRoleToInstanceProfile, pass this role.
      'iam:PassRole',
    ],

    async discover(ctx) {
      const name = ctx.naming.instanceRole;
      const iam = await iamClient(ctx);
      try {
        const { Role } = await iam.getRole({ RoleName: name });
        if (!ctx.tags.isOwned(Role?.Tags, RESOURCE_ID)) throw conflict(ctx, name);
        return { roleName: name, roleArn: Role?.Arn ?? '' };
      } catch (error) {
        if (ctx.isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) return undefined;
        throw error;
      }
    },

    async diff(ctx, found) {
      const iam = await iamClient(ctx);
      const bucket = ctx.outputs.require('storage.bucket');
      const wanted = contentReadPolicy(bucket.bucketArn);
      let current: string | undefined;
      try {
        const { PolicyDocument } = await iam.getRolePolicy({
          RoleName: found.roleName,
          PolicyName: CONTENT_POLICY_NAME,
        });
        current = PolicyDocument && JSON.stringify(JSON.parse(decodeURIComponent(PolicyDocument)));
      } catch (error) {
        if (!ctx.isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) throw error;
      }
      return current === wanted
        ? []
        : [{ field: 'content read policy', from: current ?? 'none', to: wanted }];
    },

    async update(ctx, found) {
      await putPolicy(ctx, found.roleName);
      return found;
    },

    async create(ctx) {
      const name = ctx.naming.instanceRole;
      const iam = await iamClient(ctx);
      let arn: string;
      try {
        const { Role } = await iam.createRole({
          RoleName: name,
          AssumeRolePolicyDocument: TRUST_POLICY,
          Description: `site ${ctx.config.name}: lets its instances read the site's content from S3`,
          Tags: ctx.tags.forResource(RESOURCE_ID, name),
        });
        arn = Role?.Arn ?? '';
      } catch (error) {
        if (!ctx.isAwsError(error, 'EntityAlreadyExists', 'EntityAlreadyExistsException')) throw error;
        // A create that AWS answered after the run was cut short: adopt it only when its tags prove it ours.
        const { Role } = await iam.getRole({ RoleName: name });
        if (!ctx.tags.isOwned(Role?.Tags, RESOURCE_ID)) throw conflict(ctx, name);
        arn = Role?.Arn ?? '';
      }
      await putPolicy(ctx, name);
      return { roleName: name, roleArn: arn };
    },

    async destroy(ctx, found) {
      const iam = await iamClient(ctx);
      try {
        // A role with inline policies cannot be deleted: remove them (ours, and any added by hand) first.
        const { PolicyNames = [] } = await iam.listRolePolicies({ RoleName: found.roleName });
        for (const policy of PolicyNames)
          await iam.deleteRolePolicy({ RoleName: found.roleName, PolicyName: policy });
        await iam.deleteRole({ RoleName: found.roleName });
      } catch (error) {
        if (!ctx.isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) throw error;
      }
    },

    async status(_ctx, found) {
      return [{ name: found.roleName, id: found.roleArn, state: 'reads the bucket' }];
    },

    summarize: (found) => ({ roleName: found.roleName, roleArn: found.roleArn }),
  };
}

async function putPolicy(ctx: ResourceContext, roleName: string): Promise<void> {
  const iam = await iamClient(ctx);
  const bucket = ctx.outputs.require('storage.bucket');
  await iam.putRolePolicy({
    RoleName: roleName,
    PolicyName: CONTENT_POLICY_NAME,
    PolicyDocument: contentReadPolicy(bucket.bucketArn),
  });
}
