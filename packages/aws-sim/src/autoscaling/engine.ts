// Over 300 lines: the Auto Scaling engine is one loop (members, refresh, capacity) whose steps read and write
// the same group record; split, each part would need the others' rules.
/**
 * What EC2 Auto Scaling does on its own between API calls, replayed on the simulator's clock: before any call
 * reads or changes anything, each group is stepped from where it last got to until now, in steps of one
 * simulated second (coarser over a long idle stretch), so a look at any time sees what AWS would have done by
 * then — whichever process looks. Launches go through RunInstances' own checks.
 */
import type { SimContext } from '../context.js';
import { AwsError } from '../errors.js';
import {
  addTags,
  launchInput,
  launchTemplates,
  launchTemplateTags,
  resolveVersion,
} from '../ec2/launch-templates.js';
import { runInstances } from '../ec2/instances.js';
import { targetHealth } from '../elbv2/target-health.js';
import type { AsgInstanceRec, AutoScalingGroupRec, InstanceRefreshRec } from '../state.js';
import { addActivity, asgState, causeTime, endActivity } from './common.js';

/** The context as it was at time `t`: every timed state (instance, target health) derived at that moment. */
function at(ctx: SimContext, t: number): SimContext {
  const view = Object.create(ctx) as SimContext;
  view.now = () => t;
  return view;
}

const MAX_STEPS = 2000;

/** Steps every group up to now. True when anything changed. */
export function advanceAutoScaling(ctx: SimContext): boolean {
  let changed = false;
  const now = ctx.now();
  for (const g of [...asgState(ctx).groups]) {
    if (g.advancedTo >= now) continue;
    const step = Math.max(ctx.seconds(1), (now - g.advancedTo) / MAX_STEPS, 1);
    for (let t = g.advancedTo + step; ; t += step) {
      const time = Math.min(t, now);
      changed = tick(at(ctx, time), g) || changed;
      if (time >= now || !asgState(ctx).groups.includes(g)) break;
    }
    g.advancedTo = now;
  }
  return changed;
}

/** One step of a group at `ctx.now()`: what changed in its instances, its refresh, then its capacity. */
export function tick(ctx: SimContext, g: AutoScalingGroupRec): boolean {
  let changed = watchMembers(ctx, g);
  if (g.deleting) {
    if (g.instances.length) return changed;
    const st = asgState(ctx);
    st.groups = st.groups.filter((x) => x !== g);
    st.policies = st.policies.filter((p) => p.group !== g.name);
    return true;
  }
  changed = stepRefresh(ctx, g) || changed;
  return keepCapacity(ctx, g) || changed;
}

function watchMembers(ctx: SimContext, g: AutoScalingGroupRec): boolean {
  let changed = false;
  const now = ctx.now();
  for (const m of [...g.instances]) {
    const inst = ctx.state.instances.find((i) => i.id === m.id);
    const ec2State = inst ? ctx.instanceStateName(inst) : 'terminated';
    if (m.leaving) {
      if (inst && inst.terminateTime === undefined && m.terminateAt !== undefined && now >= m.terminateAt) {
        inst.terminateTime = m.terminateAt;
        // Drained: the activity moves on from WaitingForELBConnectionDraining.
        for (const a of asgState(ctx).activities)
          if (a.instanceId === m.id && a.kind === 'terminate' && a.endTime === undefined)
            a.statusCode = 'InProgress';
        changed = true;
      }
      if (ec2State === 'terminated') {
        g.instances = g.instances.filter((x) => x !== m);
        endActivity(ctx, m.id, 'terminate');
        changed = true;
      }
      continue;
    }
    if (!inst || inst.terminateTime !== undefined) {
      // Terminated or stopped behind the group's back: the EC2 health check takes it out of service.
      m.unhealthy = true;
      takeOut(
        ctx,
        g,
        m,
        'unhealthy',
        `At ${causeTime(now)} an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.`,
      );
      changed = true;
      continue;
    }
    if (m.inServiceAt === undefined && ec2State === 'running') {
      // Registered with the target groups as it goes InService (ELBv2 takes running instances only).
      for (const arn of g.targetGroupArns) {
        const tg = ctx.state.targetGroups.find((t) => t.arn === arn);
        const port = tg?.port ?? 80;
        if (tg && !tg.targets.some((t) => t.id === m.id && t.deregisteredAt === undefined))
          tg.targets.push({ id: m.id, port, registeredAt: now });
      }
      m.inServiceAt = now;
      endActivity(ctx, m.id, 'launch');
      changed = true;
    }
    if (
      g.healthCheckType === 'ELB' &&
      m.inServiceAt !== undefined &&
      now >= m.inServiceAt + ctx.seconds(g.healthCheckGracePeriod) &&
      targetsOf(ctx, g, m).some((h) => h === 'unhealthy')
    ) {
      m.unhealthy = true;
      takeOut(
        ctx,
        g,
        m,
        'unhealthy',
        `At ${causeTime(now)} an instance was taken out of service in response to an ELB system health check failure.`,
      );
      changed = true;
    }
  }
  return changed;
}

/** The health state of the instance in each of the group's target groups. */
function targetsOf(ctx: SimContext, g: AutoScalingGroupRec, m: AsgInstanceRec): string[] {
  const out: string[] = [];
  for (const arn of g.targetGroupArns) {
    const tg = ctx.state.targetGroups.find((t) => t.arn === arn);
    const target = tg?.targets.find((t) => t.id === m.id && t.deregisteredAt === undefined);
    out.push(tg && target ? targetHealth(ctx, tg, target).State : 'unused');
  }
  return out;
}

/**
 * Takes an instance out of the group: deregisters it from the target groups and terminates it once they
 * drained it (their deregistration delay), as AWS does.
 */
export function takeOut(
  ctx: SimContext,
  g: AutoScalingGroupRec,
  m: AsgInstanceRec,
  why: NonNullable<AsgInstanceRec['leaving']>,
  cause: string,
): void {
  const now = ctx.now();
  let drain = 0;
  for (const arn of g.targetGroupArns) {
    const tg = ctx.state.targetGroups.find((t) => t.arn === arn);
    const target = tg?.targets.find((t) => t.id === m.id && t.deregisteredAt === undefined);
    if (!tg || !target) continue;
    target.deregisteredAt = now;
    drain = Math.max(
      drain,
      ctx.seconds(Number(tg.attributes['deregistration_delay.timeout_seconds'] ?? 300)),
    );
  }
  m.leaving = why;
  const inst = ctx.state.instances.find((i) => i.id === m.id);
  if (inst && inst.terminateTime === undefined) {
    m.terminateAt = now + drain;
    if (drain === 0) inst.terminateTime = now;
  }
  const subnet = ctx.state.subnets.find((s) => s.id === inst?.subnetId);
  addActivity(ctx, g, {
    kind: 'terminate',
    instanceId: m.id,
    description: `Terminating EC2 instance: ${m.id}`,
    cause,
    statusCode: drain > 0 ? 'WaitingForELBConnectionDraining' : 'InProgress',
    details: JSON.stringify({ 'Subnet ID': subnet?.id, 'Availability Zone': subnet?.az }),
  });
}

/** The subnet in the zone with the fewest of the group's instances: AWS balances zones. */
function nextSubnet(ctx: SimContext, g: AutoScalingGroupRec) {
  const subnets = g.subnetIds
    .map((id) => ctx.state.subnets.find((s) => s.id === id))
    .filter((s) => s !== undefined);
  const count = (az: string) =>
    g.instances.filter((m) => !m.leaving && ctx.state.instances.find((i) => i.id === m.id)?.az === az).length;
  return subnets.reduce((best, s) => (count(s.az) < count(best.az) ? s : best), subnets[0]!);
}

/** Launches one instance from the group's template, or records why it could not (and tries again later). */
function launchOne(ctx: SimContext, g: AutoScalingGroupRec, cause: string, replaces?: string): boolean {
  const now = ctx.now();
  const subnet = nextSubnet(ctx, g);
  const details = JSON.stringify({ 'Subnet ID': subnet?.id, 'Availability Zone': subnet?.az });
  try {
    const lt = launchTemplates(ctx).find((t) => t.id === g.template.id);
    if (!lt)
      throw new AwsError(
        'InvalidLaunchTemplateId.NotFound',
        `The specified launch template, with template ID ${g.template.id}, does not exist.`,
      );
    const version = resolveVersion(lt, g.template.version);
    const input = launchInput(version);
    // The system tags AWS puts on an instance launched from a template, and on a group's instances.
    input.TagSpecifications = addTags(input.TagSpecifications, 'instance', [
      ...launchTemplateTags(lt, version),
      { Key: 'aws:autoscaling:groupName', Value: g.name },
      ...g.tags.filter((t) => t.PropagateAtLaunch).map(({ Key, Value }) => ({ Key, Value })),
    ]);
    const nic = input.NetworkInterfaces?.[0];
    if (nic) nic.SubnetId = subnet!.id;
    else input.SubnetId = subnet!.id;
    const { result } = runInstances(ctx, { ...input, MinCount: 1, MaxCount: 1 }, version.outcome);
    const id: string = result.Instances[0]!.InstanceId;
    delete g.launchFailures;
    g.instances.push({
      id,
      templateId: lt.id,
      templateVersion: version.number,
      launchedAt: now,
      ...(replaces ? { replaces } : {}),
      ...(g.newInstancesProtectedFromScaleIn ? { protectedFromScaleIn: true } : {}),
    });
    addActivity(ctx, g, {
      kind: 'launch',
      instanceId: id,
      description: `Launching a new EC2 instance: ${id}`,
      cause,
      statusCode: 'InProgress',
      details,
    });
    return true;
  } catch (e) {
    if (!(e instanceof AwsError)) throw e;
    addActivity(ctx, g, {
      kind: 'launch',
      description: `Launching a new EC2 instance.  Status Reason: ${e.message} Launching EC2 instance failed.`,
      cause,
      statusCode: 'Failed',
      statusMessage: e.message,
      details,
      endTime: now,
    });
    // AWS retries failed launches with a growing back-off: 10 simulated seconds, doubling up to 5 minutes.
    g.launchFailures = (g.launchFailures ?? 0) + 1;
    g.retryLaunchAt = now + ctx.seconds(Math.min(300, 10 * 2 ** (g.launchFailures - 1)));
    return false;
  }
}

function keepCapacity(ctx: SimContext, g: AutoScalingGroupRec): boolean {
  const now = ctx.now();
  const active = g.instances.filter((m) => !m.leaving);
  // Replacements an instance refresh launched ahead of terminating are above the desired capacity for a while.
  const want = g.desired + active.filter((m) => m.replaces).length;
  if (active.length < want) {
    if (now < (g.retryLaunchAt ?? 0)) return false;
    const from = active.length;
    const prefix = g.pendingCause ? `${g.pendingCause}  ` : '';
    const cause = `${prefix}At ${causeTime(now)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${from} to ${want}.`;
    // Each try changes the state: an instance, or a failed activity (which stops the round).
    for (let n = from; n < want && launchOne(ctx, g, cause); n++);
    delete g.pendingCause;
    return true;
  }
  if (active.length > want) {
    const from = active.length;
    const prefix = g.pendingCause ? `${g.pendingCause}  ` : '';
    const cause = `${prefix}At ${causeTime(now)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${from} to ${want}.`;
    // Instances protected from scale in stay, above the desired capacity, as on AWS.
    const victims = scaleInVictims(ctx, g, active, from - want);
    for (const m of victims) takeOut(ctx, g, m, 'scale-in', cause);
    const changed = victims.length > 0 || g.pendingCause !== undefined;
    delete g.pendingCause;
    return changed;
  }
  if (g.pendingCause) {
    delete g.pendingCause;
    return true;
  }
  return false;
}

/**
 * The default termination policy: from the zone with the most instances, those on an older template or
 * version first, then the oldest; never the protected ones.
 */
function scaleInVictims(ctx: SimContext, g: AutoScalingGroupRec, active: AsgInstanceRec[], n: number) {
  const pool = active.filter((m) => !m.protectedFromScaleIn);
  const lt = launchTemplates(ctx).find((t) => t.id === g.template.id);
  let current: number | undefined;
  try {
    current = lt ? resolveVersion(lt, g.template.version).number : undefined;
  } catch {
    current = undefined;
  }
  const azOf = (m: AsgInstanceRec) => ctx.state.instances.find((i) => i.id === m.id)?.az ?? '';
  const out: AsgInstanceRec[] = [];
  for (let k = 0; k < n && pool.length; k++) {
    const perAz = new Map<string, number>();
    for (const m of pool) perAz.set(azOf(m), (perAz.get(azOf(m)) ?? 0) + 1);
    const most = Math.max(...perAz.values());
    const candidates = pool.filter((m) => perAz.get(azOf(m)) === most);
    const outdated = (m: AsgInstanceRec) =>
      m.templateId !== g.template.id || m.templateVersion !== current ? 0 : 1;
    candidates.sort((a, b) => outdated(a) - outdated(b) || a.launchedAt - b.launchedAt);
    const victim = candidates[0]!;
    out.push(victim);
    pool.splice(pool.indexOf(victim), 1);
  }
  return out;
}

/**
 * InService, warmed up and, with ELB health checks, healthy in every target group that routes to it: what a
 * refresh waits for before it goes on. (A target group no load balancer uses runs no checks.)
 */
function ready(ctx: SimContext, g: AutoScalingGroupRec, m: AsgInstanceRec, warmupMs: number): boolean {
  if (m.leaving || m.unhealthy || m.inServiceAt === undefined) return false;
  if (ctx.now() < m.inServiceAt + warmupMs) return false;
  if (g.healthCheckType !== 'ELB') return true;
  return targetsOf(ctx, g, m).every((h) => h === 'healthy' || h === 'unused');
}

export function activeRefresh(ctx: SimContext, group: string): InstanceRefreshRec | undefined {
  return asgState(ctx).refreshes.find(
    (r) => r.group === group && ['Pending', 'InProgress', 'Cancelling'].includes(r.status),
  );
}

function stepRefresh(ctx: SimContext, g: AutoScalingGroupRec): boolean {
  const r = activeRefresh(ctx, g.name);
  if (!r) return false;
  const now = ctx.now();
  let changed = false;
  if (r.status === 'Pending') {
    r.status = 'InProgress';
    changed = true;
  }
  const warmup = ctx.seconds(r.instanceWarmup ?? g.defaultInstanceWarmup ?? g.healthCheckGracePeriod);
  const member = (id: string) => g.instances.find((m) => m.id === id && !m.leaving);
  // Instances others took out meanwhile need no replacing.
  const before = r.toReplace.length;
  r.toReplace = r.toReplace.filter((id) => member(id));
  changed ||= before !== r.toReplace.length;
  for (const m of g.instances) {
    if (!m.replaces) continue;
    if (m.leaving) {
      // The replacement failed: its old instance waits for another.
      if (member(m.replaces)) r.toReplace.unshift(m.replaces);
      delete m.replaces;
      changed = true;
    } else if (ready(ctx, g, m, warmup)) {
      const old = member(m.replaces);
      if (old)
        takeOut(
          ctx,
          g,
          old,
          'refresh',
          `At ${causeTime(now)} an instance was taken out of service in response to an instance refresh.`,
        );
      delete m.replaces;
      r.replaced++;
      changed = true;
    }
  }
  const cause = `At ${causeTime(now)} an instance was launched in response to an instance refresh.`;
  if (r.maxHealthyPercentage > 100) {
    // Launch before terminate: up to the surge the maximum healthy percentage allows, at least one.
    const surge = Math.max(1, Math.floor((g.desired * (r.maxHealthyPercentage - 100)) / 100));
    let inFlight = g.instances.filter((m) => m.replaces && !m.leaving).length;
    while (inFlight < surge && r.toReplace.length && now >= (g.retryLaunchAt ?? 0)) {
      const old = r.toReplace.shift()!;
      if (!launchOne(ctx, g, cause, old)) {
        r.toReplace.unshift(old);
        break;
      }
      inFlight++;
      changed = true;
    }
  } else {
    // Terminate first, keeping the minimum healthy percentage: the next batch once all the others are ready.
    const active = g.instances.filter((m) => !m.leaving);
    const settled =
      active.length >= g.desired &&
      active.every((m) => r.toReplace.includes(m.id) || ready(ctx, g, m, warmup));
    if (settled && r.toReplace.length) {
      const batch = Math.max(1, Math.floor((g.desired * (100 - r.minHealthyPercentage)) / 100));
      for (const id of r.toReplace.splice(0, batch)) {
        takeOut(
          ctx,
          g,
          member(id)!,
          'refresh',
          `At ${causeTime(now)} an instance was taken out of service in response to an instance refresh.`,
        );
        r.replaced++;
      }
      changed = true;
    }
  }
  const active = g.instances.filter((m) => !m.leaving);
  if (
    !r.toReplace.length &&
    !active.some((m) => m.replaces) &&
    active.length >= g.desired &&
    active.every((m) => ready(ctx, g, m, warmup))
  ) {
    r.status = 'Successful';
    r.endTime = now;
    changed = true;
  }
  return changed;
}
