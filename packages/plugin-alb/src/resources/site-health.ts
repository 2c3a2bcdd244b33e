import type { ResourceOf, ResourceContext, StatusRow } from '@site-cli/core/plugin';
import { targetHealth, waitHealthy } from '../health.js';
import { waitActive } from './load-balancer.js';
import type { SiteHealthOutput, TargetHealthInfo, TargetsOutput } from '../outputs.js';
import { isWaitTimeout } from '@site-cli/plugin-kit';
import { answered, httpGet, resolveAccess, siteUrl, type Access } from '../site-http.js';

export const RESOURCE_ID = 'alb.site-health';

const HTTP_POLL = { initialDelayMs: 1000, factor: 1.5, maxDelayMs: 5000, timeoutMs: 5 * 60_000 };

/** Every target already healthy by what discovery saw moments ago in this run; undefined when not known so. */
function knownHealthy(targets: TargetsOutput): TargetHealthInfo[] | undefined {
  const byId = new Map((targets.health ?? []).map((h) => [h.instanceId, h]));
  const health = targets.instanceIds.map((id) => byId.get(id));
  return health.every((h) => h?.state === 'healthy') ? (health as TargetHealthInfo[]) : undefined;
}

function inputs(ctx: ResourceContext) {
  const lb = ctx.outputs.get('alb.load-balancer');
  const targets = ctx.outputs.get('alb.targets');
  const listener = ctx.outputs.get('alb.listener');
  const port = listener?.port ?? ctx.config.alb.port;
  // Another resource of the site took over the listener's default action (an HTTPS redirect): its
  // redirect is the answer here; what the redirect leads to is that resource's business.
  const owner = listener?.defaultActionOwner;
  const redirects = owner !== undefined && ctx.outputs.has(owner);
  return { lb, targets, port, redirects, url: lb ? siteUrl(lb.dnsName, port) : undefined };
}

/** alb.site-health: deploy is done when the targets are healthy and the site answers 200 through the load balancer. */
export function siteHealthResource(): ResourceOf<typeof RESOURCE_ID> {
  return {
    id: RESOURCE_ID,
    title: 'Site answers',
    kind: 'check',
    // alb.load-balancer is implied by alb.listener; named because its DNS name is read here.
    dependsOn: ['alb.listener', 'alb.targets', 'alb.load-balancer'],
    iam: ['elasticloadbalancing:DescribeTargetHealth'],

    /** One quick pass, no waiting (for `site status`). */
    async discover(ctx) {
      const { lb, targets, url } = inputs(ctx);
      if (!lb || !url) return undefined;
      const health = targets ? ((await targetHealth(ctx, targets.targetGroupArn)) ?? []) : [];
      const access = await resolveAccess(ctx, lb.dnsName, url);
      const http =
        'fetchUrl' in access
          ? await httpGet(access.fetchUrl)
          : { skipped: 'skipped' in access ? access.skipped : access.pending };
      return {
        url,
        targets: health
          .filter((h) => h.state !== 'draining')
          .map(({ instanceId, state, reason }) => ({ instanceId, state, ...(reason ? { reason } : {}) })),
        http,
      };
    },

    async create(ctx) {
      const lb = ctx.outputs.require('alb.load-balancer');
      const targets = ctx.outputs.require('alb.targets');
      const { url, redirects } = inputs(ctx);
      // Created in this run, the load balancer is still provisioning: AWS health-checks nothing before it is active.
      if (lb.state !== 'active') await waitActive(ctx, lb.loadBalancerArn);
      // A re-deploy that changed nothing already knows the targets are healthy: the GET below is the proof.
      // No instances of ours: an Auto Scaling group registers its own, and those are the ones to wait for.
      const ids =
        targets.instanceIds.length > 0
          ? targets.instanceIds
          : ((await targetHealth(ctx, targets.targetGroupArn)) ?? [])
              .filter((h) => h.state !== 'draining')
              .map((h) => h.instanceId);
      const healthy =
        ids.length > 0
          ? ((ids === targets.instanceIds ? knownHealthy(targets) : undefined) ??
            (await waitHealthy(ctx, targets.targetGroupArn, ids, { acceptUnused: false })))
          : [];
      let last = '';
      let access: Access | undefined;
      let result: SiteHealthOutput['http'];
      try {
        result = await ctx.poll(
          `${url} to answer 200`,
          async () => {
            if (!access || 'pending' in access) access = await resolveAccess(ctx, lb.dnsName, url as string);
            if ('skipped' in access) return { skipped: access.skipped };
            if ('pending' in access) {
              last = access.pending;
              ctx.progress(`waiting for DNS: ${access.pending}`);
              return undefined;
            }
            const answer = await httpGet(access.fetchUrl);
            last = answer.status !== undefined ? `HTTP ${answer.status}` : (answer.error ?? 'no answer');
            if (answered(answer, redirects) && answer.status !== 200) last += ` → ${answer.location}`;
            ctx.progress(`GET ${url}: ${last}`);
            if (!answered(answer, redirects)) return undefined;
            return answer.status === 200
              ? { status: 200 }
              : { status: answer.status, location: answer.location };
          },
          HTTP_POLL,
        );
      } catch (error) {
        if (!isWaitTimeout(error)) throw error;
        throw ctx.error({
          code: 'SITE_NOT_ANSWERING',
          message: `The targets are healthy but ${url} does not answer 200 (last: ${last || 'nothing'}).`,
          suggestions: [
            'Run `site alb status` to see the listener and target health.',
            'Run `site deploy` again to resume.',
          ],
          details: { url, last },
          cause: error,
        });
      }
      if (result.skipped) ctx.log.warn(result.skipped);
      return {
        url: url as string,
        targets: healthy.map(({ instanceId, state, reason }) => ({
          instanceId,
          state,
          ...(reason ? { reason } : {}),
        })),
        http: result,
      };
    },

    async destroy() {
      // A check owns nothing.
    },

    async status(_ctx, found) {
      const rows: StatusRow[] = found.targets.map((t) => ({
        name: 'target',
        id: t.instanceId,
        state: t.state,
        detail: t.reason,
      }));
      rows.push({
        name: 'HTTP GET',
        id: found.url,
        state:
          found.http.status !== undefined
            ? String(found.http.status)
            : found.http.skipped
              ? 'skipped'
              : 'no answer',
        detail: found.http.skipped ?? found.http.error ?? (found.http.location && `→ ${found.http.location}`),
      });
      return rows;
    },

    // What "done" rested on: healthy targets and the HTTP answer through the load balancer.
    summarize: (found) => ({
      url: found.url,
      healthyTargets: `${found.targets.filter((t) => t.state === 'healthy').length}/${found.targets.length}`,
      http: found.http.status ?? (found.http.skipped ? 'skipped' : undefined),
    }),
  };
}
