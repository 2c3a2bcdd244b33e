import type { AwsClients } from '../aws/clients.js';
import { awsErrorCode, translateError } from '../aws/errors.js';
import { ExitCode, InterruptedError, SiteError, isSiteError } from '../errors.js';
import type { Logger } from '../output/logger.js';
import type { Plan } from './planner.js';
import type { Registry } from './registry.js';
import type { PreflightAction, ResourceContext } from './resource.js';

const CHECKED: readonly string[] = ['create', 'update', 'replace'] satisfies PreflightAction[];

export interface PreflightOptions {
  registry: Registry;
  plan: Plan;
  /** One context per resource, sharing what the plan found and one memo (a quota look-up is made once). */
  context(resourceId: string): ResourceContext;
  signal: AbortSignal;
}

/**
 * Every resource the plan creates or replaces checks its local input (Resource.preconditions, no AWS
 * call), so bad input stops `plan` and `deploy` before anything exists: exit 2, nothing touched.
 */
export async function checkPreconditions(
  registry: Registry,
  plan: Plan,
  context: (resourceId: string) => ResourceContext,
): Promise<void> {
  for (const step of plan.steps) {
    const resource = registry.get(step.resourceId);
    if (resource.preconditions && (step.action === 'create' || step.action === 'replace'))
      await resource.preconditions(context(step.resourceId));
  }
}

/**
 * Deploy's checks before its first mutating call: the preflight of every resource the plan creates, updates
 * or replaces, all at once. Nothing to create or change means no preflight and no call. Every failure is
 * collected and reported in one error, so one run tells the user everything that is missing.
 */
export async function runPreflight(options: PreflightOptions): Promise<{ checked: string[] }> {
  const { registry, plan } = options;
  const steps = plan.steps.filter(
    (step) => CHECKED.includes(step.action) && registry.get(step.resourceId).preflight,
  );
  const results = await Promise.allSettled(
    steps.map((step) =>
      registry.get(step.resourceId).preflight!(options.context(step.resourceId), {
        action: step.action as PreflightAction,
        found: plan.found.get(step.resourceId),
      }),
    ),
  );
  if (options.signal.aborted) throw new InterruptedError();
  const failures = steps.flatMap((step, index) => {
    const result = results[index]!;
    return result.status === 'rejected'
      ? [{ resourceId: step.resourceId, error: asSiteError(result.reason) }]
      : [];
  });
  if (failures.length === 0) return { checked: steps.map((step) => step.resourceId) };
  if (failures.length === 1) {
    const [{ resourceId, error }] = failures as [(typeof failures)[number]];
    throw new SiteError({
      code: error.code,
      message: `Preflight of ${resourceId}: ${error.message}`,
      suggestions: error.suggestions,
      exitCode: error.exitCode,
      details: { ...error.details, resourceId },
      cause: error.cause,
    });
  }
  throw new SiteError({
    code: 'PREFLIGHT_FAILED',
    message: `Deploy stopped before changing anything: ${failures.length} checks failed.\n${failures
      .map(({ resourceId, error }) => `  - ${resourceId}: ${error.message}`)
      .join('\n')}`,
    suggestions: [...new Set(failures.flatMap(({ error }) => error.suggestions))],
    exitCode: ExitCode.failure,
    details: {
      failures: failures.map(({ resourceId, error }) => ({ resourceId, ...error.toJSON() })),
    },
  });
}

function asSiteError(reason: unknown): SiteError {
  const translated = translateError(reason);
  if (isSiteError(translated)) return translated;
  return new SiteError({
    code: awsErrorCode(reason) ?? 'PREFLIGHT_ERROR',
    message: (reason as Error)?.message ?? String(reason),
    cause: reason,
  });
}

/**
 * Whether the EC2 endpoint honours DryRun. AWS and aws-sim do; another emulator might run a "dry" ImportKeyPair
 * for real, so behind an endpoint override one harmless DryRun look-up asks first.
 */
export async function probeDryRun(
  aws: AwsClients,
  options: { simulator?: boolean; log: Logger },
): Promise<boolean> {
  const endpoint = aws.settings.ec2Endpoint ?? aws.settings.endpoint;
  if (options.simulator || !endpoint) return true;
  try {
    await (await aws.ec2()).describeVpcs({ DryRun: true });
  } catch (error) {
    const code = awsErrorCode(error);
    if (code === 'DryRunOperation' || code === 'UnauthorizedOperation') return true;
    throw error;
  }
  options.log.warn(
    `The EC2 endpoint ${endpoint} ignores DryRun, so deploy skipped its permission checks (the quota look-ups still ran).`,
  );
  return false;
}
