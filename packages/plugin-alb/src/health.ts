import type { ResourceContext } from '@site-cli/core/plugin';
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

/**
 * Wait until every instance is healthy (or 'unused': no listener routes to the group yet, so there is
 * nothing to wait for). Fails with AWS's reason when one stays unhealthy too long. ctx.poll, not the SDK's
 * TargetInService waiter: that one polls every 15 s, knows no 'unused', and cannot fail early with the reason.
 */
export async function waitHealthy(
  ctx: ResourceContext,
  targetGroupArn: string,
  instanceIds: string[],
  options: { acceptUnused?: boolean } = {},
): Promise<TargetHealthInfo[]> {
  const ready = new Set(options.acceptUnused === false ? ['healthy'] : ['healthy', 'unused']);
  const unhealthySince = new Map<string, number>();
  return ctx.poll(
    `target${instanceIds.length > 1 ? 's' : ''} ${instanceIds.join(', ')} to be healthy`,
    async () => {
      const health = (await targetHealth(ctx, targetGroupArn, instanceIds)) ?? [];
      const byId = new Map(health.map((h) => [h.instanceId, h]));
      const now = Date.now();
      for (const id of instanceIds) {
        const h = byId.get(id);
        if (h?.state === 'unhealthy') {
          if (!unhealthySince.has(id)) unhealthySince.set(id, now);
          if (now - (unhealthySince.get(id) ?? now) >= healthTiming.unhealthyGraceMs) {
            throw ctx.error({
              code: 'TARGET_UNHEALTHY',
              message: `Instance ${id} stays unhealthy in the target group: ${h.reason ?? 'no reason'} — ${h.description ?? 'no description'}.`,
              suggestions: [
                'Look at the instance setup log: `site instance ssh` then `sudo cat /var/log/site-setup.log` (or the EC2 console output).',
                'Check alb.healthCheck.path answers with alb.healthCheck.matcher on the instance.',
              ],
              details: { instanceId: id, reason: h.reason, description: h.description },
            });
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
}
