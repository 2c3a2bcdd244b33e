import { createAwsClients, type AwsSettings } from './aws/clients.js';
import { loadConfig } from './config/load.js';
import { ExitCode, SiteError } from './errors.js';
import { createResourceContext } from './graph/context.js';
import { applyPlan, type ApplyResult } from './graph/runner.js';
import { probeDryRun, runPreflight } from './graph/preflight.js';
import { discoverAll, planDeploy, planDestroy, type DiscoverOptions, type Plan } from './graph/planner.js';
import { buildRegistry, type Registry } from './graph/registry.js';
import type { ResourceContext } from './graph/resource.js';
import { collectConfigSections } from './config/plugin-sections.js';
import { runSiteHook } from './hooks/run.js';
import { createConsoleLogger, type Logger } from './output/logger.js';
import { chooseRenderer, rendererWarning } from './output/renderer.js';
import type { AwsCommandFlags, CommandHandle, Session, SiteRuntime } from './runtime.js';

/** A simulator the CLI starts for --sandbox (the core does not depend on it). */
export interface SandboxHandle {
  endpoint: string;
  region?: string;
  close(): Promise<void>;
}

/** What a run asks of the machine-wide lock of its site (the CLI keeps the lock files). */
export interface SiteLockRequest {
  /** The user's data directory (oclif's dataDir). */
  dataDir: string;
  site: string;
  region: string;
  /** Where the AWS calls go: 'sandbox', the endpoint URL(s), or 'aws'. */
  target: string;
  /** The command, in the user's words: 'deploy', 'keypair create'. */
  command: string;
  notice(message: string): void;
}

export interface SessionDeps {
  runtime: SiteRuntime;
  startSandbox?: (options: { dataDir: string; region: string }) => Promise<SandboxHandle>;
  /** One change to a site at a time on this machine; without it, no lock is taken. */
  lockSite?: (request: SiteLockRequest) => Promise<{ release(): Promise<void> }>;
  log?: Logger;
  env?: NodeJS.ProcessEnv;
  /**
   * Ctrl-C and SIGTERM belong to the CLI: it calls `stop` when the user interrupts, and the session's work
   * unwinds (its lock released on close). Returns how to stop watching. Without it nothing interrupts a session.
   */
  watchInterrupt?: (stop: () => void) => () => void;
}

export interface CoreSession extends Session {
  readonly registry: Registry;
  readonly command: CommandHandle;
  readonly runtime: SiteRuntime;
  readonly signal: AbortSignal;
  /** A resource context over these outputs. */
  contextFor(
    outputs: Map<string, unknown>,
    progress?: (message: string) => void,
    memo?: Map<string, Promise<unknown>>,
  ): ResourceContext;
  /** Fresh options for discovering (and planning) the given resources, or all. */
  discovery(ids?: readonly string[]): DiscoverOptions;
  /** Apply a plan as a graph, starting from what it found. */
  apply(plan: Plan, options?: { noWait?: boolean }): Promise<ApplyResult>;
  /** Deploy's permission and quota checks before its first mutating call (Resource.preflight). */
  preflight(plan: Plan): Promise<{ checked: string[] }>;
  /**
   * Take this site's lock on this machine before changing anything (deploy, destroy, ensure and remove
   * do); throws SITE_LOCKED when another run holds it. Held until close(). No AWS call.
   */
  lock(): Promise<void>;
}

const SANDBOX_CREDENTIALS = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };

/** Load the configuration, make the AWS clients (or the sandbox), and collect every plugin's resources. */
export async function openCoreSession(
  command: CommandHandle,
  flags: AwsCommandFlags,
  deps: SessionDeps,
): Promise<CoreSession> {
  const env = deps.env ?? process.env;
  const log = deps.log ?? createConsoleLogger({ quiet: flags.json });
  const pluginSections = await collectConfigSections(command.config, deps.runtime);
  const loaded = await loadConfig({
    configPath: flags.config,
    env,
    flags: {
      region: flags.region,
      profile: flags.profile,
      endpointUrl: flags['endpoint-url'],
      keyDir: flags['key-dir'],
    },
    pluginSections,
  });
  const config = loaded.config;

  let sandbox: SandboxHandle | undefined;
  if (flags.sandbox) {
    if (flags['endpoint-url']) {
      throw new SiteError({
        code: 'FLAGS_CONFLICT',
        message: '--sandbox and --endpoint-url cannot be used together.',
        suggestions: [
          'Drop one: --sandbox runs the built-in simulator; --endpoint-url points at another endpoint.',
        ],
        exitCode: ExitCode.usage,
      });
    }
    if (flags.profile) {
      // The sandbox signs with its own dummy credentials: a profile would be silently ignored.
      throw new SiteError({
        code: 'FLAGS_CONFLICT',
        message: `--sandbox and --profile ${flags.profile} cannot be used together: the sandbox uses its own credentials, not a profile's.`,
        suggestions: ['Drop --profile to use the sandbox, or drop --sandbox to use the profile against AWS.'],
        exitCode: ExitCode.usage,
      });
    }
    if (!deps.startSandbox)
      throw new SiteError({ code: 'SANDBOX_UNAVAILABLE', message: 'This build of site has no sandbox.' });
    sandbox = await deps.startSandbox({ dataDir: command.config.dataDir, region: config.region });
  }

  const settings: AwsSettings = sandbox
    ? { region: config.region, endpoint: sandbox.endpoint, credentials: SANDBOX_CREDENTIALS }
    : {
        region: config.region,
        profile: config.profile,
        endpoint: config.endpointUrl,
        ec2Endpoint: env.AWS_ENDPOINT_URL_EC2,
        elbv2Endpoint: env.AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2,
      };
  const aws = createAwsClients(settings);

  const contributions = await runSiteHook(command.config, 'site:resources', {
    runtime: deps.runtime,
    siteConfig: config,
  });
  const registry = buildRegistry(
    contributions.map(({ plugin, result }) => ({ plugin, resources: result ?? [] })),
  );

  const controller = new AbortController();
  const timeScale = Number(env.SITE_TIME_SCALE ?? '1') || 1;
  const renderer = chooseRenderer({ json: flags.json, env });
  const rendererProblem = rendererWarning(env);
  if (rendererProblem) log.warn(rendererProblem);
  // Simulator routes (/_sim/*) go only to the sandbox, or to an aws-sim that tests and the benchmark drive
  // through --endpoint-url and name in SITE_SIMULATOR_ENDPOINT: never to an endpoint site merely guesses at.
  const simulatorEndpoint = sandbox?.endpoint ?? env.SITE_SIMULATOR_ENDPOINT;
  const simulator = simulatorEndpoint ? { endpoint: simulatorEndpoint } : undefined;

  const contextFor = (
    outputs: Map<string, unknown>,
    progress?: (message: string) => void,
    memo?: Map<string, Promise<unknown>>,
    honoursDryRun?: () => Promise<boolean>,
  ) =>
    createResourceContext({
      honoursDryRun,
      config,
      aws,
      log,
      signal: controller.signal,
      configDir: loaded.dir,
      simulator,
      timeScale,
      outputs,
      memo,
      progress,
    });

  let lock: Promise<{ release(): Promise<void> }> | undefined;
  const target = sandbox
    ? 'sandbox'
    : [...new Set([settings.ec2Endpoint ?? settings.endpoint, settings.elbv2Endpoint ?? settings.endpoint])]
        .map((endpoint) => endpoint ?? 'aws')
        .join(' ');

  const stopWatching = deps.watchInterrupt?.(() => controller.abort()) ?? (() => {});

  const discovery = (ids?: readonly string[]): DiscoverOptions => {
    // One memo per discovery, so resources sharing a describe make one call, and no run sees stale answers.
    const outputs = new Map<string, unknown>();
    const memo = new Map<string, Promise<unknown>>();
    return { registry, ids, outputs, context: () => contextFor(outputs, undefined, memo) };
  };

  const session: CoreSession = {
    config,
    configFile: loaded.file,
    aws,
    log,
    registry,
    resources: registry.resources,
    sandbox: Boolean(sandbox),
    command,
    runtime: deps.runtime,
    signal: controller.signal,
    contextFor,
    discovery,
    context: (outputs = new Map()) => contextFor(outputs),
    apply(plan, options = {}) {
      const outputs = new Map(plan.found);
      return applyPlan({
        registry,
        plan,
        outputs,
        renderer,
        signal: controller.signal,
        noWait: options.noWait,
        context: (_id, progress) => contextFor(outputs, progress),
      });
    },
    preflight(plan) {
      const outputs = new Map(plan.found);
      const memo = new Map<string, Promise<unknown>>();
      let honoured: Promise<boolean> | undefined;
      const honoursDryRun = () => (honoured ??= probeDryRun(aws, { simulator: Boolean(sandbox), log }));
      return runPreflight({
        registry,
        plan,
        signal: controller.signal,
        context: () => contextFor(outputs, undefined, memo, honoursDryRun),
      });
    },
    discover: (ids) => discoverAll(discovery(ids)),
    async status(ids) {
      const outputs = await session.discover(ids);
      const wanted = ids ? registry.order.filter((id) => ids.includes(id)) : registry.order;
      return Promise.all(
        wanted.map(async (id) => {
          const resource = registry.get(id);
          const found = outputs.get(id);
          if (found === undefined)
            return {
              resourceId: id,
              title: resource.title,
              rows: [{ name: resource.title, id: '-', state: 'absent' }],
            };
          const rows = resource.status
            ? await resource.status(contextFor(outputs), found)
            : [{ name: resource.title, id: '-', state: 'present' }];
          const summary = resource.summarize ? resource.summarize(found) : undefined;
          return { resourceId: id, title: resource.title, rows, summary };
        }),
      );
    },
    async lock() {
      if (!deps.lockSite) return;
      lock ??= deps.lockSite({
        dataDir: command.config.dataDir,
        site: config.name,
        region: config.region,
        target,
        command: (command.id ?? 'site').replaceAll(':', ' '),
        notice: (message) => log.warn(message),
      });
      try {
        await lock;
      } catch (error) {
        lock = undefined;
        throw error;
      }
    },
    async ensure(ids) {
      await session.lock();
      const plan = await planDeploy(discovery(ids));
      return (await session.apply(plan, { noWait: true })).outputs;
    },
    async remove(ids) {
      await session.lock();
      const plan = await planDestroy(discovery(ids));
      await session.apply({ ...plan, steps: plan.steps.filter((s) => ids.includes(s.resourceId)) });
    },
    async close() {
      // The lock goes first, while Ctrl-C is still watched: a second one now cannot kill us holding it.
      const held = lock;
      lock = undefined;
      await held?.then((l) => l.release()).catch(() => undefined);
      stopWatching();
      await sandbox?.close();
    },
  };
  return session;
}
