import type { ResourceOf, ResourceContext } from '@site-cli/core/plugin';
import type { SecurityGroupRule } from '@aws-sdk/client-ec2';
import { checkSettings, domainConfig, HTTPS_PORT } from '../config.js';
import { rememberedDomain } from '../remembered.js';
import type { IngressOutput } from '../outputs.js';

export const INGRESS = 'domain.ingress';

/** HTTPS from anywhere, IPv4 and IPv6, as the network plugin opens HTTP. The instances' group is unchanged. */
const SOURCES = ['0.0.0.0/0', '::/0'];

const sourceOf = (rule: SecurityGroupRule) => rule.CidrIpv4 ?? rule.CidrIpv6 ?? '';

/** Our rules on the load balancer's group, by their tags (each rule is tagged at creation). */
async function ourRules(ctx: ResourceContext, groupId: string): Promise<SecurityGroupRule[]> {
  const ec2 = await ctx.aws.ec2();
  const rules: SecurityGroupRule[] = [];
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

const toOutput = (groupId: string, rules: SecurityGroupRule[]): IngressOutput => ({
  groupId,
  rules: rules.map((rule) => ({
    ruleId: rule.SecurityGroupRuleId ?? '',
    port: rule.FromPort ?? -1,
    source: sourceOf(rule),
  })),
});

async function authorize(ctx: ResourceContext, groupId: string, sources: string[]): Promise<IngressOutput> {
  const ec2 = await ctx.aws.ec2();
  const Description = `HTTPS to the load balancer of site ${ctx.config.name}`;
  try {
    const { SecurityGroupRules = [] } = await ec2.authorizeSecurityGroupIngress({
      GroupId: groupId,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: HTTPS_PORT,
          ToPort: HTTPS_PORT,
          IpRanges: sources.filter((s) => !s.includes(':')).map((CidrIp) => ({ CidrIp, Description })),
          Ipv6Ranges: sources.filter((s) => s.includes(':')).map((CidrIpv6) => ({ CidrIpv6, Description })),
        },
      ],
      TagSpecifications: [
        {
          ResourceType: 'security-group-rule',
          Tags: ctx.tags.forResource(INGRESS, ctx.naming.derive('https')),
        },
      ],
    });
    if (SecurityGroupRules.length > 0) return toOutput(groupId, SecurityGroupRules);
  } catch (error) {
    // A retried create: ours is found by tags below; a rule someone else added is left alone (and still opens 443).
    if (!ctx.isAwsError(error, 'InvalidPermission.Duplicate')) throw error;
  }
  return toOutput(groupId, await ourRules(ctx, groupId));
}

/** domain.ingress: port 443 open to the world on the load balancer's security group. */
export function ingressResource(): ResourceOf<typeof INGRESS> {
  return {
    id: INGRESS,
    title: 'HTTPS ingress',
    kind: 'managed',
    dependsOn: ['network.alb-security-group'],
    iam: [
      'ec2:DescribeSecurityGroupRules',
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:CreateTags',
      'ec2:RevokeSecurityGroupIngress',
    ],

    async discover(ctx) {
      if (domainConfig(ctx.config)) checkSettings(ctx);
      else if (!(await rememberedDomain(ctx))) return undefined;
      const group = ctx.outputs.get('network.alb-security-group');
      if (!group) return undefined;
      const rules = await ourRules(ctx, group.groupId);
      return rules.length > 0 ? toOutput(group.groupId, rules) : undefined;
    },

    create: (ctx) => authorize(ctx, ctx.outputs.require('network.alb-security-group').groupId, SOURCES),

    diff(_ctx, found) {
      const open = SOURCES.filter((source) =>
        found.rules.some((r) => r.port === HTTPS_PORT && r.source === source),
      );
      return open.length === SOURCES.length
        ? []
        : [{ field: 'HTTPS sources', from: open.join(', '), to: SOURCES.join(', ') }];
    },

    async update(ctx, found) {
      const missing = SOURCES.filter(
        (source) => !found.rules.some((r) => r.port === HTTPS_PORT && r.source === source),
      );
      await authorize(ctx, found.groupId, missing);
      return toOutput(found.groupId, await ourRules(ctx, found.groupId));
    },

    async destroy(ctx, found) {
      const ec2 = await ctx.aws.ec2();
      try {
        await ec2.revokeSecurityGroupIngress({
          GroupId: found.groupId,
          SecurityGroupRuleIds: found.rules.map((r) => r.ruleId),
        });
      } catch (error) {
        if (!ctx.isAwsError(error, 'InvalidGroup.NotFound', 'InvalidSecurityGroupRuleId.NotFound'))
          throw error;
      }
    },

    async status(_ctx, found) {
      return [
        {
          name: `HTTPS ${HTTPS_PORT} from ${found.rules.map((r) => r.source).join(', ')}`,
          id: found.groupId,
          state: 'open',
        },
      ];
    },

    summarize: (found) => ({ groupId: found.groupId }),
  };
}
