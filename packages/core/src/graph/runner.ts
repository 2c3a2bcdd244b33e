import { checkPreconditions } from './preflight.js';
import { translateError } from '../aws/errors.js';
import { InterruptedError, SiteError } from '../errors.js';
import type { RendererChoice } from '../output/renderer.js';
import { openProgress, groupTitle, type ProgressItem } from '../output/progress.js';
import type { Plan, PlanAction, PlanStep } from './planner.js';
import type { Registry } from './registry.js';
import type { ResourceContext } from './resource.js';
import { schedule } from './scheduler.js';

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
  /** Where progress goes (stderr: stdout is the command's result). */
  progressStream?: NodeJS.WritableStream;
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
  const progress = await openProgress(
    ids.map((id): ProgressItem => {
      const resource = registry.get(id);
      const action = steps.get(id)!.action;
      return {
        id,
        title: resource.title,
        group: groupTitle(resource.plugin.name),
        // Deploy deletes what the configuration no longer wants only after its checks: until then it serves.
        verbs:
          !destroying && action === 'delete'
            ? ['in service until the checks pass', 'kept until the checks pass']
            : VERB[action],
        idle: action === 'read' ? 'found' : 'unchanged',
        waitsFor: edges(id).filter((edge) => steps.has(edge)),
        waitsForDeletion: destroying,
      };
    }),
    { renderer: options.renderer, stream: options.progressStream },
  );
  const replaced = new Map<string, unknown>();

  const work = async (id: string): Promise<unknown> => {
    const resource = registry.get(id);
    const step = steps.get(id)!;
    const ctx = options.context(id, (message) => progress.message(id, message));
    switch (step.action) {
      case 'read':
      case 'keep':
        return outputs.get(id);
      case 'delete':
        if (!destroying) {
          replaced.set(id, plan.found.get(id));
          return outputs.get(id);
        }
        await resource.destroy(ctx, plan.found.get(id));
        outputs.delete(id);
        return undefined;
      case 'verify':
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
    onStart: (id) => progress.started(id),
    // deploy --no-wait: the readiness checks do not run, and say so.
    leaveOut: (id) =>
      options.noWait && steps.get(id)!.action === 'verify' ? 'left out by --no-wait' : undefined,
  });
  await progress.show(run.node);
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

/**
 * After a deploy: retire replaced resources and the ones the configuration no longer wants, and let resources
 * finalize, dependants first.
 */
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
    if (steps.get(id)?.action === 'delete') {
      outputs.delete(id);
      continue;
    }
    if (resource.finalize && outputs.get(id) !== undefined)
      outputs.set(id, await resource.finalize(ctx, outputs.get(id)));
  }
}
