import type { ResourceOf, ResourceContext } from '@site-cli/core/plugin';
import type { Action, Rule, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';
import { checkSettings, domainConfig, HTTPS_PORT, namesOf, normalizeName } from '../config.js';
import { rememberedDomain } from '../remembered.js';
import { ownedBy, rulesOf, tagsByArn } from '../elbv2.js';
import type { HttpRedirectOutput } from '../outputs.js';

export const HTTP_REDIRECT = 'domain.http-redirect';
const HTTPS_LISTENER_ID = 'domain.https-listener';

/** ELB quota "condition values per rule": 5 (ELB User Guide, "Quotas for your Application Load Balancers"). */
const HOSTS_PER_RULE = 5;

/** The site's names, five to a rule: 10 names at most (ACM's quota), so two rules at most, priorities 1 and 2. */
export function hostGroups(names: string[]): string[][] {
  const groups: string[][] = [];
  for (let i = 0; i < names.length; i += HOSTS_PER_RULE) groups.push(names.slice(i, i + HOSTS_PER_RULE));
  return groups;
}

/**
 * A 301 to https://#{host}:443/#{path}?#{query} (the ELB defaults keep host, path and query). Only for the
 * site's own names (host-header): http://<load balancer DNS name>/ keeps forwarding, so alb.site-health keeps
 * checking the instances over HTTP, and alb.listener keeps owning its default action.
 */
const redirect = (): Action[] => [
  {
    Type: 'redirect',
    RedirectConfig: { Protocol: 'HTTPS', Port: String(HTTPS_PORT), StatusCode: 'HTTP_301' },
  },
];
const conditions = (hosts: string[]): RuleCondition[] => [
  { Field: 'host-header', HostHeaderConfig: { Values: hosts } },
];

function hostsOf(rule: Rule): string[] {
  const condition = rule.Conditions?.find((c) => c.Field === 'host-header');
  return (condition?.HostHeaderConfig?.Values ?? condition?.Values ?? []).map(normalizeName);
}

const redirects = (rule: Rule) => {
  const action = rule.Actions?.[0];
  return (
    action?.Type === 'redirect' &&
    action.RedirectConfig?.Protocol === 'HTTPS' &&
    action.RedirectConfig.StatusCode === 'HTTP_301'
  );
};

async function ourRules(ctx: ResourceContext, listenerArn: string): Promise<Rule[]> {
  const rules = (await rulesOf(ctx, listenerArn)).filter((r) => !r.IsDefault && r.RuleArn);
  if (rules.length === 0) return [];
  const tags = await tagsByArn(
    ctx,
    rules.map((r) => r.RuleArn as string),
  );
  return rules
    .filter((r) => ownedBy(ctx, tags.get(r.RuleArn as string), HTTP_REDIRECT))
    .sort((a, b) => Number(a.Priority) - Number(b.Priority));
}

const toOutput = (listenerArn: string, rules: Rule[]): HttpRedirectOutput => ({
  listenerArn,
  rules: rules.map((r) => ({ ruleArn: r.RuleArn ?? '', priority: r.Priority ?? '', hosts: hostsOf(r) })),
});

/** Make our rules say what the config says: modify the ones there, create the missing, delete the surplus. */
async function converge(
  ctx: ResourceContext,
  listenerArn: string,
  existing: Rule[],
): Promise<HttpRedirectOutput> {
  const elbv2 = await ctx.aws.elbv2();
  const groups = hostGroups(namesOf(checkSettings(ctx)));
  for (const [index, hosts] of groups.entries()) {
    const rule = existing[index];
    if (rule?.RuleArn) {
      const same = hostsOf(rule).join(',') === hosts.join(',') && redirects(rule);
      if (!same)
        await elbv2.modifyRule({ RuleArn: rule.RuleArn, Conditions: conditions(hosts), Actions: redirect() });
      continue;
    }
    try {
      await elbv2.createRule({
        ListenerArn: listenerArn,
        Priority: index + 1,
        Conditions: conditions(hosts),
        Actions: redirect(),
        Tags: ctx.tags.forResource(HTTP_REDIRECT, ctx.naming.derive(`redirect-${index + 1}`)),
      });
    } catch (error) {
      if (!ctx.isAwsError(error, 'PriorityInUse')) throw error;
      throw ctx.error({
        code: 'DOMAIN_REDIRECT_CONFLICT',
        message: `Priority ${index + 1} on the site's HTTP listener is taken by a rule this site did not create; site will not change it.`,
        suggestions: [
          'Delete that rule (aws elbv2 describe-rules --listener-arn <arn>) or move it to another priority, then deploy again.',
        ],
        exitCode: 1,
        details: { listenerArn },
      });
    }
  }
  for (const rule of existing.slice(groups.length))
    if (rule.RuleArn) await elbv2.deleteRule({ RuleArn: rule.RuleArn });
  return toOutput(listenerArn, await ourRules(ctx, listenerArn));
}

/** domain.http-redirect: rules on the site's port-80 listener sending its names to HTTPS with a 301. */
export function httpRedirectResource(): ResourceOf<typeof HTTP_REDIRECT> {
  return {
    id: HTTP_REDIRECT,
    title: 'HTTP → HTTPS redirect',
    kind: 'managed',
    // Redirect once HTTPS answers.
    dependsOn: ['alb.listener', HTTPS_LISTENER_ID],
    iam: [
      'elasticloadbalancing:DescribeRules',
      'elasticloadbalancing:DescribeTags',
      'elasticloadbalancing:CreateRule',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:ModifyRule',
      'elasticloadbalancing:DeleteRule',
    ],

    async discover(ctx) {
      if (domainConfig(ctx.config)) checkSettings(ctx);
      else if (!(await rememberedDomain(ctx))) return undefined;
      const http = ctx.outputs.get('alb.listener');
      if (!http) return undefined;
      const rules = await ourRules(ctx, http.listenerArn);
      return rules.length > 0 ? toOutput(http.listenerArn, rules) : undefined;
    },

    create: (ctx) => converge(ctx, ctx.outputs.require('alb.listener').listenerArn, []),

    diff(ctx, found) {
      const wanted = hostGroups(namesOf(checkSettings(ctx))).map((hosts) => hosts.join(','));
      const now = found.rules.map((r) => r.hosts.join(','));
      return wanted.join(' | ') === now.join(' | ')
        ? []
        : [{ field: 'redirected hosts', from: now.join(' | '), to: wanted.join(' | ') }];
    },

    update: async (ctx, found) => converge(ctx, found.listenerArn, await ourRules(ctx, found.listenerArn)),

    async destroy(ctx, found) {
      const elbv2 = await ctx.aws.elbv2();
      for (const rule of found.rules) {
        try {
          await elbv2.deleteRule({ RuleArn: rule.ruleArn });
        } catch (error) {
          if (!ctx.isAwsError(error, 'RuleNotFound', 'ListenerNotFound')) throw error;
        }
      }
    },

    async status(_ctx, found) {
      return found.rules.map((rule) => ({
        name: `HTTP → HTTPS:${HTTPS_PORT}`,
        id: rule.ruleArn,
        state: 'redirect 301',
        detail: `priority ${rule.priority}: ${rule.hosts.join(', ')}`,
      }));
    },

    summarize: (found) => ({ ruleArn: found.rules[0]?.ruleArn }),
  };
}
