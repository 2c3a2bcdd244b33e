import type { SecurityGroup } from '@aws-sdk/client-ec2';
import type { ResourceContext } from '@site-cli/core/plugin';
import { isWaitTimeout } from '@site-cli/plugin-kit';

/**
 * The group AWS just called a duplicate, once describes list it: made a moment ago by an interrupted or
 * concurrent run, it can stay invisible for a few seconds (eventual consistency). Undefined at the deadline.
 * `ctx.poll`, not the SDK's waitUntilSecurityGroupExists: the run's progress line and its WAIT_TIMEOUT error
 * (which ends in `undefined` here) come from ctx.poll, and the SDK's waiter starts at 5 s between tries where
 * a group about to appear wants half a second.
 */
export async function waitListed(
  ctx: ResourceContext,
  vpcId: string,
  groupName: string,
): Promise<SecurityGroup | undefined> {
  const ec2 = await ctx.aws.ec2();
  try {
    return await ctx.poll(
      `security group ${groupName} to be listed`,
      async () => {
        const result = await ec2.describeSecurityGroups({
          Filters: [
            { Name: 'vpc-id', Values: [vpcId] },
            { Name: 'group-name', Values: [groupName] },
          ],
        });
        return result.SecurityGroups?.find((group) => group.GroupName === groupName);
      },
      { initialDelayMs: 500, maxDelayMs: 2000, timeoutMs: 30_000 },
    );
  } catch (error) {
    if (isWaitTimeout(error)) return undefined;
    throw error;
  }
}
