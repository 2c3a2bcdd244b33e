import type { SimState, Simulator } from '@site-cli/aws-sim';

/** Everything that exists in the simulated account and costs or matters: not VPCs, subnets or images. */
export function liveResources(
  sim: Simulator,
): { id: string; kind: string; name: string; tags: Record<string, string> }[] {
  const state = sim.snapshot() as SimState;
  const tags = (id: string) => state.tags[id] ?? {};
  return [
    ...state.keyPairs.map((k) => ({ id: k.id, kind: 'key pair', name: k.name })),
    ...state.securityGroups
      .filter((g) => g.name !== 'default')
      .map((g) => ({ id: g.id, kind: 'security group', name: g.name })),
    ...state.instances
      .filter((i) => i.terminateTime === undefined)
      .map((i) => ({ id: i.id, kind: 'instance', name: tags(i.id).Name ?? '' })),
    ...state.targetGroups.map((t) => ({ id: t.arn, kind: 'target group', name: t.name })),
    ...state.loadBalancers.map((l) => ({ id: l.arn, kind: 'load balancer', name: l.name })),
    ...state.listeners.map((l) => ({ id: l.arn, kind: 'listener', name: String(l.port) })),
  ].map((resource) => ({ ...resource, tags: tags(resource.id) }));
}

/** What of `site` still exists: resources tagged site:name = site. */
export function siteResources(sim: Simulator, site: string): string[] {
  return liveResources(sim)
    .filter((resource) => resource.tags['site:name'] === site)
    .map((resource) => `${resource.kind} ${resource.name} (${resource.id})`);
}
