import type { Change, ResourceOf, ResourceContext } from '@site-cli/core/plugin';
import { checkSettings } from '../config.js';
import { DEFAULT_ACTION_TAG, listenersOf, listenerTags } from '../elbv2.js';
import type { RedirectOutput } from '../outputs.js';

export const REDIRECT = 'https.redirect';
const HTTP_LISTENER = 'alb.listener';

/**
 * https.redirect turns the site's port-80 listener (alb.listener) into a 301 to HTTPS. It does not own
 * that listener: it takes over its default action and says so with the tag `site:default-action=https.redirect`,
 * which alb.listener honours (no drift, no undo) for as long as this resource is part of the run.
 */
function redirectAction(port: number) {
  return [
    {
      Type: 'redirect' as const,
      RedirectConfig: { Protocol: 'HTTPS', Port: String(port), StatusCode: 'HTTP_301' as const },
    },
  ];
}

async function setRedirect(ctx: ResourceContext, listenerArn: string): Promise<RedirectOutput> {
  const { port } = checkSettings(ctx);
  const elbv2 = await ctx.aws.elbv2();
  // Claim first, then redirect: the listener is never redirecting without saying who did it.
  await elbv2.addTags({ ResourceArns: [listenerArn], Tags: [{ Key: DEFAULT_ACTION_TAG, Value: REDIRECT }] });
  const { Listeners = [] } = await elbv2.modifyListener({
    ListenerArn: listenerArn,
    DefaultActions: redirectAction(port),
  });
  const listener = Listeners[0];
  const config = listener?.DefaultActions?.[0]?.RedirectConfig;
  return {
    listenerArn,
    fromPort: listener?.Port ?? 0,
    protocol: config?.Protocol ?? 'HTTPS',
    port: config?.Port ?? String(port),
    statusCode: config?.StatusCode ?? 'HTTP_301',
  };
}

/** https.redirect: port 80 answers 301 → https://<host>:<https.port>/<path>?<query>. */
export function redirectResource(): ResourceOf<typeof REDIRECT> {
  return {
    id: REDIRECT,
    title: 'HTTP → HTTPS redirect',
    kind: 'managed',
    // Redirect only once HTTPS answers: the listener and the open port, and the site checked over HTTP.
    dependsOn: [
      HTTP_LISTENER,
      'alb.load-balancer',
      'alb.target-group',
      'https.listener',
      'https.ingress',
      'alb.site-health',
    ],
    iam: [
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeTags',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:ModifyListener',
      'elasticloadbalancing:RemoveTags',
    ],

    async discover(ctx) {
      checkSettings(ctx);
      const lb = ctx.outputs.get('alb.load-balancer');
      const http = ctx.outputs.get(HTTP_LISTENER);
      if (!lb || !http) return undefined;
      const listeners = await listenersOf(ctx, lb.loadBalancerArn);
      const listener = listeners.find((l) => l.ListenerArn === http.listenerArn);
      const action = listener?.DefaultActions?.[0];
      if (!listener || action?.Type !== 'redirect') return undefined;
      const tags = await listenerTags(ctx, listeners);
      if (tags.get(http.listenerArn)?.[DEFAULT_ACTION_TAG] !== REDIRECT) return undefined;
      return {
        listenerArn: http.listenerArn,
        fromPort: listener.Port ?? 0,
        protocol: action.RedirectConfig?.Protocol ?? '',
        port: action.RedirectConfig?.Port ?? '',
        statusCode: action.RedirectConfig?.StatusCode ?? '',
      };
    },

    create: (ctx) => setRedirect(ctx, ctx.outputs.require(HTTP_LISTENER).listenerArn),

    diff(ctx, found) {
      const { port } = checkSettings(ctx);
      const changes: Change[] = [];
      const now = `${found.protocol}:${found.port} (${found.statusCode})`;
      const wanted = `HTTPS:${port} (HTTP_301)`;
      if (now !== wanted) changes.push({ field: 'redirect', from: now, to: wanted });
      return changes;
    },

    update: (ctx, found) => setRedirect(ctx, found.listenerArn),

    // Hand the listener back as alb.listener makes it: forwarding to the site's target group, claim removed.
    async destroy(ctx, found) {
      const elbv2 = await ctx.aws.elbv2();
      const tg = ctx.outputs.get('alb.target-group');
      try {
        if (tg) {
          await elbv2.modifyListener({
            ListenerArn: found.listenerArn,
            DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.targetGroupArn }],
          });
        }
        await elbv2.removeTags({ ResourceArns: [found.listenerArn], TagKeys: [DEFAULT_ACTION_TAG] });
      } catch (error) {
        if (ctx.awsErrorCode(error) !== 'ListenerNotFound') throw error;
      }
    },

    async status(_ctx, found) {
      return [
        {
          name: `HTTP:${found.fromPort} → ${found.protocol}:${found.port}`,
          id: found.listenerArn,
          state: `redirect ${found.statusCode.replace('HTTP_', '')}`,
        },
      ];
    },

    summarize: (found) => ({ listenerArn: found.listenerArn, redirect: `${found.protocol}:${found.port}` }),
  };
}
