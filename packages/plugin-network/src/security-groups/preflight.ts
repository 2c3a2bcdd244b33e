import type { PreflightAction, ResourceContext } from '@site-cli/core/plugin';
import { createGroupRequest, type GroupSpec } from './apply.js';
import { describeGroup } from './find.js';
import { compareRules, permissionOf, rulesOf, type Rule } from './rules.js';

/**
 * Preflight of a group (DryRun): creating it, tags and all; or the rule changes an update makes. A new group's
 * rules cannot be checked: AWS needs the group to exist to decide on AuthorizeSecurityGroupIngress.
 */
export async function preflightGroup(
  ctx: ResourceContext,
  spec: GroupSpec,
  wanted: (actual: Rule[]) => Rule[],
  step: { action: PreflightAction; found?: { groupId: string } },
): Promise<void> {
  const ec2 = await ctx.aws.ec2();
  if (step.action !== 'update' || !step.found) {
    try {
      await ctx.dryRun(['ec2:CreateSecurityGroup', 'ec2:CreateTags'], () =>
        ec2.createSecurityGroup({ ...createGroupRequest(ctx, spec), DryRun: true }),
      );
    } catch (error) {
      // The group exists though the plan did not see it (a stopped run's create AWS does not list yet):
      // create resumes it once its tags prove it ours, so it is no reason to stop the deploy here.
      if (!ctx.isAwsError(error, 'InvalidGroup.Duplicate')) throw error;
    }
    return;
  }
  const GroupId = step.found.groupId;
  const actual = rulesOf((await describeGroup(ctx, GroupId))?.IpPermissions);
  const { missing, extra } = compareRules(wanted(actual), actual);
  await Promise.all([
    missing.length > 0 &&
      ctx.dryRun('ec2:AuthorizeSecurityGroupIngress', () =>
        ec2.authorizeSecurityGroupIngress({
          GroupId,
          IpPermissions: missing.map(permissionOf),
          DryRun: true,
        }),
      ),
    extra.length > 0 &&
      ctx.dryRun('ec2:RevokeSecurityGroupIngress', () =>
        ec2.revokeSecurityGroupIngress({
          GroupId,
          IpPermissions: [permissionOf({ ...extra[0]!, description: undefined })],
          DryRun: true,
        }),
      ),
  ]);
}
