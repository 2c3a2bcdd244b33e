import { createAwsClients } from '../aws/clients.js';
import type { z } from 'zod';
import { buildConfigSchema } from '../config/schema-with-sections.js';
import type { SiteConfig } from '../config/schema.js';
import { createResourceContext } from '../graph/context.js';
import type { Resource, ResourceContext } from '../graph/resource.js';

/** Where wire tests' nock interceptors listen by default. */
export const TEST_ENDPOINT = 'http://aws.test';

export interface TestContextOptions {
  /** The AWS endpoint: a nock host (default TEST_ENDPOINT) or an aws-sim endpoint. */
  endpoint?: string;
  /** Outputs of dependencies: a Map (shared with the test) or entries. */
  outputs?: Map<string, unknown> | Iterable<[string, unknown]>;
  configDir?: string;
  /** Poll delays and deadlines scale by this (default 0.001: tests never wait for real). */
  timeScale?: number;
  /** SDK attempts per call (default 1, so wire tests see every request). */
  maxAttempts?: number;
  simulator?: { endpoint: string };
  /** Arrays of the test's own to collect into (the rest are made here). */
  log?: Partial<TestLog>;
  /**
   * Plugin configuration sections (what a `site:config-schema` hook returns), so `config` may carry
   * their keys and `ctx.config.<key>` holds the parsed section with its defaults, as in a run.
   */
  sections?: readonly { key: string; schema: z.ZodType }[];
  /** Resources whose `logs` answer `ctx.logs()` (their outputs must be among `outputs`). */
  logSources?: readonly Resource[];
}

export interface TestLog {
  infos: string[];
  warnings: string[];
  progress: string[];
}

/**
 * A ResourceContext for a plugin's tests, with what it logged. `config` is configuration input;
 * defaults fill the rest (name barista-cafe unless given). Third-party plugins use it too.
 */
export function createTestContext(
  config: Record<string, unknown> = {},
  options: TestContextOptions = {},
): { ctx: ResourceContext; log: TestLog } {
  const log: TestLog = {
    infos: options.log?.infos ?? [],
    warnings: options.log?.warnings ?? [],
    progress: options.log?.progress ?? [],
  };
  const ctx = createResourceContext({
    config: parseConfig(config, options.sections ?? []),
    aws: createAwsClients({
      region: 'us-east-1',
      endpoint: options.endpoint ?? TEST_ENDPOINT,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: options.maxAttempts ?? 1,
    }),
    log: {
      info: (message) => log.infos.push(message),
      warn: (message) => log.warnings.push(message),
      debug: () => {},
    },
    // A Map is shared, as in a run: what the test sets later is seen by the resource.
    outputs: options.outputs instanceof Map ? options.outputs : new Map(options.outputs ?? []),
    configDir: options.configDir,
    simulator: options.simulator,
    // Delays shrink a hundredfold; deadlines stay long enough for a loaded machine (a 60 s wait is 0.6 s).
    timeScale: options.timeScale ?? 0.01,
    progress: (message) => log.progress.push(message),
    logSources: options.logSources,
  });
  return { ctx, log };
}

function parseConfig(
  config: Record<string, unknown>,
  sections: readonly { key: string; schema: z.ZodType }[],
): SiteConfig {
  const schema = buildConfigSchema(sections.map((section) => ({ ...section, plugin: 'test' })));
  const parsed = schema.parse({ name: 'barista-cafe', ...config }) as Record<string, unknown>;
  // As loadConfig does: a section left out is present with its defaults.
  for (const { key, schema: section } of sections) {
    if (parsed[key] !== undefined) continue;
    const defaults = section.safeParse({});
    if (defaults.success && defaults.data !== undefined) parsed[key] = defaults.data;
  }
  return parsed as SiteConfig;
}
