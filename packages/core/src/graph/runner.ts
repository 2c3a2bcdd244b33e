import { checkPreconditions } from './preflight.js';
import { translateError } from '../aws/errors.js';
import { InterruptedError, SiteError } from '../errors.js';
import type { RendererChoice } from '../output/renderer.js';
import type { Plan, PlanAction, PlanStep } from './planner.js';
import type { Registry } from './registry.js';
import type { ResourceContext } from './resource.js';
import { schedule, type NodeResult } from './scheduler.js';

export interface StepResult {
  resourceId: string;
  action: PlanAction;
  status: 'done' | 'failed' | 'skipped';
  durationMs?: number;
  reason?: string;
  error?: unknown;
}

export interface ApplyOptions {
  registry: Registry;
  plan: Plan;
  /** A context for one resource; `progress` shows on its task line. */
  context(resourceId: string, progress: (message: string) => void): ResourceContext;
  /** Outputs by resource id: starts with what the plan found, filled in as resources are created. */
  outputs: Map<string, unknown>;
  renderer: RendererChoice;
  signal: AbortSignal;
  /** Skip readiness checks (deploy --no-wait). */
  noWait?: boolean;
}

export interface ApplyResult {
  outputs: Map<string, unknown>;
  steps: StepResult[];
}

const VERB: Partial<Record<PlanAction, [string, string]>> = {
  create: ['creating', 'created'],
  update: ['updating', 'updated'],
  replace: ['replacing', 'replaced'],
  delete: ['deleting', 'deleted'],
  verify: ['checking', 'ready'],
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/**
 * Apply a plan as a graph: every resource starts once its dependencies are done (destroy: once
 * its dependants are gone), shown as a listr2 tree with a parent task per plugin. The first
 * failure stops new work; what is in flight finishes; the error names the resource.
 */
export async function applyPlan(options: ApplyOptions): Promise<ApplyResult> {
  const { registry, plan, outputs } = options;
  const steps = new Map(plan.steps.filter((s) => s.action !== 'absent').map((s) => [s.resourceId, s]));
  const ids = registry.order.filter((id) => steps.has(id));
  const destroying = plan.mode === 'destroy';
  const edges = (id: string) => (destroying ? registry.dependantsOf(id) : registry.get(id).dependsOn);
  const progressListeners = new Map<string, (message: string) => void>();
  const progress = (id: string) => (message: string) => progressListeners.get(id)?.(message);
  const replaced = new Map<string, unknown>();

  const work = async (id: string): Promise<unknown> => {
    const resource = registry.get(id);
    const step = steps.get(id)!;
    const ctx = options.context(id, progress(id));
    switch (step.action) {
      case 'read':
      case 'keep':
        return outputs.get(id);
      case 'delete':
        await resource.destroy(ctx, plan.found.get(id));
        outputs.delete(id);
        return undefined;
      case 'verify':
        if (options.noWait) return undefined;
        return remember(id, await resource.create(ctx));
      case 'create':
        return remember(id, await resource.create(ctx));
      case 'replace':
        replaced.set(id, plan.found.get(id));
        return remember(id, await resource.create(ctx));
      case 'update': {
        // Dependencies may have moved since planning: look again, then bring it in line.
        const current = await resource.discover(ctx);
        if (current === undefined) return remember(id, await resource.create(ctx));
        const changes = resource.diff ? await resource.diff(ctx, current) : [];
        if (changes.length === 0 || !resource.update) return remember(id, current);
        return remember(id, await resource.update(ctx, current, changes));
      }
      default:
        return undefined;
    }
  };
  const remember = (id: string, value: unknown) => {
    outputs.set(id, value);
    return value;
  };

  if (!destroying)
    await checkPreconditions(options.registry, options.plan, (id) => options.context(id, () => {}));

  const run = schedule(ids, (id) => edges(id).filter((edge) => steps.has(edge)), work, {
    signal: options.signal,
  });
  await render(options, ids, steps, run.node, progressListeners);
  const results = await run.done;

  const stepResults: StepResult[] = ids.map((id) => {
    const result = results.get(id)!;
    return {
      resourceId: id,
      action: steps.get(id)!.action,
      status: result.status,
      durationMs: result.status === 'skipped' ? undefined : result.endedAt - result.startedAt,
      reason: result.status === 'skipped' ? result.reason : undefined,
      error: result.status === 'failed' ? result.error : undefined,
    };
  });
  const failure = stepResults.find((step) => step.status === 'failed');

  if (options.signal.aborted || failure?.error instanceof InterruptedError) throw new InterruptedError();
  if (failure) {
    const resource = registry.get(failure.resourceId);
    // An AWS refusal becomes its own error (AWS_ACCESS_DENIED naming the IAM action, ...).
    const cause = translateError(failure.error) as Error;
    const created = destroying
      ? []
      : stepResults.filter((s) => s.status === 'done' && ['create', 'replace', 'update'].includes(s.action));
    const report =
      created.length === 0
        ? ''
        : `\nCreated or changed before it stopped, all tagged with this site's name: ${created
            .map((s) => `${registry.get(s.resourceId).title} (${s.resourceId})`)
            .join(', ')}.`;
    throw new SiteError({
      code: cause instanceof SiteError ? cause.code : 'RESOURCE_FAILED',
      message: `${resource.title} (${resource.id}, from ${resource.plugin.name}@${resource.plugin.version}) failed: ${cause?.message ?? String(cause)}${report}`,
      suggestions: [
        ...(cause instanceof SiteError ? cause.suggestions : []),
        destroying
          ? 'Run `site destroy` again: it only deletes what still carries this site’s tags.'
          : 'Everything created so far is tagged: fix the cause and run `site deploy` again to resume, or `site destroy` to clean up.',
      ],
      // Other resources may have been touched meanwhile, so even a usage error is a failure of the run.
      exitCode: cause instanceof SiteError && cause.exitCode !== 2 ? cause.exitCode : 1,
      details: {
        ...(cause instanceof SiteError ? cause.details : {}),
        resourceId: resource.id,
        plugin: resource.plugin,
        created: created.map((s) => s.resourceId),
        steps: stepResults.map(({ error: _e, ...rest }) => rest),
      },
      cause,
    });
  }
  if (!destroying) await cleanUp(options, steps, replaced);
  return { outputs, steps: stepResults };
}

/** After a deploy: retire replaced resources and let resources finalize, dependants first. */
async function cleanUp(
  options: ApplyOptions,
  steps: Map<string, PlanStep>,
  replaced: Map<string, unknown>,
): Promise<void> {
  const { registry, outputs } = options;
  const ids = [...registry.order].reverse().filter((id) => {
    const resource = registry.get(id);
    return (
      replaced.has(id) ||
      (resource.finalize && ['create', 'update', 'replace'].includes(steps.get(id)?.action ?? ''))
    );
  });
  for (const id of ids) {
    const resource = registry.get(id);
    const ctx = options.context(id, () => {});
    if (replaced.has(id)) await resource.destroy(ctx, replaced.get(id));
    if (resource.finalize && outputs.get(id) !== undefined)
      outputs.set(id, await resource.finalize(ctx, outputs.get(id)));
  }
}

async function render(
  options: ApplyOptions,
  ids: string[],
  steps: Map<string, PlanStep>,
  node: (id: string) => Promise<NodeResult<unknown>>,
  progressListeners: Map<string, (message: string) => void>,
): Promise<void> {
  const { registry } = options;
  const { Listr } = await import('listr2');
  const byPlugin = new Map<string, string[]>();
  for (const id of ids) {
    const plugin = registry.get(id).plugin.name;
    byPlugin.set(plugin, [...(byPlugin.get(plugin) ?? []), id]);
  }
  const resourceTask = (id: string) => {
    const resource = registry.get(id);
    const step = steps.get(id)!;
    const [doing, did] = VERB[step.action] ?? ['', step.action === 'read' ? 'found' : 'unchanged'];
    return {
      title: resource.title,
      task: async (_: unknown, task: { title: string; output: string; skip(message?: string): void }) => {
        const waitingFor = (
          options.plan.mode === 'destroy' ? registry.dependantsOf(id) : resource.dependsOn
        ).filter((d) => steps.has(d));
        if (waitingFor.length > 0 && doing) task.output = `waiting for ${waitingFor.join(', ')}`;
        progressListeners.set(id, (message) => (task.output = message));
        const result = await node(id);
        if (result.status === 'skipped') return task.skip(`${resource.title}: skipped (${result.reason})`);
        if (result.status === 'failed') throw result.error;
        task.title = `${resource.title}: ${did}${doing ? ` in ${seconds(result.endedAt - result.startedAt)}` : ''}`;
      },
    };
  };
  const list = new Listr(
    [...byPlugin].map(([plugin, pluginIds]) => ({
      title: plugin.replace(/^@site-cli\//, ''),
      task: (_: unknown, task: { newListr: (tasks: unknown[], options: object) => unknown }) =>
        task.newListr(pluginIds.map(resourceTask), { concurrent: true, exitOnError: false }),
    })) as never,
    {
      concurrent: true,
      exitOnError: false,
      renderer: options.renderer,
      fallbackRenderer: 'simple',
      collectErrors: false,
      // Ctrl-C is ours to handle: in-flight work finishes and the command exits 130, not listr2's 127.
      registerSignalListeners: false,
      rendererOptions: { collapseSubtasks: false, showErrorMessage: true },
    } as never,
  );
  try {
    await list.run();
  } catch {
    // Failures are reported once, from the scheduler's results.
  }
}
