// The floor a deploy (or destroy) cannot beat: the latency profile's critical path through the resource
// graph that the installed plugins register. The edges come from the registry (each resource's dependsOn);
// only the latencies below are ours, and each is one the simulator (like AWS) imposes on one resource.

/**
 * When a resource is done, given when it can start (all its inputs exist) and when the others finished.
 * Resources not listed take no time of their own: their API calls are not part of the floor.
 */
function deployLatencies(profile, healthCheck) {
  return {
    // plugin-domain: RequestCertificate → its validation records readable; the records' change INSYNC, then
    // issuance (aws-sim issues once the CNAME resolves, i.e. its change is INSYNC); the alias records INSYNC.
    'domain.certificate': ({ start }) => start + profile.acmValidationRecordMs,
    'domain.validation-records': ({ start }) => start + profile.route53SyncMs + profile.acmIssueMs,
    'domain.records': ({ start }) => start + profile.route53SyncMs,
    // RunInstances → running.
    'compute.instances': ({ start }) => start + profile.instancePendingMs,
    // CreateLoadBalancer → active.
    'alb.load-balancer': ({ start }) => start + profile.lbProvisioningMs,
    // Health checks start once the load balancer is active with a listener and the targets registered,
    // every `interval` seconds; a target is healthy after `healthyThreshold` passing checks in a row, and
    // a check passes once httpd is up (boot time after the instance runs).
    'alb.site-health': ({ start, finished }) =>
      healthyAt({
        checksFrom: start,
        httpdUp: (finished.get('compute.instances') ?? start) + profile.httpdBootMs,
        intervalMs: healthCheck.interval * profile.secondMs,
        threshold: healthCheck.healthyThreshold,
      }),
  };
}

function destroyLatencies(profile) {
  return {
    // TerminateInstances → terminated (until then its security group and key pair are in use).
    'compute.instances': ({ start }) => start + profile.instanceShuttingDownMs,
    // DeleteLoadBalancer → its network interfaces released (until then its security group is in use).
    'alb.load-balancer': ({ start }) => start + profile.albEniReleaseMs,
  };
}

/** The first time `threshold` consecutive checks (at checksFrom + k·interval, k ≥ 1) find httpd up. */
export function healthyAt({ checksFrom, httpdUp, intervalMs, threshold }) {
  const firstPass = Math.max(1, Math.ceil((httpdUp - checksFrom) / intervalMs));
  return checksFrom + (firstPass + threshold - 1) * intervalMs;
}

/**
 * Earliest finish of every resource when each starts as soon as its predecessors are done; the floor is
 * the latest finish, the path the chain that leads to it (ties: the first predecessor, and the end that comes later in `ids`).
 */
function longestPath(ids, predecessorsOf, latencies) {
  const finished = new Map();
  const via = new Map();
  const visit = (id) => {
    if (finished.has(id)) return finished.get(id);
    let start = 0;
    for (const predecessor of predecessorsOf(id)) {
      const end = visit(predecessor);
      if (end > start || !via.has(id)) {
        start = end;
        via.set(id, predecessor);
      }
    }
    const end = latencies[id] ? latencies[id]({ start, finished }) : start;
    finished.set(id, end);
    return end;
  };
  for (const id of ids) visit(id);
  let last = ids[0];
  for (const id of ids) if (finished.get(id) >= finished.get(last)) last = id;
  const path = [];
  for (let id = last; id !== undefined; id = via.get(id)) path.unshift(id);
  return { ms: finished.get(last), path };
}

/** The deploy floor: from nothing to the site answering 200 (the readiness check done). */
export function deployFloor(registry, profile, config) {
  const latencies = deployLatencies(profile, config.alb.healthCheck);
  return longestPath([...registry.order], (id) => registry.get(id).dependsOn, latencies);
}

/** The destroy floor: every managed resource gone, each once everything depending on it is gone. */
export function destroyFloor(registry, profile) {
  // Dependants first: that is the order destroy runs in, so a tie ends the path at what goes last.
  const managed = [...registry.order]
    .reverse()
    .filter((id) => (registry.get(id).kind ?? 'managed') === 'managed');
  const isManaged = new Set(managed);
  return longestPath(
    managed,
    (id) => registry.dependantsOf(id).filter((dependant) => isManaged.has(dependant)),
    destroyLatencies(profile),
  );
}

/**
 * The floor of new instances joining a running site (an Auto Scaling group's scale-out, or the replacements an
 * instance refresh launches before it terminates): RunInstances → running, registered with the target group as
 * it runs (ELBv2 takes running instances only), then `healthyThreshold` passing checks once httpd is up. The
 * load balancer is already active, so nothing else is on the path. A refresh's instance warm-up is left out: it
 * is a setting site chooses (AWS accepts 0), not a wait AWS imposes.
 */
export function newInstancesFloor(profile, config) {
  const running = profile.instancePendingMs;
  const ms = healthyAt({
    checksFrom: running,
    httpdUp: running + profile.httpdBootMs,
    intervalMs: config.alb.healthCheck.interval * profile.secondMs,
    threshold: config.alb.healthCheck.healthyThreshold,
  });
  return { ms, path: ['compute.instances (launched by the group)', 'alb.site-health'] };
}
