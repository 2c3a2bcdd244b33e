import type { ResourceContext } from '@site-cli/core/plugin';
import { allPages } from '@site-cli/plugin-kit';
import { compareRules, ruleKey, ruleOfGroupRule, type Rule } from './rules.js';

/**
 * `actual` without the rules another resource of this site added to the group and still holds: rules tagged
 * `site:resource=<its id>` (plus this site's tags) while that resource is part of the run. Such a rule is not
 * drift and never revoked here (e.g. a plugin opening 443 on the load balancer's group). Costs one
 * DescribeSecurityGroupRules, and only when there are rules we would otherwise call extra.
 */
export async function withoutClaimedRules(
  ctx: ResourceContext,
  groupId: string,
  wanted: Rule[],
  actual: Rule[],
): Promise<Rule[]> {
  if (compareRules(wanted, actual).extra.length === 0) return actual;
  const ec2 = await ctx.aws.ec2();
  const { paginateDescribeSecurityGroupRules } = await import('@aws-sdk/client-ec2');
  const rules = await allPages(
    paginateDescribeSecurityGroupRules(
      { client: ec2 },
      { Filters: [{ Name: 'group-id', Values: [groupId] }, ...ctx.tags.siteFilters()] },
    ),
    (page) => page.SecurityGroupRules,
  );
  const claimed = new Set<string>();
  for (const rule of rules) {
    const owner = ctx.tags.toRecord(rule.Tags)['site:resource'];
    if (rule.IsEgress || !owner || !ctx.outputs.has(owner)) continue;
    claimed.add(ruleKey(ruleOfGroupRule(rule)));
  }
  return actual.filter((rule) => !claimed.has(ruleKey(rule)));
}
