import { ExitCode, SiteError } from '../errors.js';
import type { RegisteredResource, Resource } from './resource.js';

export interface PluginRef {
  name: string;
  version: string;
}

export interface Contribution {
  plugin: PluginRef;
  resources: readonly Resource[];
}

/** Every installed plugin's resources, checked and ordered. */
export interface Registry {
  readonly resources: readonly RegisteredResource[];
  get(id: string): RegisteredResource;
  has(id: string): boolean;
  /** Dependencies first. */
  readonly order: readonly string[];
  dependantsOf(id: string): string[];
  /** `ids` and everything they depend on, transitively. */
  withDependencies(ids: readonly string[]): string[];
  /** `ids` and everything that depends on them, transitively. */
  withDependants(ids: readonly string[]): string[];
}

const pluginLabel = (plugin: PluginRef) => `${plugin.name}@${plugin.version}`;

/** Refuse duplicates, unknown dependencies and cycles, each with a message naming who is involved. */
export function buildRegistry(contributions: readonly Contribution[]): Registry {
  const byId = new Map<string, RegisteredResource>();
  for (const { plugin, resources } of contributions) {
    for (const resource of resources) {
      const existing = byId.get(resource.id);
      if (existing) {
        throw new SiteError({
          code: 'RESOURCE_DUPLICATE',
          message: `Two plugins contribute the resource ${resource.id}: ${pluginLabel(existing.plugin)} and ${pluginLabel(plugin)}.`,
          suggestions: [
            `Uninstall one of them (\`site plugins uninstall ${plugin.name}\`), or ask its author to rename the resource.`,
          ],
          exitCode: ExitCode.usage,
          details: { resourceId: resource.id, plugins: [existing.plugin, plugin] },
        });
      }
      byId.set(
        resource.id,
        Object.assign(Object.create(resource) as Resource, resource, { plugin }) as RegisteredResource,
      );
    }
  }

  for (const resource of byId.values()) {
    for (const dependency of resource.dependsOn) {
      if (!byId.has(dependency)) {
        throw new SiteError({
          code: 'RESOURCE_MISSING_DEPENDENCY',
          message: `${resource.id} (from ${pluginLabel(resource.plugin)}) depends on ${dependency}, which no installed plugin provides.`,
          suggestions: [
            'Install the plugin that provides it (`site plugins`), or uninstall the plugin that needs it.',
          ],
          exitCode: ExitCode.usage,
          details: { resourceId: resource.id, dependency },
        });
      }
    }
  }

  const order = topologicalOrder(byId);
  const dependants = new Map<string, string[]>();
  for (const id of order) dependants.set(id, []);
  for (const resource of byId.values())
    for (const dependency of resource.dependsOn) dependants.get(dependency)!.push(resource.id);

  const closure = (start: readonly string[], next: (id: string) => readonly string[]) => {
    const seen = new Set<string>();
    const visit = (id: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      next(id).forEach(visit);
    };
    start.forEach(visit);
    return order.filter((id) => seen.has(id));
  };

  return {
    resources: order.map((id) => byId.get(id)!),
    order,
    has: (id) => byId.has(id),
    get(id) {
      const resource = byId.get(id);
      if (!resource) {
        throw new SiteError({
          code: 'RESOURCE_UNKNOWN',
          message: `No installed plugin provides the resource ${id}.`,
          suggestions: [`Known resources: ${order.join(', ')}`],
          exitCode: ExitCode.usage,
        });
      }
      return resource;
    },
    dependantsOf: (id) => dependants.get(id) ?? [],
    withDependencies: (ids) => closure(ids, (id) => byId.get(id)?.dependsOn ?? []),
    withDependants: (ids) => closure(ids, (id) => dependants.get(id) ?? []),
  };
}

function topologicalOrder(byId: Map<string, Resource>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(id)), id];
      throw new SiteError({
        code: 'RESOURCE_CYCLE',
        message: `The resources depend on each other in a cycle: ${cycle.join(' → ')}.`,
        suggestions: ['A plugin declares a wrong dependency: report it to its author, or uninstall it.'],
        exitCode: ExitCode.usage,
        details: { cycle },
      });
    }
    state.set(id, 'visiting');
    for (const dependency of [...byId.get(id)!.dependsOn].sort()) visit(dependency, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of [...byId.keys()].sort()) visit(id, []);
  return order;
}
