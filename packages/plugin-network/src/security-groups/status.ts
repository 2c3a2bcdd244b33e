import type { ResourceContext, StatusRow } from '@site-cli/core/plugin';
import { describeGroup } from './find.js';
import { rulesOf, summarizeRules } from './rules.js';

/** `site status` rows of one of our groups: whether it is there, and its rules. */
export async function groupStatus(
  ctx: ResourceContext,
  found: { groupId: string; groupName: string },
): Promise<StatusRow[]> {
  const group = await describeGroup(ctx, found.groupId);
  return [
    {
      name: found.groupName,
      id: found.groupId,
      state: group ? 'available' : 'missing',
      detail: group ? summarizeRules(rulesOf(group.IpPermissions)) : undefined,
    },
  ];
}
