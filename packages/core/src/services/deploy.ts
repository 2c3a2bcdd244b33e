import { ExitCode, SiteError } from '../errors.js';
import { planDeploy, planDestroy, type Plan } from '../graph/planner.js';
import { checkPreconditions } from '../graph/preflight.js';
import type { StepResult } from '../graph/runner.js';
import type { HookVeto, LifecyclePayload } from '../hooks/types.js';
import { runSiteHook } from '../hooks/run.js';
import type { CoreSession } from '../session/core-session.js';

export interface PlanSummary {
  mode: 'deploy' | 'destroy';
  hasChanges: boolean;
  counts: Record<string, number>;
  steps: {
    resourceId: string;
    title: string;
    plugin: string;
    dependsOn: string[];
    action: string;
    reason: string;
  }[];
}

export function summarizePlan(plan: Plan): PlanSummary {
  const counts: Record<string, number> = {};
  for (const step of plan.steps) counts[step.action] = (counts[step.action] ?? 0) + 1;
  return {
    mode: plan.mode,
    hasChanges: plan.hasChanges,
    counts,
    steps: plan.steps.map(({ resourceId, title, plugin, dependsOn, action, reason }) => ({
      resourceId,
      title,
      plugin,
      dependsOn,
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
  if (mode === 'destroy') return planDestroy({ ...session.discovery(), keep });
  const planned = await planDeploy(session.discovery());
  // Local input a create depends on (the key folder, a .pem in the way) is refused here, before the plan is
  // shown as doable and before confirmation.
  await checkPreconditions(session.registry, planned, () => session.contextFor(new Map(planned.found)));
  return planned;
}

export interface DeployResult {
  changed: boolean;
  url?: string;
  ssh?: string;
  plan: PlanSummary;
  resources: Record<string, Record<string, unknown>>;
  steps: Omit<StepResult, 'error'>[];
}

interface RunOptions {
  /** Asked after the plan is shown, when the plan has changes; false stops. */
  confirm?: (plan: Plan) => Promise<boolean>;
  /** Called with the plan before preflight and confirmation (deploy shows it and its cost estimate). */
  onPlan?: (plan: Plan) => void | Promise<void>;
}

export interface DeployOptions extends RunOptions {
  noWait?: boolean;
}

/**
 * The shared start of deploy and destroy: plan, show, deploy's preflight, confirm, then the `pre` hooks, any
 * of which may veto with a reason.
 */
async function prepare(
  session: CoreSession,
  mode: 'deploy' | 'destroy',
  options: RunOptions & { keep?: string[] },
): Promise<{ current: Plan; summary: PlanSummary; payload: LifecyclePayload }> {
  // The plan is made under the lock: another run on this machine cannot change the site meanwhile.
  await session.lock();
  const current = await plan(session, mode, options.keep);
  await options.onPlan?.(current);
  // Before asking and before any hook: a missing permission or a full quota stops it with nothing touched.
  if (mode === 'deploy') {
    const { checked } = await session.preflight(current);
    if (checked.length > 0)
      session.log.debug(`preflight passed: permissions and quotas of ${checked.join(', ')}`);
  }
  if (current.hasChanges && options.confirm && !(await options.confirm(current))) {
    throw new SiteError({
      code: mode === 'deploy' ? 'DEPLOY_DECLINED' : 'DESTROY_DECLINED',
      message: 'Nothing was changed.',
      exitCode: ExitCode.failure,
    });
  }
  const summary = summarizePlan(current);
  const payload = { runtime: session.pluginApi, siteConfig: session.config, plan: summary.steps };
  const event = mode === 'deploy' ? 'site:predeploy' : 'site:predestroy';
  const isVeto = (result: unknown): result is HookVeto =>
    typeof result === 'object' && result !== null && typeof (result as HookVeto).veto === 'string';
  const answers = await runSiteHook(session.command.config, event, payload, { until: isVeto });
  for (const { plugin, result } of answers) {
    if (isVeto(result)) {
      throw new SiteError({
        code: mode === 'deploy' ? 'DEPLOY_VETOED' : 'DESTROY_VETOED',
        message: `${plugin.name}@${plugin.version} stopped the ${mode}: ${result.veto}`,
        exitCode: ExitCode.failure,
        details: { plugin },
      });
    }
  }
  return { current, summary, payload };
}

/** Plan, confirm, run predeploy hooks, apply the graph, run postdeploy hooks. */
export async function deploy(session: CoreSession, options: DeployOptions = {}): Promise<DeployResult> {
  const { current, summary, payload } = await prepare(session, 'deploy', options);
  const applied = await session.apply(current, { noWait: options.noWait });
  const resources = summarizeResources(session, applied.outputs);
  const url = findString(Object.values(resources), 'url');
  await runSiteHook(session.command.config, 'site:postdeploy', {
    ...payload,
    url,
    outputs: Object.fromEntries(applied.outputs),
  });
  return {
    changed: current.hasChanges,
    url,
    ssh: findString(Object.values(resources), 'ssh'),
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
  options: RunOptions & { keep?: string[] } = {},
): Promise<DestroyResult> {
  const keep = options.keep ?? [];
  const { current, summary, payload } = await prepare(session, 'destroy', options);
  await session.apply(current);
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

/** Each resource's summary (the ids a user looks up), data look-ups left out. */
export function summarizeResources(
  session: CoreSession,
  outputs: ReadonlyMap<string, unknown>,
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

/** The first summary value under `key` (the site's URL, the ssh command), whichever plugin gives it. */
export function findString(
  summaries: Iterable<Record<string, unknown> | undefined>,
  key: string,
): string | undefined {
  for (const summary of summaries) if (typeof summary?.[key] === 'string') return summary[key] as string;
  return undefined;
}
