/** Finding the site's security groups by their tags (a same-named group without them is a conflict). */
import type { SecurityGroup } from '@aws-sdk/client-ec2';
import type { ResourceContext } from '@site-cli/core/plugin';
import { allPages } from '@site-cli/plugin-kit';

/** Every security group carrying this site's tags: one describe per run, shared by both groups. */
export function describeSiteGroups(ctx: ResourceContext): Promise<SecurityGroup[]> {
  return ctx.once('network.security-groups:site', async () => {
    const ec2 = await ctx.aws.ec2();
    const { paginateDescribeSecurityGroups } = await import('@aws-sdk/client-ec2');
    return allPages(
      paginateDescribeSecurityGroups({ client: ec2 }, { Filters: ctx.tags.siteFilters() }),
      (page) => page.SecurityGroups,
    );
  });
}

/** Both groups' names in the VPC, whoever owns them: one describe per run, only needed when tags found nothing. */
export function describeGroupsByName(ctx: ResourceContext, vpcId: string): Promise<SecurityGroup[]> {
  return ctx.once(`network.security-groups:by-name:${vpcId}`, async () => {
    const ec2 = await ctx.aws.ec2();
    const result = await ec2.describeSecurityGroups({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: [ctx.naming.albSecurityGroup, ctx.naming.instanceSecurityGroup] },
      ],
    });
    return result.SecurityGroups ?? [];
  });
}

/** The current state of one group, bypassing the run's memo (after changes). NotFound → undefined. */
export async function describeGroup(
  ctx: ResourceContext,
  groupId: string,
): Promise<SecurityGroup | undefined> {
  const ec2 = await ctx.aws.ec2();
  try {
    return (await ec2.describeSecurityGroups({ GroupIds: [groupId] })).SecurityGroups?.[0];
  } catch (error) {
    if (ctx.isAwsError(error, 'InvalidGroup.NotFound')) return undefined;
    throw error;
  }
}

/** The group as described in this run (shared describe), or fresh. */
export async function currentGroup(ctx: ResourceContext, groupId: string) {
  return (
    (await describeSiteGroups(ctx)).find((group) => group.GroupId === groupId) ?? describeGroup(ctx, groupId)
  );
}

/** A group of our name that this site did not make: never used, never deleted. */
export function conflictError(ctx: ResourceContext, resourceId: string, group: SecurityGroup) {
  const site = ctx.tags.toRecord(group.Tags)['site:name'];
  const owner = site ? `it belongs to site "${site}"` : 'it has no site tags';
  return ctx.error({
    code: 'SECURITY_GROUP_CONFLICT',
    message: `A security group named "${group.GroupName}" (${group.GroupId}) already exists in ${group.VpcId} but was not created by this site (${owner}). site will not use or delete it.`,
    suggestions: [
      'Choose another site name (name in the config file): security group names derive from it.',
      `Or, if it is unused, delete it yourself: aws ec2 delete-security-group --group-id ${group.GroupId}`,
    ],
    exitCode: 2,
    details: { resource: resourceId, groupId: group.GroupId, groupName: group.GroupName, vpcId: group.VpcId },
  });
}

/**
 * Find this site's group for `resourceId`: by tags (the shared describe), else a same-named group in the VPC
 * must be ours too (tag filters can lag just after creation) — or it is a conflict.
 */
export async function findGroup(
  ctx: ResourceContext,
  resourceId: string,
  groupName: string,
  vpcId: string,
): Promise<SecurityGroup | undefined> {
  const owned = (await describeSiteGroups(ctx)).filter((group) => ctx.tags.isOwned(group.Tags, resourceId));
  const best =
    owned.find((group) => group.VpcId === vpcId && group.GroupName === groupName) ??
    owned.find((group) => group.VpcId === vpcId) ??
    owned[0];
  if (best) return best;
  const sameName = (await describeGroupsByName(ctx, vpcId)).find((group) => group.GroupName === groupName);
  if (!sameName) return undefined;
  if (ctx.tags.isOwned(sameName.Tags, resourceId)) return sameName;
  throw conflictError(ctx, resourceId, sameName);
}
