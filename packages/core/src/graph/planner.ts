import { isSiteError, type SiteError } from '../errors.js';
import type { Registry } from './registry.js';
import type { Change, RegisteredResource, ResourceContext } from './resource.js';
import { schedule } from './scheduler.js';

/**
 * create: does not exist · keep: exists as configured · update: changed in place ·
 * replace: a new one, then the old one goes · delete: destroy it · read: looked up ·
 * verify: a readiness check · absent: nothing to destroy.
 */
export type PlanAction = 'create' | 'keep' | 'update' | 'replace' | 'delete' | 'read' | 'verify' | 'absent';

export interface PlanStep {
  resourceId: string;
  title: string;
  plugin: string;
  /** The resource ids this one waits for (its place in the graph deploy runs). */
  dependsOn: string[];
  action: PlanAction;
  reason: string;
  changes: Change[];
}

export interface Plan {
  mode: 'deploy' | 'destroy';
  steps: PlanStep[];
  /** What discovery found, by resource id (absent ones left out). */
  found: Map<string, unknown>;
  /** True when applying the plan would change anything in AWS. */
  hasChanges: boolean;
}

const CHANGING: readonly PlanAction[] = ['create', 'update', 'replace', 'delete'];

export interface DiscoverOptions {
  registry: Registry;
  ids?: readonly string[];
  /** A context whose outputs map is shared: discovered values land in it as they come. */
  context: (resourceId: string) => ResourceContext;
  outputs: Map<string, unknown>;
  /** Destroy needs no look-ups: data and check resources are skipped. */
  skipKinds?: readonly string[];
  /** Destroy: a same-named resource that is not ours (a `*_CONFLICT` error) is absent, with a warning. */
  leaveConflicts?: boolean;
}

/** The error discover throws for a same-named resource without this site's tags. */
export function isConflict(error: unknown): error is SiteError {
  return isSiteError(error) && error.code.endsWith('_CONFLICT');
}

/** Discover resources in dependency order, independent ones at once. Fails on the first error. */
export async function discoverAll(options: DiscoverOptions): Promise<Map<string, unknown>> {
  const { registry, outputs } = options;
  const ids = (options.ids ? registry.withDependencies(options.ids) : registry.order).filter(
    (id) => !options.skipKinds?.includes(registry.get(id).kind ?? 'managed'),
  );
  const run = schedule(
    ids,
    (id) => registry.get(id).dependsOn,
    async (id) => {
      const ctx = options.context(id);
      const value = await registry
        .get(id)
        .discover(ctx)
        .catch((error: unknown) => {
          if (!options.leaveConflicts || !isConflict(error)) throw error;
          ctx.log.warn(`Left alone (not this site's): ${error.message}`);
          return undefined;
        });
      if (value !== undefined) outputs.set(id, value);
      return value;
    },
  );
  const results = await run.done;
  for (const id of ids) {
    const result = results.get(id)!;
    if (result.status === 'failed') throw result.error;
  }
  return outputs;
}

function describeChanges(changes: Change[]): string {
  return changes.map((change) => `${change.field}: ${show(change.from)} → ${show(change.to)}`).join('; ');
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function step(
  resource: RegisteredResource,
  action: PlanAction,
  reason: string,
  changes: Change[] = [],
): PlanStep {
  return {
    resourceId: resource.id,
    title: resource.title,
    plugin: resource.plugin.name,
    dependsOn: [...resource.dependsOn],
    action,
    reason,
    changes,
  };
}

/** What deploy would do: discover, then create / keep / update / replace for each resource. */
export async function planDeploy(options: Omit<DiscoverOptions, 'skipKinds'>): Promise<Plan> {
  const { registry } = options;
  // Checks run at the end of every deploy anyway: looking at them now would only repeat the calls.
  const found = await discoverAll({ ...options, skipKinds: ['check'] });
  const ids = options.ids ? registry.withDependencies(options.ids) : registry.order;
  const steps = new Map<string, PlanStep>();
  for (const id of ids) {
    const resource = registry.get(id);
    const kind = resource.kind ?? 'managed';
    if (kind === 'data') {
      steps.set(id, step(resource, 'read', 'looked up on every run'));
      continue;
    }
    if (kind === 'check') {
      steps.set(id, step(resource, 'verify', 'checked at the end of every deploy'));
      continue;
    }
    const current = found.get(id);
    if (resource.wanted && !resource.wanted(options.context(id))) {
      steps.set(
        id,
        current === undefined
          ? step(resource, 'absent', 'not wanted by the configuration')
          : step(
              resource,
              'delete',
              'no longer wanted by the configuration: deleted once the deploy’s checks pass',
            ),
      );
      continue;
    }
    if (current === undefined) {
      steps.set(id, step(resource, 'create', 'does not exist'));
      continue;
    }
    const changes = resource.diff ? await resource.diff(options.context(id), current) : [];
    if (changes.length > 0) {
      steps.set(
        id,
        step(resource, resource.update ? 'update' : 'replace', describeChanges(changes), changes),
      );
      continue;
    }
    // A dependency changing in place, being replaced or created anew may move this one (new targets, a new
    // group id; the fixed instances a site gets back when it leaves instance.scaling).
    const moved = resource.dependsOn.find((dependency) =>
      ['update', 'replace', 'create'].includes(steps.get(dependency)?.action ?? ''),
    );
    if (moved && resource.update) {
      steps.set(id, step(resource, 'update', `follows the ${steps.get(moved)!.action} of ${moved}`));
      continue;
    }
    steps.set(id, step(resource, 'keep', 'exists as configured'));
  }
  const list = ids.map((id) => steps.get(id)!);
  return { mode: 'deploy', steps: list, found, hasChanges: list.some((s) => CHANGING.includes(s.action)) };
}

/** What destroy would do: every managed resource found by this site's tags is deleted. */
export async function planDestroy(
  options: Omit<DiscoverOptions, 'skipKinds'> & { keep?: readonly string[] },
): Promise<Plan> {
  const { registry } = options;
  const found = await discoverAll({ ...options, skipKinds: ['data', 'check'], leaveConflicts: true });
  const ids = options.ids ? registry.withDependants(options.ids) : registry.order;
  const steps: PlanStep[] = [];
  for (const id of ids) {
    const resource = registry.get(id);
    if ((resource.kind ?? 'managed') !== 'managed') continue;
    if (!found.has(id)) steps.push(step(resource, 'absent', 'nothing of it exists'));
    else if (options.keep?.includes(id)) steps.push(step(resource, 'keep', 'kept on request'));
    else steps.push(step(resource, 'delete', 'carries this site’s tags'));
  }
  return { mode: 'destroy', steps, found, hasChanges: steps.some((s) => s.action === 'delete') };
}
