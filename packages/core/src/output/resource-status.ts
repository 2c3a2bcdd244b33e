import type { Registry } from '../graph/registry.js';
import type { ResourceContext, StatusRow } from '../graph/resource.js';

/** One resource as `status` shows it: its rows, and the summary it gives of itself when it exists. */
export interface ResourceStatus {
  resourceId: string;
  title: string;
  rows: StatusRow[];
  summary?: Record<string, unknown>;
}

/**
 * The status of the given resources (all by default, in the registry's order) from what discovery found:
 * a resource that was not found is one "absent" row; one found asks its own `status`, or is "present".
 */
export function resourceStatuses(options: {
  registry: Registry;
  found: Map<string, unknown>;
  ids?: readonly string[];
  context: () => ResourceContext;
}): Promise<ResourceStatus[]> {
  const { registry, found, ids } = options;
  const wanted = ids ? registry.order.filter((id) => ids.includes(id)) : registry.order;
  return Promise.all(
    wanted.map(async (id): Promise<ResourceStatus> => {
      const resource = registry.get(id);
      const outputs = found.get(id);
      if (outputs === undefined)
        return {
          resourceId: id,
          title: resource.title,
          rows: [{ name: resource.title, id: '-', state: 'absent' }],
        };
      const rows = resource.status
        ? await resource.status(options.context(), outputs)
        : [{ name: resource.title, id: '-', state: 'present' }];
      const summary = resource.summarize ? resource.summarize(outputs) : undefined;
      return { resourceId: id, title: resource.title, rows, summary };
    }),
  );
}
