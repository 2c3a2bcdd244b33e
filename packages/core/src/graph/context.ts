import type { AwsClients } from '../aws/clients.js';
import type { SiteConfig } from '../config/schema.js';
import { awsErrorCode, isAwsError } from '../aws/errors.js';
import { SiteError } from '../errors.js';
import { createNaming } from '../naming.js';
import { createConsoleLogger, type Logger } from '../output/logger.js';
import { createTagHelper } from '../tags.js';
import { poll, type PollOptions } from './poll.js';
import type { Outputs, ResourceContext } from './resource.js';

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
}

export function createOutputs(values: Map<string, unknown>): Outputs {
  return {
    get: <T>(id: string) => values.get(id) as T | undefined,
    require<T>(id: string): T {
      if (!values.has(id) || values.get(id) === undefined) {
        throw new SiteError({
          code: 'MISSING_INPUT',
          message: `The output of ${id} is needed but it does not exist yet.`,
          suggestions: ['Run `site deploy` to create the whole site.'],
        });
      }
      return values.get(id) as T;
    },
  };
}

/** Make the context every resource method receives. Tests use it with injected clients. */
export function createResourceContext(options: ContextOptions): ResourceContext {
  const memo = options.memo ?? new Map<string, Promise<unknown>>();
  const timeScale = options.timeScale ?? 1;
  const signal = options.signal ?? new AbortController().signal;
  return {
    config: options.config,
    aws: options.aws,
    naming: createNaming(options.config),
    tags: createTagHelper(options.config.name, options.config.tags),
    log: options.log ?? createConsoleLogger(),
    outputs: createOutputs(options.outputs ?? new Map()),
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
  };
}
