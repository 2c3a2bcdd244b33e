import { createHash } from 'node:crypto';
import type { SimContext } from '../context.js';
import { err } from '../errors.js';
import { paginate } from '../filters.js';
import type { ActionDef } from '../service.js';
import type { ListenerRec, ListenerRuleRec } from '../state.js';
import { checkTags, findListener, pageSize, syncAttachments, validation } from './common.js';
import { normalizeActions } from './listeners.js';

/** Rules per listener, the default one not counted (ELBv2 quotas). */
const RULES_PER_LISTENER = 100;
/** Condition values per rule (ELBv2 quotas: "match evaluations per rule"). */
const VALUES_PER_RULE = 5;
const FIELDS = [
  'host-header',
  'path-pattern',
  'http-request-method',
  'http-header',
  'query-string',
  'source-ip',
];
/** Fields a rule may name once (the ELBv2 API reference, RuleCondition). */
const ONCE = ['host-header', 'path-pattern', 'http-request-method', 'source-ip'];

const RULE_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener-rule\//;

const ruleNotFound = () => err('RuleNotFound', 'One or more rules not found');

/** The default rule's ARN: derived from its listener, as it lives and dies with it. */
function defaultRuleArn(l: ListenerRec): string {
  const id = createHash('sha256').update(`${l.arn}/default`).digest('hex').slice(0, 16);
  return `${l.arn.replace(':listener/', ':listener-rule/')}/${id}`;
}

/** The values a condition matches, from its config or the older `Values`. */
export function conditionValues(c: any): any[] {
  switch (c.Field) {
    case 'host-header':
      return c.HostHeaderConfig?.Values ?? c.Values ?? [];
    case 'path-pattern':
      return c.PathPatternConfig?.Values ?? c.Values ?? [];
    case 'http-request-method':
      return c.HttpRequestMethodConfig?.Values ?? [];
    case 'http-header':
      return c.HttpHeaderConfig?.Values ?? [];
    case 'query-string':
      return c.QueryStringConfig?.Values ?? [];
    case 'source-ip':
      return c.SourceIpConfig?.Values ?? [];
    default:
      return [];
  }
}

/** Checks conditions as the API reference states them, and echoes them as AWS does (Values and config). */
function normalizeConditions(conditions: any[] | undefined): any[] {
  if (!conditions?.length) throw validation('A rule must have at least one condition');
  const seen = new Set<string>();
  let values = 0;
  const out = conditions.map((c) => {
    if (!FIELDS.includes(c.Field))
      throw validation(`Condition field '${c.Field ?? ''}' must be one of [${FIELDS.join(', ')}]`);
    if (ONCE.includes(c.Field) && seen.has(c.Field))
      throw validation(`A rule can only have one '${c.Field}' condition`);
    seen.add(c.Field);
    const v = conditionValues(c);
    if (!v.length) throw validation(`A '${c.Field}' condition must have at least one value`);
    if (c.Field === 'http-header' && !c.HttpHeaderConfig?.HttpHeaderName)
      throw validation('An http-header condition must name its header');
    values += v.length;
    switch (c.Field) {
      case 'host-header':
        return { Field: c.Field, Values: v, HostHeaderConfig: { Values: v } };
      case 'path-pattern':
        return { Field: c.Field, Values: v, PathPatternConfig: { Values: v } };
      default:
        return { ...c };
    }
  });
  if (values > VALUES_PER_RULE)
    throw validation(`A rule can have at most ${VALUES_PER_RULE} condition values, not ${values}`);
  return out;
}

function ruleOut(r: ListenerRuleRec) {
  return {
    RuleArn: r.arn,
    Priority: String(r.priority),
    Conditions: r.conditions,
    Actions: r.actions,
    IsDefault: false,
  };
}

function defaultRuleOut(l: ListenerRec) {
  return {
    RuleArn: defaultRuleArn(l),
    Priority: 'default',
    Conditions: [],
    Actions: l.defaultActions,
    IsDefault: true,
  };
}

function checkPriority(
  ctx: SimContext,
  listenerArn: string,
  priority: number,
  except?: ListenerRuleRec,
): void {
  if (
    (ctx.state.rules ?? []).some(
      (r) => r.listenerArn === listenerArn && r.priority === priority && r !== except,
    )
  )
    throw err('PriorityInUse', `Priority '${priority}' is currently in use`);
}

function findRule(ctx: SimContext, arn: string | undefined): ListenerRuleRec {
  if (!arn || !RULE_ARN.test(arn)) throw validation(`'${arn ?? ''}' is not a valid listener rule ARN`);
  const rule = (ctx.state.rules ?? []).find((r) => r.arn === arn);
  if (!rule) {
    if (ctx.state.listeners.some((l) => defaultRuleArn(l) === arn))
      throw err('OperationNotPermitted', 'Default rule cannot be modified or deleted');
    throw ruleNotFound();
  }
  return rule;
}

const lbOf = (ctx: SimContext, l: ListenerRec) => ctx.state.loadBalancers.find((x) => x.arn === l.lbArn)!;

export const ruleActions: Record<string, ActionDef> = {
  CreateRule: {
    mutating: true,
    fn(ctx, input) {
      const listener = findListener(ctx, input.ListenerArn);
      const conditions = normalizeConditions(input.Conditions);
      const actions = normalizeActions(ctx, lbOf(ctx, listener), input.Actions, listener.protocol);
      checkTags(input.Tags);
      checkPriority(ctx, listener.arn, input.Priority);
      const rules = (ctx.state.rules ??= []);
      if (rules.filter((r) => r.listenerArn === listener.arn).length >= RULES_PER_LISTENER)
        throw err('TooManyRules', 'You have reached the limit on the number of rules per listener');
      const rule: ListenerRuleRec = {
        arn: `${listener.arn.replace(':listener/', ':listener-rule/')}/${ctx.ids.arnSuffix()}`,
        listenerArn: listener.arn,
        priority: input.Priority,
        conditions,
        actions,
      };
      rules.push(rule);
      ctx.setTags(rule.arn, input.Tags);
      syncAttachments(ctx, listener.lbArn);
      return { Rules: [ruleOut(rule)] };
    },
  },
  DescribeRules: {
    mutating: false,
    fn(ctx, input) {
      const arns: string[] = input.RuleArns ?? [];
      if (!arns.length && !input.ListenerArn)
        throw validation('You must specify either listener ARNs or rule ARNs');
      if (arns.length && input.ListenerArn)
        throw validation('Listener ARNs and rule ARNs cannot be specified at the same time');
      let out: ReturnType<typeof ruleOut>[];
      if (input.ListenerArn) {
        const l = findListener(ctx, input.ListenerArn);
        const own = (ctx.state.rules ?? [])
          .filter((r) => r.listenerArn === l.arn)
          .sort((a, b) => a.priority - b.priority);
        out = [...own.map(ruleOut), defaultRuleOut(l)];
      } else {
        out = arns.map((arn) => {
          const l = ctx.state.listeners.find((x) => defaultRuleArn(x) === arn);
          if (l) return defaultRuleOut(l);
          const r = (ctx.state.rules ?? []).find((x) => x.arn === arn);
          if (!r) throw ruleNotFound();
          return ruleOut(r);
        });
      }
      const { page, next } = paginate(out, pageSize(input.PageSize), input.Marker, 'ValidationError');
      return { Rules: page, NextMarker: next };
    },
  },
  ModifyRule: {
    mutating: true,
    fn(ctx, input) {
      const rule = findRule(ctx, input.RuleArn);
      const listener = ctx.state.listeners.find((l) => l.arn === rule.listenerArn)!;
      const conditions = input.Conditions?.length ? normalizeConditions(input.Conditions) : rule.conditions;
      const actions = input.Actions?.length
        ? normalizeActions(ctx, lbOf(ctx, listener), input.Actions, listener.protocol)
        : rule.actions;
      rule.conditions = conditions;
      rule.actions = actions;
      syncAttachments(ctx, listener.lbArn);
      return { Rules: [ruleOut(rule)] };
    },
  },
  DeleteRule: {
    mutating: true,
    fn(ctx, input) {
      const rule = findRule(ctx, input.RuleArn);
      ctx.state.rules = ctx.state.rules!.filter((r) => r !== rule);
      delete ctx.state.tags[rule.arn];
      const listener = ctx.state.listeners.find((l) => l.arn === rule.listenerArn);
      if (listener) syncAttachments(ctx, listener.lbArn);
      return {};
    },
  },
};

/** Forgets the rules of listeners that are gone (DeleteListener, DeleteLoadBalancer). */
export function dropRulesOf(ctx: SimContext, listenerArns: readonly string[]): void {
  if (!ctx.state.rules?.length) return;
  for (const r of ctx.state.rules) if (listenerArns.includes(r.listenerArn)) delete ctx.state.tags[r.arn];
  ctx.state.rules = ctx.state.rules.filter((r) => !listenerArns.includes(r.listenerArn));
}
