/**
 * Changing AWS for one security group: create it (or resume an interrupted create), add and take away rules,
 * delete it once nothing holds it. Every call here is safe to repeat.
 */
import type { CreateSecurityGroupCommandInput } from '@aws-sdk/client-ec2';
import type { ResourceContext } from '@site-cli/core/plugin';
import { isWaitTimeout } from '@site-cli/plugin-kit';
import { conflictError } from './find.js';
import { describeHolders } from './holders.js';
import { compareRules, permissionOf, rulesOf, type Rule } from './rules.js';
import { waitListed } from './wait.js';

/** One of the site's groups, as CreateSecurityGroup makes it. */
export interface GroupSpec {
  resourceId: string;
  groupName: string;
  description: string;
  vpcId: string;
}

/** Tagged at creation: ec2:CreateTags is part of the permission. */
export function createGroupRequest(ctx: ResourceContext, spec: GroupSpec): CreateSecurityGroupCommandInput {
  return {
    GroupName: spec.groupName,
    Description: spec.description,
    VpcId: spec.vpcId,
    TagSpecifications: [
      { ResourceType: 'security-group', Tags: ctx.tags.forResource(spec.resourceId, spec.groupName) },
    ],
  };
}

/** Add rules; a rule that already exists is fine (a resumed create, a concurrent run). */
export async function authorize(ctx: ResourceContext, groupId: string, rules: Rule[]): Promise<void> {
  if (rules.length === 0) return;
  const ec2 = await ctx.aws.ec2();
  const call = async (batch: Rule[]) => {
    // Just after CreateSecurityGroup the group may not be visible yet: NotFound means "not yet".
    await ctx.poll(
      `security group ${groupId} to accept rules`,
      async () => {
        try {
          await ec2.authorizeSecurityGroupIngress({
            GroupId: groupId,
            IpPermissions: batch.map(permissionOf),
          });
          return true;
        } catch (error) {
          if (ctx.isAwsError(error, 'InvalidGroup.NotFound')) return undefined;
          throw error;
        }
      },
      { initialDelayMs: 500, maxDelayMs: 2000, timeoutMs: 60_000 },
    );
  };
  try {
    await call(rules);
  } catch (error) {
    if (!ctx.isAwsError(error, 'InvalidPermission.Duplicate')) throw error;
    if (rules.length === 1) return;
    // One of them exists already, and AWS then adds none: one at a time.
    for (const rule of rules) {
      try {
        await call([rule]);
      } catch (inner) {
        if (!ctx.isAwsError(inner, 'InvalidPermission.Duplicate')) throw inner;
      }
    }
  }
}

/** Take rules away; a rule already gone is fine. */
export async function revoke(ctx: ResourceContext, groupId: string, rules: Rule[]): Promise<void> {
  const ec2 = await ctx.aws.ec2();
  for (const rule of rules) {
    try {
      await ec2.revokeSecurityGroupIngress({
        GroupId: groupId,
        IpPermissions: [permissionOf({ ...rule, description: undefined })],
      });
    } catch (error) {
      if (!ctx.isAwsError(error, 'InvalidPermission.NotFound')) throw error;
    }
  }
}

/** Make the group's ingress `wanted`: authorizing before revoking, so nothing is ever unreachable. */
export async function applyRules(
  ctx: ResourceContext,
  groupId: string,
  wanted: Rule[],
  actual: Rule[],
): Promise<void> {
  const { missing, extra } = compareRules(wanted, actual);
  await authorize(ctx, groupId, missing);
  await revoke(ctx, groupId, extra);
}

/**
 * Create the group tagged at creation, or resume one an interrupted run left (when its tags prove it ours),
 * then make its ingress exactly `wanted`.
 */
export async function createGroup(
  ctx: ResourceContext,
  options: GroupSpec & { wanted: Rule[] },
): Promise<string> {
  const ec2 = await ctx.aws.ec2();
  let groupId: string;
  let actual: Rule[] = [];
  try {
    const created = await ec2.createSecurityGroup(createGroupRequest(ctx, options));
    groupId = created.GroupId ?? '';
  } catch (error) {
    if (!ctx.isAwsError(error, 'InvalidGroup.Duplicate')) throw error;
    const existing = await waitListed(ctx, options.vpcId, options.groupName);
    if (!existing) throw error;
    if (!ctx.tags.isOwned(existing.Tags, options.resourceId))
      throw conflictError(ctx, options.resourceId, existing);
    groupId = existing.GroupId ?? '';
    actual = rulesOf(existing.IpPermissions);
  }
  await applyRules(ctx, groupId, options.wanted, actual);
  return groupId;
}

/**
 * The delete retry schedule: AWS releases interfaces of terminated instances and deleted load balancers
 * slowly (about a minute), and that release ends destroy: a 3 s cap notices it at most 3 s late, for one
 * cheap call every 3 s (throttling slows it down further).
 */
export const DELETE_RETRY = { initialDelayMs: 1000, maxDelayMs: 3000, timeoutMs: 300_000 };

/**
 * Delete a group, retrying while something still holds it (DependencyViolation); idempotent. On giving up,
 * say what holds it. No SDK waiter covers a delete that AWS refuses until dependants are gone.
 */
export async function deleteGroup(ctx: ResourceContext, groupId: string, groupName: string): Promise<void> {
  const ec2 = await ctx.aws.ec2();
  try {
    await ctx.poll(
      `security group ${groupName} (${groupId}) to be released`,
      async () => {
        try {
          await ec2.deleteSecurityGroup({ GroupId: groupId });
          return true;
        } catch (error) {
          if (ctx.isAwsError(error, 'InvalidGroup.NotFound')) return true;
          if (ctx.isAwsError(error, 'DependencyViolation')) {
            ctx.progress(`${groupName} is still in use; waiting for AWS to release it`);
            return undefined;
          }
          throw error;
        }
      },
      DELETE_RETRY,
    );
  } catch (error) {
    if (!isWaitTimeout(error)) throw error;
    const holders = await describeHolders(ctx, groupId);
    throw ctx.error({
      code: 'SECURITY_GROUP_IN_USE',
      message:
        `The security group ${groupName} (${groupId}) is still in use after ${DELETE_RETRY.timeoutMs / 60_000} minutes, so it cannot be deleted. ` +
        (holders.length > 0 ? `Still using it: ${holders.join('; ')}.` : 'AWS did not say what holds it.'),
      suggestions: [
        'Run `site destroy` again in a few minutes: interfaces of deleted load balancers and instances take a while to go.',
        `See what uses it: aws ec2 describe-network-interfaces --filters Name=group-id,Values=${groupId}`,
      ],
      details: { groupId, groupName, holders },
      cause: error,
    });
  }
}
