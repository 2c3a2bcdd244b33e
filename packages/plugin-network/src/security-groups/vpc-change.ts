import type { Change, ResourceContext } from '@site-cli/core/plugin';
import type { VpcOutput } from '../outputs.js';

/** A group cannot move: a different VPC than the one it is in is a change the plan shows, and update refuses. */
export function vpcChange(found: { vpcId: string }, vpc: VpcOutput | undefined): Change[] {
  return vpc && vpc.vpcId !== found.vpcId ? [{ field: 'VPC', from: found.vpcId, to: vpc.vpcId }] : [];
}

export function vpcChangedError(ctx: ResourceContext, groupName: string, changes: Change[]) {
  const change = changes.find((c) => c.field === 'VPC')!;
  return ctx.error({
    code: 'SECURITY_GROUP_VPC_CHANGED',
    message: `The security group ${groupName} is in ${String(change.from)} but the site is now configured for ${String(change.to)}; a security group cannot move between VPCs.`,
    suggestions: ['Run `site destroy` with the old vpc.id, then `site deploy` with the new one.'],
    exitCode: 2,
    details: { groupName, from: change.from, to: change.to },
  });
}
