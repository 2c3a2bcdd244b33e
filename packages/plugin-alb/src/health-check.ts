/** The target group's health check: desired (config), found (AWS), the request parameters, and the diff. */
import type { TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Change, ResourceContext } from '@site-cli/core/plugin';
import type { HealthCheckSettings } from './outputs.js';

/** The health check the configuration asks for (`alb.healthCheck`). */
export function desiredHealthCheck(ctx: ResourceContext): HealthCheckSettings {
  const hc = ctx.config.alb.healthCheck;
  return {
    path: hc.path,
    interval: hc.interval,
    timeout: hc.timeout,
    healthyThreshold: hc.healthyThreshold,
    unhealthyThreshold: hc.unhealthyThreshold,
    matcher: hc.matcher,
  };
}

/** The health check a target group has, with AWS's defaults for what it leaves out. */
export function healthCheckOf(tg: TargetGroup): HealthCheckSettings {
  return {
    path: tg.HealthCheckPath ?? '/',
    interval: tg.HealthCheckIntervalSeconds ?? 30,
    timeout: tg.HealthCheckTimeoutSeconds ?? 5,
    healthyThreshold: tg.HealthyThresholdCount ?? 5,
    unhealthyThreshold: tg.UnhealthyThresholdCount ?? 2,
    matcher: tg.Matcher?.HttpCode ?? '200',
  };
}

/** The health-check parameters as CreateTargetGroup and ModifyTargetGroup both spell them. */
export function healthCheckParams(hc: HealthCheckSettings) {
  return {
    HealthCheckProtocol: 'HTTP' as const,
    HealthCheckPort: 'traffic-port',
    HealthCheckPath: hc.path,
    HealthCheckIntervalSeconds: hc.interval,
    HealthCheckTimeoutSeconds: hc.timeout,
    HealthyThresholdCount: hc.healthyThreshold,
    UnhealthyThresholdCount: hc.unhealthyThreshold,
    Matcher: { HttpCode: hc.matcher },
  };
}

const HEALTH_CHECK_FIELDS: [keyof HealthCheckSettings, string][] = [
  ['path', 'health check path'],
  ['interval', 'health check interval'],
  ['timeout', 'health check timeout'],
  ['healthyThreshold', 'healthy threshold'],
  ['unhealthyThreshold', 'unhealthy threshold'],
  ['matcher', 'health check matcher'],
];

/** The health-check settings that differ, in the user's words. */
export function diffHealthCheck(found: HealthCheckSettings, desired: HealthCheckSettings): Change[] {
  return HEALTH_CHECK_FIELDS.filter(([key]) => found[key] !== desired[key]).map(([key, field]) => ({
    field,
    from: found[key],
    to: desired[key],
  }));
}
