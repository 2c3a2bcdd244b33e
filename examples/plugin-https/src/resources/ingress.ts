import type { Change, ResourceOf, ResourceContext } from '@site-cli/core/plugin';
import { checkSettings } from '../config.js';
import type { IngressOutput } from '../outputs.js';
import type { SecurityGroupRule } from '../types.js';

export const INGRESS = 'https.ingress';
const ALB_SECURITY_GROUP = 'network.alb-security-group';

/** HTTPS from anywhere, IPv4 and IPv6, like the HTTP port the network plugin opens. */
const SOURCES = ['0.0.0.0/0', '::/0'];

const sourceOf = (rule: SecurityGroupRule) => rule.CidrIpv4 ?? rule.CidrIpv6 ?? '';

/**
 * Our rules on the group, found by their tags (a rule is its own resource with an id and tags): never the
 * network plugin's port-80 rules, never a rule someone else added. The network plugin, in turn, leaves
 * rules tagged with another resource's id alone while that resource is part of the run.
 */
async function ourRules(ctx: ResourceContext, groupId: string): Promise<SecurityGroupRule[]> {
  const ec2 = await ctx.aws.ec2();
  const rules: SecurityGroupRule[] = [];
  // By hand, not paginateDescribeSecurityGroupRules: see listenersOf in ../elbv2.ts (the SDK's paginators refuse
  // the CLI's client in a plugin installed with its own copy of the SDK).
  let NextToken: string | undefined;
  try {
    do {
      const page = await ec2.describeSecurityGroupRules({
        Filters: [{ Name: 'group-id', Values: [groupId] }, ...ctx.tags.resourceFilters(INGRESS)],
        NextToken,
      });
      rules.push(...(page.SecurityGroupRules ?? []).filter((rule) => !rule.IsEgress));
      NextToken = page.NextToken;
    } while (NextToken);
  } catch (error) {
    if (ctx.isAwsError(error, 'InvalidGroup.NotFound')) return [];
    throw error;
  }
  return rules;
}

function toOutput(groupId: string, rules: SecurityGroupRule[]): IngressOutput {
  return {
    groupId,
    rules: rules.map((rule) => ({
      ruleId: rule.SecurityGroupRuleId ?? '',
      port: rule.FromPort ?? -1,
      source: sourceOf(rule),
    })),
  };
}

/** Add the rules, tagged at creation; AWS answers with them (ids and tags), so no describe is needed after. */
async function authorize(
  ctx: ResourceContext,
  groupId: string,
  port: number,
  sources: string[],
): Promise<SecurityGroupRule[]> {
  if (sources.length === 0) return [];
  const ec2 = await ctx.aws.ec2();
  const description = `HTTPS from anywhere to the load balancer of site ${ctx.naming.site}`;
  const { SecurityGroupRules = [] } = await ec2.authorizeSecurityGroupIngress({
    GroupId: groupId,
    IpPermissions: [
      {
        IpProtocol: 'tcp',
        FromPort: port,
        ToPort: port,
        IpRanges: sources
          .filter((s) => !s.includes(':'))
          .map((CidrIp) => ({ CidrIp, Description: description })),
        Ipv6Ranges: sources
          .filter((s) => s.includes(':'))
          .map((CidrIpv6) => ({ CidrIpv6, Description: description })),
      },
    ],
    // Tagged at creation, so even an interrupted run leaves nothing we cannot find again.
    TagSpecifications: [
      {
        ResourceType: 'security-group-rule',
        Tags: ctx.tags.forResource(INGRESS, ctx.naming.derive('https')),
      },
    ],
  });
  return SecurityGroupRules;
}

async function revoke(ctx: ResourceContext, groupId: string, ruleIds: string[]) {
  if (ruleIds.length === 0) return;
  const ec2 = await ctx.aws.ec2();
  try {
    await ec2.revokeSecurityGroupIngress({ GroupId: groupId, SecurityGroupRuleIds: ruleIds });
  } catch (error) {
    if (!ctx.isAwsError(error, 'InvalidGroup.NotFound', 'InvalidSecurityGroupRuleId.NotFound')) throw error;
  }
}

/** What is wanted but missing, and which of our rules are stale (another port, another source). */
function compare(found: IngressOutput, port: number) {
  const current = found.rules.filter((r) => r.port === port && SOURCES.includes(r.source));
  return {
    missing: SOURCES.filter((source) => !current.some((r) => r.source === source)),
    stale: found.rules.filter((r) => !current.includes(r)).map((r) => r.ruleId),
  };
}

/** https.ingress: the HTTPS port open to the world on the load balancer's security group. */
export function ingressResource(): ResourceOf<typeof INGRESS> {
  return {
    id: INGRESS,
    title: 'HTTPS ingress',
    kind: 'managed',
    dependsOn: [ALB_SECURITY_GROUP],
    iam: [
      'ec2:DescribeSecurityGroupRules',
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:CreateTags',
      'ec2:RevokeSecurityGroupIngress',
    ],

    async discover(ctx) {
      checkSettings(ctx);
      const group = ctx.outputs.get(ALB_SECURITY_GROUP);
      if (!group) return undefined;
      const rules = await ourRules(ctx, group.groupId);
      return rules.length > 0 ? toOutput(group.groupId, rules) : undefined;
    },

    async create(ctx) {
      const { port } = checkSettings(ctx);
      const group = ctx.outputs.require(ALB_SECURITY_GROUP);
      try {
        return toOutput(group.groupId, await authorize(ctx, group.groupId, port, SOURCES));
      } catch (error) {
        if (!ctx.isAwsError(error, 'InvalidPermission.Duplicate')) throw error;
        // Already open. Ours (a retried create) is fine; a rule someone else added is not ours to take.
        const found = toOutput(group.groupId, await ourRules(ctx, group.groupId));
        const { missing } = compare(found, port);
        if (missing.length > 0) {
          throw ctx.error({
            code: 'HTTPS_INGRESS_CONFLICT',
            message: `Port ${port} is already open on ${group.groupName} (${group.groupId}) by a rule site did not add; site will not adopt it.`,
            suggestions: [
              `Remove that rule (aws ec2 revoke-security-group-ingress --group-id ${group.groupId} --protocol tcp --port ${port} …) and deploy again.`,
            ],
            details: { groupId: group.groupId, port },
            cause: error,
          });
        }
        return found;
      }
    },

    diff(ctx, found) {
      const { port } = checkSettings(ctx);
      const { missing, stale } = compare(found, port);
      if (missing.length === 0 && stale.length === 0) return [];
      const change: Change = {
        field: 'HTTPS ingress',
        from: found.rules.map((r) => `tcp/${r.port} from ${r.source}`),
        to: SOURCES.map((source) => `tcp/${port} from ${source}`),
      };
      return [change];
    },

    // Open the new before closing the old, so the port is never shut while it moves.
    async update(ctx, found) {
      const { port } = checkSettings(ctx);
      const { missing, stale } = compare(found, port);
      const added = toOutput(found.groupId, await authorize(ctx, found.groupId, port, missing)).rules;
      await revoke(ctx, found.groupId, stale);
      return {
        groupId: found.groupId,
        rules: [...found.rules.filter((r) => !stale.includes(r.ruleId)), ...added],
      };
    },

    // Only our own rules, by id: the group and its other rules belong to the network plugin.
    async destroy(ctx, found) {
      await revoke(
        ctx,
        found.groupId,
        found.rules.map((r) => r.ruleId),
      );
    },

    async status(_ctx, found) {
      return found.rules.map((rule) => ({
        name: `tcp/${rule.port} from ${rule.source}`,
        id: rule.ruleId,
        state: 'open',
        detail: `on ${found.groupId}`,
      }));
    },

    summarize: (found) => ({ groupId: found.groupId, ruleIds: found.rules.map((r) => r.ruleId) }),
  };
}
