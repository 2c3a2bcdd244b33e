import type { ResourceContext } from '@site-cli/core/plugin';

/**
 * What still uses a group, in words: network interfaces (instances, load balancers) and groups referencing it.
 * Only read when a delete gave up, to say why; a failed listing becomes a line of its own rather than hiding
 * the delete's error.
 */
export async function describeHolders(ctx: ResourceContext, groupId: string): Promise<string[]> {
  const ec2 = await ctx.aws.ec2();
  const holders: string[] = [];
  try {
    const interfaces = await ec2.describeNetworkInterfaces({
      Filters: [{ Name: 'group-id', Values: [groupId] }],
    });
    for (const eni of interfaces.NetworkInterfaces ?? []) {
      const attached = eni.Attachment?.InstanceId
        ? `, attached to instance ${eni.Attachment.InstanceId}`
        : '';
      const description = eni.Description ? ` "${eni.Description}"` : '';
      holders.push(`network interface ${eni.NetworkInterfaceId}${description}${attached}`);
    }
  } catch (error) {
    holders.push(
      `(could not list network interfaces: ${ctx.awsErrorCode(error) ?? (error as Error).message})`,
    );
  }
  try {
    const referencing = await ec2.describeSecurityGroups({
      Filters: [{ Name: 'ip-permission.group-id', Values: [groupId] }],
    });
    for (const group of referencing.SecurityGroups ?? []) {
      if (group.GroupId !== groupId)
        holders.push(
          `security group ${group.GroupId} (${group.GroupName}), whose inbound rules reference it`,
        );
    }
  } catch (error) {
    holders.push(
      `(could not list referencing security groups: ${ctx.awsErrorCode(error) ?? (error as Error).message})`,
    );
  }
  return holders;
}
