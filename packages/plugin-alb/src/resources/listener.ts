import { deleteIgnoringGone } from '@site-cli/plugin-kit';
import type { Action, Listener } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Change, ResourceOf, ResourceContext } from '@site-cli/core/plugin';
import { tagsOf } from '../ownership.js';
import type { ListenerOutput } from '../outputs.js';

export const RESOURCE_ID = 'alb.listener';

/**
 * Another resource of the site may take over this listener's default action (e.g. a redirect to HTTPS):
 * it tags the listener `site:default-action=<its resource id>`, and this resource leaves the action alone
 * while that one is in the run. Without it (plugin removed or turned off) the forward comes back.
 */
export const DEFAULT_ACTION_TAG = 'site:default-action';

/** What a listener's default action does, in a word: 'forward', 'redirect', 'fixed-response'. */
function describeAction(actions: Action[] | undefined): { action: string; targetGroupArn?: string } {
  const first = [...(actions ?? [])].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0))[0];
  if (!first) return { action: 'none' };
  const targetGroupArn =
    first.TargetGroupArn ??
    (first.ForwardConfig?.TargetGroups?.length === 1
      ? first.ForwardConfig.TargetGroups[0].TargetGroupArn
      : undefined);
  return { action: first.Type ?? 'unknown', targetGroupArn };
}

function toOutput(listener: Listener): ListenerOutput {
  return {
    listenerArn: listener.ListenerArn ?? '',
    port: listener.Port ?? 0,
    protocol: listener.Protocol ?? '',
    ...describeAction(listener.DefaultActions),
  };
}

/** Who owns a non-forward default action: one DescribeTags, only when the action is not ours. */
async function withOwner(ctx: ResourceContext, found: ListenerOutput): Promise<ListenerOutput> {
  if (found.action === 'forward') return found;
  const tags = await tagsOf(ctx, found.listenerArn);
  const owner = ctx.tags.toRecord(tags)[DEFAULT_ACTION_TAG];
  return owner && ctx.tags.isOwned(tags, RESOURCE_ID) ? { ...found, defaultActionOwner: owner } : found;
}

/** True when the resource that took over the default action is part of this run and was found. */
function handedOver(ctx: ResourceContext, found: ListenerOutput): boolean {
  return found.defaultActionOwner !== undefined && ctx.outputs.has(found.defaultActionOwner);
}

async function listenersOf(ctx: ResourceContext, loadBalancerArn: string): Promise<Listener[]> {
  const elbv2 = await ctx.aws.elbv2();
  try {
    const { Listeners = [] } = await elbv2.describeListeners({ LoadBalancerArn: loadBalancerArn });
    return Listeners;
  } catch (error) {
    if (ctx.awsErrorCode(error) === 'LoadBalancerNotFound') return [];
    throw error;
  }
}

function forwardTo(ctx: ResourceContext): Action[] {
  const tg = ctx.outputs.require('alb.target-group');
  return [{ Type: 'forward', TargetGroupArn: tg.targetGroupArn }];
}

async function modify(ctx: ResourceContext, found: ListenerOutput): Promise<ListenerOutput> {
  const elbv2 = await ctx.aws.elbv2();
  // A default action another resource took over stays; only port and protocol are ours then.
  const keepAction = handedOver(ctx, found);
  const { Listeners = [] } = await elbv2.modifyListener({
    ListenerArn: found.listenerArn,
    Port: ctx.config.alb.port,
    Protocol: 'HTTP',
    DefaultActions: keepAction ? undefined : forwardTo(ctx),
  });
  if (!Listeners[0]) return found;
  const updated = toOutput(Listeners[0]);
  return keepAction ? { ...updated, defaultActionOwner: found.defaultActionOwner } : updated;
}

/** alb.listener: HTTP on `alb.port`, forwarding to the site's target group. */
export function listenerResource(): ResourceOf<typeof RESOURCE_ID> {
  return {
    id: RESOURCE_ID,
    title: 'Listener',
    kind: 'managed',
    dependsOn: ['alb.load-balancer', 'alb.target-group'],
    iam: [
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeTags',
      'elasticloadbalancing:CreateListener',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:ModifyListener',
      'elasticloadbalancing:DeleteListener',
    ],

    async discover(ctx) {
      const lb = ctx.outputs.get('alb.load-balancer');
      if (!lb) return undefined;
      const listeners = await listenersOf(ctx, lb.loadBalancerArn);
      // The other listeners' ports, read here anyway: another plugin tells from them whether it has one to look at.
      const withOthers = (found: ListenerOutput): ListenerOutput => ({
        ...found,
        otherPorts: listeners.filter((l) => l.Port !== found.port).map((l) => l.Port ?? 0),
      });
      const onPort = listeners.find((l) => l.Port === ctx.config.alb.port);
      if (onPort) return withOwner(ctx, withOthers(toOutput(onPort)));
      // The port changed: our own listener on another port is updated in place, never another one's.
      for (const listener of listeners) {
        if (listener.ListenerArn && ctx.tags.isOwned(await tagsOf(ctx, listener.ListenerArn), RESOURCE_ID))
          return withOwner(ctx, withOthers(toOutput(listener)));
      }
      return undefined;
    },

    async create(ctx) {
      const elbv2 = await ctx.aws.elbv2();
      const lb = ctx.outputs.require('alb.load-balancer');
      try {
        const { Listeners = [] } = await elbv2.createListener({
          LoadBalancerArn: lb.loadBalancerArn,
          Protocol: 'HTTP',
          Port: ctx.config.alb.port,
          DefaultActions: forwardTo(ctx),
          Tags: ctx.tags.forResource(RESOURCE_ID, ctx.naming.derive(`http-${ctx.config.alb.port}`)),
        });
        if (Listeners[0]) return toOutput(Listeners[0]);
      } catch (error) {
        if (ctx.awsErrorCode(error) !== 'DuplicateListener') throw error;
      }
      // Already there (a retried create): make it forward to our group.
      const existing = (await listenersOf(ctx, lb.loadBalancerArn)).find(
        (l) => l.Port === ctx.config.alb.port,
      );
      if (!existing?.ListenerArn) {
        throw ctx.error({
          code: 'LISTENER_CREATE_FAILED',
          message: `No listener on port ${ctx.config.alb.port} of ${lb.loadBalancerName} after CreateListener.`,
        });
      }
      return modify(ctx, toOutput(existing));
    },

    diff(ctx, found) {
      const changes: Change[] = [];
      const tg = ctx.outputs.get('alb.target-group');
      if (found.port !== ctx.config.alb.port)
        changes.push({ field: 'listener port', from: found.port, to: ctx.config.alb.port });
      if (found.protocol !== 'HTTP')
        changes.push({ field: 'listener protocol', from: found.protocol, to: 'HTTP' });
      if (
        !handedOver(ctx, found) &&
        (found.action !== 'forward' || !tg || found.targetGroupArn !== tg.targetGroupArn)
      ) {
        changes.push({
          field: 'listener action',
          from:
            found.action === 'forward'
              ? `forward to ${found.targetGroupArn ?? 'several groups'}`
              : found.action,
          to: `forward to ${tg?.targetGroupName ?? ctx.naming.targetGroup}`,
        });
      }
      return changes;
    },

    update: (ctx, found) => modify(ctx, found),

    async destroy(ctx, found) {
      const elbv2 = await ctx.aws.elbv2();
      await deleteIgnoringGone(
        () => elbv2.deleteListener({ ListenerArn: found.listenerArn }),
        'ListenerNotFound',
      );
    },

    async status(_ctx, found) {
      return [
        {
          name: `${found.protocol}:${found.port}`,
          id: found.listenerArn,
          state: found.action ?? 'unknown',
          detail: found.targetGroupArn
            ? `→ ${found.targetGroupArn}`
            : found.defaultActionOwner
              ? `set by ${found.defaultActionOwner}`
              : undefined,
        },
      ];
    },

    summarize: (found) => ({ listenerArn: found.listenerArn, port: found.port }),
  };
}
