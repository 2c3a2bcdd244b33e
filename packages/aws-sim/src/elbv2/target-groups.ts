// Over 300 lines: a target group's create/modify checks (health check ranges, protocol and target type
// rules) and its targets' registration share one record and its validation.
import type { SimContext } from '../context.js';
import { type ActionDef, NO_CHANGE } from '../service.js';
import { err } from '../errors.js';
import { paginate } from '../filters.js';
import type { TargetGroupRec } from '../state.js';
import { checkQuota } from './account-limits.js';
import {
  checkTags,
  findLb,
  findTg,
  lbArnsForTg,
  listenersForTg,
  pageSize,
  validateName,
  validation,
} from './common.js';
import { targetGone, targetHealth } from './target-health.js';

const TG_ATTRIBUTES: Record<string, string> = {
  'deregistration_delay.timeout_seconds': '300',
  'stickiness.enabled': 'false',
  'stickiness.type': 'lb_cookie',
  'stickiness.lb_cookie.duration_seconds': '86400',
  'stickiness.app_cookie.cookie_name': '',
  'stickiness.app_cookie.duration_seconds': '86400',
  'load_balancing.algorithm.type': 'round_robin',
  'load_balancing.algorithm.anomaly_mitigation': 'off',
  'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
  'slow_start.duration_seconds': '0',
  'target_group_health.dns_failover.minimum_healthy_targets.count': '1',
  'target_group_health.dns_failover.minimum_healthy_targets.percentage': 'off',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': '1',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage': 'off',
};

export function tgOut(ctx: SimContext, tg: TargetGroupRec) {
  const hc = tg.healthCheck;
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    Protocol: tg.protocol,
    Port: tg.port,
    VpcId: tg.vpcId,
    HealthCheckProtocol: hc.protocol,
    HealthCheckPort: hc.port,
    HealthCheckEnabled: hc.enabled,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThresholdCount,
    UnhealthyThresholdCount: hc.unhealthyThresholdCount,
    HealthCheckPath: hc.path,
    Matcher: { HttpCode: hc.matcher },
    LoadBalancerArns: lbArnsForTg(ctx, tg.arn),
    TargetType: tg.targetType,
    ProtocolVersion: tg.protocolVersion,
    IpAddressType: tg.ipAddressType,
  };
}

function range(v: number | undefined, name: string, min: number, max: number): void {
  if (v !== undefined && (v < min || v > max))
    throw validation(
      `1 validation error detected: Value '${v}' at '${name}' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
    );
}

function applyHealthCheck(tg: TargetGroupRec, input: any): void {
  range(input.HealthCheckIntervalSeconds, 'healthCheckIntervalSeconds', 5, 300);
  range(input.HealthCheckTimeoutSeconds, 'healthCheckTimeoutSeconds', 2, 120);
  range(input.HealthyThresholdCount, 'healthyThresholdCount', 2, 10);
  range(input.UnhealthyThresholdCount, 'unhealthyThresholdCount', 2, 10);
  const hc = tg.healthCheck;
  if (input.HealthCheckProtocol) hc.protocol = input.HealthCheckProtocol;
  if (input.HealthCheckPort) hc.port = input.HealthCheckPort;
  if (input.HealthCheckPath) {
    if (!input.HealthCheckPath.startsWith('/'))
      throw validation("Health check path must begin with a '/' character");
    hc.path = input.HealthCheckPath;
  }
  if (input.HealthCheckEnabled !== undefined) hc.enabled = input.HealthCheckEnabled;
  if (input.HealthCheckIntervalSeconds !== undefined) hc.intervalSeconds = input.HealthCheckIntervalSeconds;
  if (input.HealthCheckTimeoutSeconds !== undefined) hc.timeoutSeconds = input.HealthCheckTimeoutSeconds;
  if (input.HealthyThresholdCount !== undefined) hc.healthyThresholdCount = input.HealthyThresholdCount;
  if (input.UnhealthyThresholdCount !== undefined) hc.unhealthyThresholdCount = input.UnhealthyThresholdCount;
  if (input.Matcher?.HttpCode) hc.matcher = input.Matcher.HttpCode;
  if (hc.timeoutSeconds >= hc.intervalSeconds)
    throw validation('Health check timeout must be smaller than the interval');
}

export const targetGroupActions: Record<string, ActionDef> = {
  CreateTargetGroup: {
    mutating: true,
    fn(ctx, input) {
      const name = validateName(input.Name, 'target group');
      const targetType = input.TargetType ?? 'instance';
      if (!['instance', 'ip', 'lambda', 'alb'].includes(targetType))
        throw validation(`Target type '${targetType}' is not valid`);
      if (targetType !== 'lambda') {
        if (!input.Protocol) throw validation('A protocol must be specified');
        if (input.Port === undefined) throw validation('A port must be specified');
        if (!input.VpcId) throw validation('A VPC ID must be specified');
      }
      range(input.Port, 'port', 1, 65535);
      if (
        input.Protocol &&
        !['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE'].includes(input.Protocol)
      )
        throw validation(
          `1 validation error detected: Value '${input.Protocol}' at 'protocol' failed to satisfy constraint: Member must satisfy enum value set: [HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE]`,
        );
      if (input.VpcId && !ctx.state.vpcs.some((v) => v.id === input.VpcId))
        throw validation(`The VPC ID '${input.VpcId}' is not found`);
      checkTags(input.Tags);
      const http = input.Protocol === 'HTTP' || input.Protocol === 'HTTPS';
      const tg: TargetGroupRec = {
        arn: '',
        name,
        protocol: input.Protocol,
        protocolVersion: http ? (input.ProtocolVersion ?? 'HTTP1') : undefined,
        port: input.Port,
        vpcId: input.VpcId,
        targetType,
        healthCheck: {
          protocol: input.Protocol ?? 'HTTP',
          port: 'traffic-port',
          path: http ? '/' : '',
          enabled: true,
          intervalSeconds: http ? 30 : 30,
          timeoutSeconds: http ? 5 : 10,
          healthyThresholdCount: 5,
          unhealthyThresholdCount: 2,
          matcher: '200',
        },
        ipAddressType: input.IpAddressType ?? 'ipv4',
        attributes: { ...TG_ATTRIBUTES },
        targets: [],
        createdAt: ctx.now(),
      };
      applyHealthCheck(tg, input);
      const existing = ctx.state.targetGroups.find((t) => t.name === name);
      if (existing) {
        // AWS: same name and same settings succeeds and returns the existing group.
        const same =
          JSON.stringify({ ...tgOut(ctx, existing), TargetGroupArn: '', LoadBalancerArns: [] }) ===
          JSON.stringify({ ...tgOut(ctx, tg), TargetGroupArn: '', LoadBalancerArns: [] });
        if (!same)
          throw err(
            'DuplicateTargetGroupName',
            `A target group with the same name '${name}' exists, but with different settings`,
          );
        return { TargetGroups: [tgOut(ctx, existing)], [NO_CHANGE]: true };
      }
      checkQuota(ctx, 'target group');
      tg.arn = `arn:aws:elasticloadbalancing:${ctx.state.region}:${ctx.state.accountId}:targetgroup/${name}/${ctx.ids.arnSuffix()}`;
      ctx.state.targetGroups.push(tg);
      ctx.setTags(tg.arn, input.Tags);
      return { TargetGroups: [tgOut(ctx, tg)] };
    },
  },
  DescribeTargetGroups: {
    mutating: false,
    fn(ctx, input) {
      let tgs = ctx.state.targetGroups;
      const arns: string[] = input.TargetGroupArns ?? [];
      const names: string[] = input.Names ?? [];
      if (input.LoadBalancerArn) {
        const lb = findLb(ctx, input.LoadBalancerArn);
        tgs = tgs.filter((t) => lbArnsForTg(ctx, t.arn).includes(lb.arn));
      }
      if (arns.length) {
        if (arns.some((a) => !tgs.some((t) => t.arn === a && !ctx.fresh(t.createdAt))))
          throw err('TargetGroupNotFound', 'One or more target groups not found');
        tgs = tgs.filter((t) => arns.includes(t.arn));
      }
      if (names.length) {
        const missing = names.filter((n) => !tgs.some((t) => t.name === n && !ctx.fresh(t.createdAt)));
        if (missing.length)
          throw err('TargetGroupNotFound', `Target groups '[${missing.join(', ')}]' not found`);
        tgs = tgs.filter((t) => names.includes(t.name));
      }
      tgs = tgs.filter((t) => !ctx.fresh(t.createdAt));
      const { page, next } = paginate(tgs, pageSize(input.PageSize), input.Marker, 'ValidationError');
      return { TargetGroups: page.map((t) => tgOut(ctx, t)), NextMarker: next };
    },
  },
  ModifyTargetGroup: {
    mutating: true,
    fn(ctx, input) {
      const tg = findTg(ctx, input.TargetGroupArn);
      const copy = structuredClone(tg.healthCheck);
      try {
        applyHealthCheck(tg, input);
      } catch (e) {
        tg.healthCheck = copy;
        throw e;
      }
      return { TargetGroups: [tgOut(ctx, tg)] };
    },
  },
  DeleteTargetGroup: {
    mutating: true,
    fn(ctx, input) {
      if (!input.TargetGroupArn)
        throw validation(
          "1 validation error detected: Value null at 'targetGroupArn' failed to satisfy constraint: Member must not be null",
        );
      const tg = ctx.state.targetGroups.find((t) => t.arn === input.TargetGroupArn);
      if (!tg) return {}; // deleting an unknown target group succeeds
      if (listenersForTg(ctx, tg.arn).length)
        throw err('ResourceInUse', `Target group '${tg.arn}' is currently in use by a listener or a rule`);
      ctx.state.targetGroups = ctx.state.targetGroups.filter((t) => t !== tg);
      delete ctx.state.tags[tg.arn];
      return {};
    },
  },
  DescribeTargetGroupAttributes: {
    mutating: false,
    fn(ctx, input) {
      const tg = findTg(ctx, input.TargetGroupArn);
      return { Attributes: Object.entries(tg.attributes).map(([Key, Value]) => ({ Key, Value })) };
    },
  },
  ModifyTargetGroupAttributes: {
    mutating: true,
    fn(ctx, input) {
      const tg = findTg(ctx, input.TargetGroupArn);
      const attrs: { Key?: string; Value?: string }[] = input.Attributes ?? [];
      for (const a of attrs)
        if (!a.Key || !(a.Key in TG_ATTRIBUTES))
          throw validation(`Target group attribute key '${a.Key}' is not recognized`);
      const d = attrs.find((a) => a.Key === 'deregistration_delay.timeout_seconds');
      if (d && !(Number(d.Value) >= 0 && Number(d.Value) <= 3600))
        throw validation(
          `Target group attribute key 'deregistration_delay.timeout_seconds' must be between 0 and 3600`,
        );
      for (const a of attrs) tg.attributes[a.Key!] = a.Value ?? '';
      return { Attributes: Object.entries(tg.attributes).map(([Key, Value]) => ({ Key, Value })) };
    },
  },
  RegisterTargets: {
    mutating: true,
    fn(ctx, input) {
      const tg = findTg(ctx, input.TargetGroupArn);
      const targets: { Id?: string; Port?: number }[] = input.Targets ?? [];
      if (!targets.length)
        throw validation(
          "1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null",
        );
      const bad: string[] = [];
      for (const t of targets) {
        const inst = t.Id ? ctx.state.instances.find((i) => i.id === t.Id) : undefined;
        if (!t.Id || !/^i-[0-9a-f]+$/.test(t.Id)) throw validation(`Instance ID '${t.Id}' is not valid`);
        // AWS: "If the target is an EC2 instance, it must be in the running state when you register it"
        // (RegisterTargets, ELBv2 API reference) — pending included.
        if (!inst || ctx.instanceStateName(inst) !== 'running') bad.push(t.Id);
        else if (inst.vpcId !== tg.vpcId)
          throw err(
            'InvalidTarget',
            `The following targets are not in the target group VPC '${tg.vpcId}': '${t.Id}'`,
          );
        range(t.Port ?? tg.port, 'port', 1, 65535);
      }
      if (bad.length)
        throw err(
          'InvalidTarget',
          `The following targets are not in a running state and cannot be registered: '${bad.join("', '")}'`,
        );
      const now = ctx.now();
      for (const t of targets) {
        const port = t.Port ?? tg.port!;
        const existing = tg.targets.find((x) => x.id === t.Id && x.port === port);
        if (existing && (existing.deregisteredAt === undefined || !targetGone(ctx, tg, existing))) {
          if (existing.deregisteredAt !== undefined)
            Object.assign(existing, { registeredAt: now, deregisteredAt: undefined });
          continue;
        }
        tg.targets = tg.targets.filter((x) => x !== existing);
        tg.targets.push({ id: t.Id!, port, registeredAt: now });
      }
      return {};
    },
  },
  DeregisterTargets: {
    mutating: true,
    fn(ctx, input) {
      const tg = findTg(ctx, input.TargetGroupArn);
      const targets: { Id?: string; Port?: number }[] = input.Targets ?? [];
      const found = targets.map((t) =>
        tg.targets.find(
          (x) => x.id === t.Id && x.port === (t.Port ?? tg.port) && x.deregisteredAt === undefined,
        ),
      );
      const missing = targets.filter((_, i) => !found[i]).map((t) => t.Id);
      if (missing.length)
        throw err(
          'InvalidTarget',
          `The following targets are not registered in target group '${tg.name}': '${missing.join("', '")}'`,
        );
      const inUse = listenersForTg(ctx, tg.arn).length > 0;
      for (const t of found) {
        if (inUse) t!.deregisteredAt = ctx.now();
        else tg.targets = tg.targets.filter((x) => x !== t);
      }
      return {};
    },
  },
  DescribeTargetHealth: {
    mutating: false,
    fn(ctx, input) {
      const tg = findTg(ctx, input.TargetGroupArn);
      const asked: { Id?: string; Port?: number }[] | undefined = input.Targets?.length
        ? input.Targets
        : undefined;
      const out: any[] = [];
      const port = (p: number) => (tg.healthCheck.port === 'traffic-port' ? String(p) : tg.healthCheck.port);
      if (asked) {
        for (const a of asked) {
          if (!a.Id || !ctx.state.instances.some((i) => i.id === a.Id && ctx.instanceVisible(i)))
            throw err('InvalidTarget', `The following targets are invalid: '${a.Id}'`);
          const p = a.Port ?? tg.port!;
          const t = tg.targets.find((x) => x.id === a.Id && x.port === p && !targetGone(ctx, tg, x));
          const h = t
            ? targetHealth(ctx, tg, t)
            : {
                State: 'unused',
                Reason: 'Target.NotRegistered',
                Description: 'Target is not registered to the target group',
              };
          out.push({ Target: { Id: a.Id, Port: p }, HealthCheckPort: port(p), TargetHealth: h });
        }
      } else {
        for (const t of tg.targets) {
          if (targetGone(ctx, tg, t)) continue;
          const inst = ctx.state.instances.find((i) => i.id === t.id);
          out.push({
            Target: { Id: t.id, Port: t.port, AvailabilityZone: inst?.az },
            HealthCheckPort: port(t.port),
            TargetHealth: targetHealth(ctx, tg, t),
          });
        }
      }
      return { TargetHealthDescriptions: out };
    },
  },
};
