import type { SimContext } from '../context.js';
import type { TargetGroupRec, TargetRec } from '../state.js';
import { matcherAccepts } from '../content/web-root.js';
import { listenersForTg } from './common.js';

export interface Health {
  State: 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';
  Reason?: string;
  Description?: string;
}

/** Deregistered targets disappear once their draining period is over. */
export function targetGone(ctx: SimContext, tg: TargetGroupRec, t: TargetRec): boolean {
  return (
    t.deregisteredAt !== undefined &&
    ctx.now() >=
      t.deregisteredAt + ctx.seconds(Number(tg.attributes['deregistration_delay.timeout_seconds'] ?? 300))
  );
}

/**
 * Replays the health checks the load balancer would have run since the target started being checked;
 * derived purely from timestamps so the result is the same whichever process asks.
 */
export function targetHealth(ctx: SimContext, tg: TargetGroupRec, t: TargetRec): Health {
  const now = ctx.now();
  if (t.deregisteredAt !== undefined) {
    if (!targetGone(ctx, tg, t))
      return {
        State: 'draining',
        Reason: 'Target.DeregistrationInProgress',
        Description: 'Target deregistration is in progress',
      };
    return {
      State: 'unused',
      Reason: 'Target.NotRegistered',
      Description: 'Target is not registered to the target group',
    };
  }
  const listeners = listenersForTg(ctx, tg.arn);
  const lbs = ctx.state.loadBalancers.filter((lb) => listeners.some((l) => l.lbArn === lb.arn));
  if (!lbs.length)
    return {
      State: 'unused',
      Reason: 'Target.NotInUse',
      Description: 'Target group is not configured to receive traffic from the load balancer',
    };
  const inst = ctx.state.instances.find((i) => i.id === t.id);
  const stateName = inst ? ctx.instanceStateName(inst) : 'terminated';
  if (
    !inst ||
    stateName === 'terminated' ||
    stateName === 'shutting-down' ||
    stateName === 'stopped' ||
    stateName === 'stopping'
  )
    return {
      State: 'unused',
      Reason: 'Target.InvalidState',
      Description: 'Target is in the stopped or terminated state',
    };
  if (!tg.healthCheck.enabled)
    return {
      State: 'unavailable',
      Reason: 'Target.HealthCheckDisabled',
      Description: 'Health checks are disabled',
    };

  // Older state files have no attachedSince: the listeners' creation stands in.
  const attachedAt = Math.min(
    ...lbs.map(
      (lb) =>
        tg.attachedSince?.[lb.arn] ??
        Math.min(...listeners.filter((l) => l.lbArn === lb.arn).map((l) => l.createdAt)),
    ),
  );
  const activeAt = Math.min(...lbs.map((lb) => ctx.lbActiveAt(lb)));
  const start = Math.max(t.registeredAt, attachedAt, activeAt);
  if (now <= start)
    return {
      State: 'initial',
      Reason: 'Elb.RegistrationInProgress',
      Description: 'Target registration is in progress',
    };

  const interval = Math.max(1, ctx.seconds(tg.healthCheck.intervalSeconds));
  // httpd up, but answering the health check's path with a code the matcher refuses (a site without index.html
  // answers / with 403): every check fails, with AWS's reason.
  const code = ctx.content?.healthCheckStatus(ctx, inst, tg.healthCheck.path || '/');
  const refused = code !== undefined && !matcherAccepts(tg.healthCheck.matcher || '200', code);
  const up = refused ? undefined : ctx.httpdUpAt(inst);
  const k = Math.floor((now - start) / interval);
  let status: 'initial' | 'healthy' | 'unhealthy' = 'initial';
  let pass = 0;
  let fail = 0;
  for (let j = 1; j <= k; j++) {
    const tj = start + j * interval;
    if (up !== undefined && tj >= up) {
      pass++;
      fail = 0;
      if (pass >= tg.healthCheck.healthyThresholdCount) {
        status = 'healthy';
        break; // httpd stays up from here on
      }
    } else {
      fail++;
      pass = 0;
      if (fail >= tg.healthCheck.unhealthyThresholdCount) status = 'unhealthy';
      if (status === 'unhealthy') {
        if (up === undefined) break;
        // Skip the failing checks until httpd comes up.
        const next = Math.ceil((up - start) / interval);
        if (next > j + 1) j = next - 1;
      }
    }
  }
  if (status === 'healthy') return { State: 'healthy' };
  if (status === 'unhealthy' && refused && ctx.httpdUpAt(inst) !== undefined)
    return {
      State: 'unhealthy',
      Reason: 'Target.ResponseCodeMismatch',
      Description: `Health checks failed with these codes: [${code}]`,
    };
  if (status === 'unhealthy')
    return { State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' };
  return {
    State: 'initial',
    Reason: 'Elb.InitialHealthChecking',
    Description: 'Initial health checks in progress',
  };
}
