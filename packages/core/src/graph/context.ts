import type { AwsClients } from '../aws/clients.js';
import type { SiteConfig } from '../config/schema.js';
import { awsErrorCode, isAwsError } from '../aws/errors.js';
import { ExitCode, SiteError } from '../errors.js';
import { createNaming } from '../naming.js';
import { createConsoleLogger, type Logger } from '../output/logger.js';
import { createTagHelper } from '../tags.js';
import { poll, type PollOptions } from './poll.js';
import type { LogEntry, Outputs, Resource, ResourceContext } from './resource.js';

export interface ContextOptions {
  config: SiteConfig;
  aws: AwsClients;
  log?: Logger;
  signal?: AbortSignal;
  configDir?: string;
  simulator?: { endpoint: string };
  /** Scales every poll delay and deadline (benchmarks, tests). */
  timeScale?: number;
  /** Outputs known so far, by resource id; shared and filled in as the run goes. */
  outputs?: Map<string, unknown>;
  /** Shared memo for `once` across the resources of a run. */
  memo?: Map<string, Promise<unknown>>;
  progress?: (message: string) => void;
  /** Whether the endpoint honours EC2 DryRun; asked once, before the first dry run (default: it does). */
  honoursDryRun?: () => Promise<boolean>;
  /** The resources whose `logs` feed `ctx.logs()` (the session's registry). */
  logSources?: readonly Resource[];
}

export function createOutputs(values: Map<string, unknown>): Outputs {
  const has = (id: string) => values.get(id) !== undefined;
  return {
    get: ((id: string) => values.get(id)) as Outputs['get'],
    require: ((id: string) => {
      if (!has(id)) {
        throw new SiteError({
          code: 'MISSING_INPUT',
          message: `The output of ${id} is needed but it does not exist yet.`,
          suggestions: ['Run `site deploy` to create the whole site.'],
        });
      }
      return values.get(id);
    }) as Outputs['require'],
    has,
  };
}

/** Make the context every resource method receives. Tests use it with injected clients. */
export function createResourceContext(options: ContextOptions): ResourceContext {
  const memo = options.memo ?? new Map<string, Promise<unknown>>();
  const timeScale = options.timeScale ?? 1;
  const signal = options.signal ?? new AbortController().signal;
  const log = options.log ?? createConsoleLogger();
  const outputValues = options.outputs ?? new Map<string, unknown>();
  const ctx: ResourceContext = {
    config: options.config,
    aws: options.aws,
    naming: createNaming(options.config),
    tags: createTagHelper(options.config.name, options.config.tags),
    log,
    outputs: createOutputs(outputValues),
    signal,
    simulator: options.simulator,
    configDir: options.configDir ?? process.cwd(),
    once<T>(key: string, load: () => Promise<T>): Promise<T> {
      let value = memo.get(key) as Promise<T> | undefined;
      if (!value) {
        value = load();
        memo.set(key, value);
        // A failed load is not memoised: the next caller tries again.
        value.catch(() => memo.delete(key));
      }
      return value;
    },
    poll<T>(what: string, check: () => Promise<T | undefined>, pollOptions?: PollOptions) {
      return poll(what, check, pollOptions ?? {}, { timeScale, signal });
    },
    error: (errorOptions) => new SiteError(errorOptions),
    awsErrorCode,
    isAwsError,
    progress: options.progress ?? (() => {}),
    async dryRun(iamActions, call) {
      const actions = typeof iamActions === 'string' ? [iamActions] : [...iamActions];
      if (options.honoursDryRun && !(await options.honoursDryRun())) return;
      try {
        await call();
      } catch (error) {
        const code = awsErrorCode(error);
        if (code === 'DryRunOperation') return;
        if (code === 'UnauthorizedOperation' || code === 'AccessDenied') throw deniedError(actions, error);
        throw error;
      }
      log.warn(`The endpoint answered a DryRun call of ${actions[0]} as if it were real.`);
    },
    async logs(query = {}) {
      const readers = (options.logSources ?? []).filter(
        (r) => r.logs && outputValues.get(r.id) !== undefined,
      );
      const entries = await Promise.all(
        readers.map((r) => r.logs!(ctx, outputValues.get(r.id), query).catch((): LogEntry[] => [])),
      );
      return entries.flat();
    },
  };
  return ctx;
}

function deniedError(actions: string[], cause: unknown): SiteError {
  const [action, ...with_] = actions as [string, ...string[]];
  const what =
    with_.length === 0
      ? action
      : `${action} or ${with_.join(', ')} (AWS checks them together for this call and does not say which is missing)`;
  return new SiteError({
    code: 'PREFLIGHT_DENIED',
    message: `AWS denies ${what} to your identity: a DryRun check found it before anything was created or changed.`,
    suggestions: [
      `Grant ${actions.join(' and ')}: \`site iam-policy\` prints the policy site needs for this site and its plugins.`,
      'Then run `site deploy` again. Nothing was created or changed.',
    ],
    exitCode: ExitCode.failure,
    details: { action, actions },
    cause,
  });
}
