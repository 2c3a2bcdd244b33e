import type { SimContext } from '../context.js';
import { AwsError, err } from '../errors.js';
import { toTagList } from '../filters.js';
import type { ListenerRec, LoadBalancerRec, TargetGroupRec } from '../state.js';

export const validation = (msg: string) => new AwsError('ValidationError', msg);

export function validateName(name: string | undefined, kind: 'load balancer' | 'target group'): string {
  const label = kind === 'load balancer' ? 'Load balancer' : 'Target group';
  if (!name) throw validation(`${label} name is required`);
  if (name.length > 32) throw validation(`${label} name '${name}' cannot be longer than '32' characters`);
  if (!/^[A-Za-z0-9-]+$/.test(name))
    throw validation(
      `${label} name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`,
    );
  if (name.startsWith('-') || name.endsWith('-'))
    throw validation(`${label} name '${name}' cannot begin or end with '-'`);
  if (kind === 'load balancer' && name.toLowerCase().startsWith('internal-'))
    throw validation(`Load balancer name '${name}' cannot begin with 'internal-'`);
  return name;
}

const ARN_RE = (kind: string) =>
  new RegExp(`^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:${kind}/`);

export function checkArn(arn: string, kind: 'loadbalancer' | 'targetgroup' | 'listener'): void {
  const noun =
    kind === 'loadbalancer' ? 'load balancer' : kind === 'targetgroup' ? 'target group' : 'listener';
  if (!ARN_RE(kind).test(arn)) throw validation(`'${arn}' is not a valid ${noun} ARN`);
}

export function findLb(ctx: SimContext, arn: string | undefined): LoadBalancerRec {
  if (!arn)
    throw validation(
      "1 validation error detected: Value null at 'loadBalancerArn' failed to satisfy constraint: Member must not be null",
    );
  checkArn(arn, 'loadbalancer');
  const lb = ctx.state.loadBalancers.find((l) => l.arn === arn);
  if (!lb) throw err('LoadBalancerNotFound', `Load balancer '${arn}' not found`);
  return lb;
}

export function findTg(ctx: SimContext, arn: string | undefined): TargetGroupRec {
  if (!arn)
    throw validation(
      "1 validation error detected: Value null at 'targetGroupArn' failed to satisfy constraint: Member must not be null",
    );
  checkArn(arn, 'targetgroup');
  const tg = ctx.state.targetGroups.find((t) => t.arn === arn);
  if (!tg) throw err('TargetGroupNotFound', `Target group '${arn}' not found`);
  return tg;
}

export function findListener(ctx: SimContext, arn: string | undefined): ListenerRec {
  if (!arn)
    throw validation(
      "1 validation error detected: Value null at 'listenerArn' failed to satisfy constraint: Member must not be null",
    );
  checkArn(arn, 'listener');
  const l = ctx.state.listeners.find((x) => x.arn === arn);
  if (!l) throw err('ListenerNotFound', `Listener '${arn}' not found`);
  return l;
}

/** Target group ARNs an action forwards to. */
export function actionTargetGroups(a: any): string[] {
  const out = new Set<string>();
  if (a?.TargetGroupArn) out.add(a.TargetGroupArn);
  for (const t of a?.ForwardConfig?.TargetGroups ?? []) if (t.TargetGroupArn) out.add(t.TargetGroupArn);
  return [...out];
}

/** Listeners (with their LB) that forward to a target group, by a default action or a rule. */
export function listenersForTg(ctx: SimContext, tgArn: string): ListenerRec[] {
  const forwards = (actions: any[]) => actions.some((a) => actionTargetGroups(a).includes(tgArn));
  return ctx.state.listeners.filter(
    (l) =>
      forwards(l.defaultActions) ||
      (ctx.state.rules ?? []).some((r) => r.listenerArn === l.arn && forwards(r.actions)),
  );
}

export function lbArnsForTg(ctx: SimContext, tgArn: string): string[] {
  return [...new Set(listenersForTg(ctx, tgArn).map((l) => l.lbArn))];
}

export function checkTags(tags: { Key?: string; Value?: string }[] | undefined): void {
  const seen = new Set<string>();
  for (const t of tags ?? []) {
    if (!t.Key) throw validation('A tag key is required');
    if (seen.has(t.Key)) throw err('DuplicateTagKeys', `Tag key '${t.Key}' is duplicated`);
    seen.add(t.Key);
  }
  if (seen.size > 50)
    throw err(
      'TooManyTags',
      'The quota for the number of tags that can be assigned to a load balancer has been reached',
    );
}

export function elbTags(ctx: SimContext, arn: string) {
  return toTagList(ctx.tagsOf(arn));
}

export function pageSize(n: number | undefined): number | undefined {
  if (n !== undefined && (n < 1 || n > 400))
    throw validation(
      `1 validation error detected: Value '${n}' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and 400`,
    );
  return n;
}

/** Keep every target group's attachedSince in step with the listeners of a load balancer (after any change). */
export function syncAttachments(ctx: SimContext, lbArn: string): void {
  for (const tg of ctx.state.targetGroups) {
    const forwarded = listenersForTg(ctx, tg.arn).some((l) => l.lbArn === lbArn);
    if (forwarded) (tg.attachedSince ??= {})[lbArn] ??= ctx.now();
    else if (tg.attachedSince) delete tg.attachedSince[lbArn];
  }
}
