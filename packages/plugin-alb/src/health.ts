import type { ResourceContext } from '@site-cli/core/plugin';
import { isWaitTimeout } from '@site-cli/plugin-kit';
import type { TargetHealthInfo } from './outputs.js';

/** DescribeTargetHealth of a target group; undefined when the group does not exist. */
export async function targetHealth(
  ctx: ResourceContext,
  targetGroupArn: string,
  instanceIds?: string[],
): Promise<TargetHealthInfo[] | undefined> {
  const elbv2 = await ctx.aws.elbv2();
  try {
    const { TargetHealthDescriptions = [] } = await elbv2.describeTargetHealth({
      TargetGroupArn: targetGroupArn,
      ...(instanceIds && instanceIds.length > 0
        ? { Targets: instanceIds.map((Id) => ({ Id, Port: 80 })) }
        : {}),
    });
    return TargetHealthDescriptions.map((d) => {
      const info: TargetHealthInfo = {
        instanceId: d.Target?.Id ?? '',
        state: d.TargetHealth?.State ?? 'unknown',
      };
      if (d.TargetHealth?.Reason) info.reason = d.TargetHealth.Reason;
      if (d.TargetHealth?.Description) info.description = d.TargetHealth.Description;
      return info;
    });
  } catch (error) {
    if (ctx.awsErrorCode(error) === 'TargetGroupNotFound') return undefined;
    throw error;
  }
}

/** How long a target may stay unhealthy before we stop waiting: long enough for a slow first boot (tests shorten it). */
export const healthTiming = { unhealthyGraceMs: 6 * 60_000 };

/**
 * Targets turn healthy on a health-check tick (every alb.healthCheck.interval s): polling four times per
 * interval, and at least every 5 s, notices it a quarter of an interval late at most.
 */
export function healthyPoll(intervalSeconds: number) {
  return {
    initialDelayMs: 1000,
    factor: 1.5,
    maxDelayMs: Math.min(5000, intervalSeconds * 250),
    timeoutMs: 15 * 60_000,
  };
}

/** How often a wait reads the unhealthy instances' setup logs (a GetConsoleOutput each): not every poll. */
const LOG_READ_EVERY_MS = 10_000;

/** "i-1: unhealthy (Target.FailedHealthChecks: Health checks failed)" for each target not healthy. */
function targetReasons(health: TargetHealthInfo[], instanceIds: string[]): string {
  const byId = new Map(health.map((h) => [h.instanceId, h]));
  return instanceIds
    .map((id) => {
      const h = byId.get(id);
      if (h?.state === 'healthy') return undefined;
      const why = [h?.reason, h?.description].filter(Boolean).join(': ');
      return `${id}: ${h?.state ?? 'not registered'}${why ? ` (${why})` : ''}`;
    })
    .filter(Boolean)
    .join('; ');
}

/** The setup failures the instances' owners report through ctx.logs(), by instance id. */
async function setupFailures(ctx: ResourceContext, instanceIds: string[]): Promise<Map<string, string>> {
  const entries = await ctx.logs({ sources: instanceIds }).catch(() => []);
  return new Map(entries.filter((e) => e.failure).map((e) => [e.source, e.failure as string]));
}

function unhealthyError(
  ctx: ResourceContext,
  message: string,
  failures: Map<string, string>,
  details: Record<string, unknown>,
  cause?: unknown,
) {
  const quoted = [...failures].map(([id, line]) => `\n  ${id} setup log: ${line}`).join('');
  return ctx.error({
    code: 'TARGET_UNHEALTHY',
    message: `${message}${quoted}`,
    suggestions: [
      failures.size > 0
        ? 'Fix what the setup log says (a source.url that does not serve a zip, for one), then run `site deploy` again: the instances are replaced.'
        : "Run `site logs` for the instances' setup logs (from their EC2 console output).",
      'Check alb.healthCheck.path answers with alb.healthCheck.matcher on the instance.',
    ],
    details: { ...details, setupFailures: Object.fromEntries(failures) },
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Wait until every instance is healthy (or 'unused': no listener routes to the group yet, so there is
 * nothing to wait for). Fails with AWS's reason when one stays unhealthy too long, and at once when an
 * unhealthy instance's setup log (ctx.logs: whichever plugin owns instances reads it) says its setup
 * failed: it will not recover. ctx.poll, not the SDK's TargetInService waiter: that one polls every 15 s,
 * knows no 'unused', and cannot fail early with the reason.
 */
export async function waitHealthy(
  ctx: ResourceContext,
  targetGroupArn: string,
  instanceIds: string[],
  options: { acceptUnused?: boolean } = {},
): Promise<TargetHealthInfo[]> {
  const ready = new Set(options.acceptUnused === false ? ['healthy'] : ['healthy', 'unused']);
  const unhealthySince = new Map<string, number>();
  let lastHealth: TargetHealthInfo[] = [];
  let logsReadAt = -Infinity;
  try {
    return await ctx.poll(
      `target${instanceIds.length > 1 ? 's' : ''} ${instanceIds.join(', ')} to be healthy`,
      async () => {
        const health = (await targetHealth(ctx, targetGroupArn, instanceIds)) ?? [];
        lastHealth = health;
        const byId = new Map(health.map((h) => [h.instanceId, h]));
        const now = Date.now();
        const unhealthy = instanceIds.filter((id) => byId.get(id)?.state === 'unhealthy');
        if (unhealthy.length > 0 && now - logsReadAt >= LOG_READ_EVERY_MS) {
          logsReadAt = now;
          const failures = await setupFailures(ctx, unhealthy);
          if (failures.size > 0)
            throw unhealthyError(
              ctx,
              `The site's setup failed on ${[...failures.keys()].join(', ')}, so the load balancer's health checks fail: ${targetReasons(health, instanceIds)}.`,
              failures,
              { targets: health },
            );
        }
        for (const id of instanceIds) {
          const h = byId.get(id);
          if (h?.state === 'unhealthy') {
            if (!unhealthySince.has(id)) unhealthySince.set(id, now);
            if (now - (unhealthySince.get(id) ?? now) >= healthTiming.unhealthyGraceMs) {
              throw unhealthyError(
                ctx,
                `Instance ${id} stays unhealthy in the target group: ${h.reason ?? 'no reason'} — ${h.description ?? 'no description'}.`,
                await setupFailures(ctx, [id]),
                { instanceId: id, reason: h.reason, description: h.description },
              );
            }
          } else unhealthySince.delete(id);
        }
        const done = instanceIds.filter((id) => ready.has(byId.get(id)?.state ?? ''));
        const reasons = [
          ...new Set(health.filter((h) => h.state !== 'healthy' && h.reason).map((h) => h.reason)),
        ];
        ctx.progress(
          `${done.length}/${instanceIds.length} healthy${reasons.length ? ` (${reasons.join(', ')})` : ''}`,
        );
        return done.length === instanceIds.length
          ? instanceIds.map((id) => byId.get(id) as TargetHealthInfo)
          : undefined;
      },
      healthyPoll(ctx.config.alb.healthCheck.interval),
    );
  } catch (error) {
    if (!isWaitTimeout(error)) throw error;
    // Timed out: say which targets were not healthy and why, and what their setup logs say.
    throw unhealthyError(
      ctx,
      `The targets did not all turn healthy in time: ${targetReasons(lastHealth, instanceIds) || 'no health reported'}.`,
      await setupFailures(ctx, instanceIds),
      { targets: lastHealth },
      error,
    );
  }
}
