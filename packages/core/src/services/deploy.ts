import { ExitCode, SiteError } from '../errors.js';
import { planDeploy, planDestroy, type Plan } from '../graph/planner.js';
import { applyPlan, type StepResult } from '../graph/runner.js';
import { runSiteHook } from '../hooks/run.js';
import type { CoreSession } from '../session.js';

export interface PlanSummary {
  mode: 'deploy' | 'destroy';
  hasChanges: boolean;
  counts: Record<string, number>;
  steps: { resourceId: string; title: string; plugin: string; action: string; reason: string }[];
}

export function summarizePlan(plan: Plan): PlanSummary {
  const counts: Record<string, number> = {};
  for (const step of plan.steps) counts[step.action] = (counts[step.action] ?? 0) + 1;
  return {
    mode: plan.mode,
    hasChanges: plan.hasChanges,
    counts,
    steps: plan.steps.map(({ resourceId, title, plugin, action, reason }) => ({
      resourceId,
      title,
      plugin,
      action,
      reason,
    })),
  };
}

/** Discover everything and say what deploy (or destroy) would do. Never mutates. */
export async function plan(
  session: CoreSession,
  mode: 'deploy' | 'destroy' = 'deploy',
  keep: string[] = [],
): Promise<Plan> {
  const outputs = new Map<string, unknown>();
  const memo = new Map<string, Promise<unknown>>();
  const options = {
    registry: session.registry,
    outputs,
    context: (id: string) => session.contextFor(id, outputs, undefined, memo),
  };
  return mode === 'deploy' ? planDeploy(options) : planDestroy({ ...options, keep });
}

export interface DeployResult {
  changed: boolean;
  url?: string;
  ssh?: string;
  plan: PlanSummary;
  resources: Record<string, Record<string, unknown>>;
  steps: Omit<StepResult, 'error'>[];
}

export interface DeployOptions {
  noWait?: boolean;
  /** Asked after the plan is shown, when the plan has changes; false stops. */
  confirm?: (plan: Plan) => Promise<boolean>;
  onPlan?: (plan: Plan) => void;
}

/** Plan, confirm, run predeploy hooks, apply the graph, run postdeploy hooks. */
export async function deploy(session: CoreSession, options: DeployOptions = {}): Promise<DeployResult> {
  const current = await plan(session, 'deploy');
  options.onPlan?.(current);
  if (current.hasChanges && options.confirm && !(await options.confirm(current))) {
    throw new SiteError({
      code: 'DEPLOY_DECLINED',
      message: 'Nothing was changed.',
      exitCode: ExitCode.failure,
    });
  }
  const summary = summarizePlan(current);
  const payload = { runtime: session.runtime, config: session.config, plan: summary.steps };
  for (const { plugin, result } of await runSiteHook(session.command.config, 'site:predeploy', payload)) {
    if (result && typeof result === 'object' && 'veto' in result) {
      throw new SiteError({
        code: 'DEPLOY_VETOED',
        message: `${plugin.name}@${plugin.version} stopped the deploy: ${result.veto}`,
        exitCode: ExitCode.failure,
        details: { plugin },
      });
    }
  }
  const outputs = new Map(current.found);
  const applied = await applyPlan({
    registry: session.registry,
    plan: current,
    outputs,
    renderer: session.renderer,
    signal: session.signal,
    noWait: options.noWait,
    context: (id, progress) => session.contextFor(id, outputs, progress),
  });
  const resources = summarizeResources(session, applied.outputs);
  const url = findString(resources, 'url');
  await runSiteHook(session.command.config, 'site:postdeploy', {
    ...payload,
    url,
    outputs: Object.fromEntries(applied.outputs),
  });
  return {
    changed: current.hasChanges,
    url,
    ssh: findString(resources, 'ssh'),
    plan: summary,
    resources,
    steps: applied.steps.map(({ error: _error, ...rest }) => rest),
  };
}

export interface DestroyResult {
  deleted: string[];
  kept: string[];
  remaining: string[];
  plan: PlanSummary;
}

/** Destroy everything carrying this site's tags, dependants first; then check nothing is left. */
export async function destroy(
  session: CoreSession,
  options: {
    keep?: string[];
    confirm?: (plan: Plan) => Promise<boolean>;
    onPlan?: (plan: Plan) => void;
  } = {},
): Promise<DestroyResult> {
  const keep = options.keep ?? [];
  const current = await plan(session, 'destroy', keep);
  options.onPlan?.(current);
  if (current.hasChanges && options.confirm && !(await options.confirm(current))) {
    throw new SiteError({
      code: 'DESTROY_DECLINED',
      message: 'Nothing was deleted.',
      exitCode: ExitCode.failure,
    });
  }
  const summary = summarizePlan(current);
  const payload = { runtime: session.runtime, config: session.config, plan: summary.steps };
  for (const { plugin, result } of await runSiteHook(session.command.config, 'site:predestroy', payload)) {
    if (result && typeof result === 'object' && 'veto' in result) {
      throw new SiteError({
        code: 'DESTROY_VETOED',
        message: `${plugin.name}@${plugin.version} stopped the destroy: ${result.veto}`,
      });
    }
  }
  const outputs = new Map(current.found);
  await applyPlan({
    registry: session.registry,
    plan: current,
    outputs,
    renderer: session.renderer,
    signal: session.signal,
    context: (id, progress) => session.contextFor(id, outputs, progress),
  });
  await runSiteHook(session.command.config, 'site:postdestroy', payload);
  // Look again: the answer to "is anything left?" comes from AWS, not from what we meant to do.
  const after = await plan(session, 'destroy', keep);
  return {
    deleted: current.steps.filter((s) => s.action === 'delete').map((s) => s.resourceId),
    kept: after.steps.filter((s) => s.action === 'keep').map((s) => s.resourceId),
    remaining: after.steps.filter((s) => s.action === 'delete').map((s) => s.resourceId),
    plan: summary,
  };
}

function summarizeResources(
  session: CoreSession,
  outputs: Map<string, unknown>,
): Record<string, Record<string, unknown>> {
  const resources: Record<string, Record<string, unknown>> = {};
  for (const resource of session.registry.resources) {
    const output = outputs.get(resource.id);
    if (output === undefined || (resource.kind ?? 'managed') === 'data') continue;
    resources[resource.id] = resource.summarize
      ? resource.summarize(output)
      : (output as Record<string, unknown>);
  }
  return resources;
}

function findString(resources: Record<string, Record<string, unknown>>, key: string): string | undefined {
  for (const summary of Object.values(resources))
    if (typeof summary[key] === 'string') return summary[key] as string;
  return undefined;
}
