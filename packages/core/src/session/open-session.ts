import { createAwsClients } from '../aws/clients.js';
import { loadConfig } from '../config/load.js';
import { collectConfigSections } from '../config/plugin-sections.js';
import { SiteError } from '../errors.js';
import { createResourceContext } from '../graph/context.js';
import { discoverAll, planDeploy, planDestroy, type DiscoverOptions } from '../graph/planner.js';
import { probeDryRun, runPreflight } from '../graph/preflight.js';
import { buildRegistry } from '../graph/registry.js';
import { applyPlan } from '../graph/runner.js';
import { runSiteHook } from '../hooks/run.js';
import { createConsoleLogger } from '../output/logger.js';
import { chooseRenderer, rendererWarning } from '../output/renderer.js';
import { resourceStatuses } from '../output/resource-status.js';
import type { AwsCommandFlags, CommandHandle, FoundOutputs } from '../plugin-api.js';
import { awsTarget } from './aws-target.js';
import type { CoreSession, SandboxHandle, SandboxRequest, SessionDeps } from './core-session.js';
import { heldLock } from './held-lock.js';

/**
 * Open a session: load the configuration, point AWS at the account or the CLI's sandbox, collect every
 * plugin's resources, and wire them to the graph. Wiring only: each part's work lives in its own module.
 */
export async function openCoreSession(
  command: CommandHandle,
  flags: AwsCommandFlags,
  deps: SessionDeps,
): Promise<CoreSession> {
  const env = deps.env ?? process.env;
  const log = deps.log ?? createConsoleLogger({ quiet: flags.json });
  const loaded = await loadConfig({
    configPath: flags.config,
    env,
    flags: {
      region: flags.region,
      profile: flags.profile,
      endpointUrl: flags['endpoint-url'],
      keyDir: flags['key-dir'],
      sourceDir: flags.source,
    },
    pluginSections: await collectConfigSections(command.config, deps.pluginApi),
  });
  const config = loaded.config;
  const sandbox = flags.sandbox
    ? await startSandbox(deps, { flags, dataDir: command.config.dataDir, region: config.region })
    : undefined;
  const target = awsTarget(config, env, sandbox);
  const aws = createAwsClients(target.settings);

  const contributions = await runSiteHook(command.config, 'site:resources', {
    runtime: deps.pluginApi,
    siteConfig: config,
  });
  const registry = buildRegistry(
    contributions.map(({ plugin, result }) => ({ plugin, resources: result ?? [] })),
  );

  const controller = new AbortController();
  const signal = controller.signal;
  const timeScale = Number(env.SITE_TIME_SCALE ?? '1') || 1;
  const renderer = chooseRenderer({ json: flags.json, env });
  const rendererProblem = rendererWarning(env);
  if (rendererProblem) log.warn(rendererProblem);

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
      signal,
      configDir: loaded.dir,
      simulator: target.simulator,
      timeScale,
      outputs,
      memo,
      progress,
      logSources: registry.resources,
    });

  const discovery = (ids?: readonly string[]): DiscoverOptions => {
    // One memo per discovery, so resources sharing a describe make one call, and no run sees stale answers.
    const outputs = new Map<string, unknown>();
    const memo = new Map<string, Promise<unknown>>();
    return { registry, ids, outputs, context: () => contextFor(outputs, undefined, memo) };
  };

  const lock = heldLock(
    deps.lockSite &&
      (() =>
        deps.lockSite!({
          dataDir: command.config.dataDir,
          site: config.name,
          region: config.region,
          target: target.lockTarget,
          command: (command.id ?? 'site').replaceAll(':', ' '),
          notice: (message) => log.warn(message),
        })),
  );
  const stopWatching = deps.watchInterrupt?.(() => controller.abort()) ?? (() => {});

  const session: CoreSession = {
    config,
    configFile: loaded.file,
    aws,
    log,
    registry,
    resources: registry.resources,
    sandbox: Boolean(sandbox),
    command,
    pluginApi: deps.pluginApi,
    signal,
    contextFor,
    discovery,
    // A copy: a plugin command's context must not write into what a discovery handed out.
    context: (outputs) => contextFor(new Map(outputs ?? [])),
    apply(plan, options = {}) {
      const outputs = new Map(plan.found);
      return applyPlan({
        registry,
        plan,
        outputs,
        renderer,
        signal,
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
        signal,
        context: () => contextFor(outputs, undefined, memo, honoursDryRun),
      });
    },
    // A plain Map by id: FoundOutputs only narrows its `get` to the ids plugins declare.
    discover: (ids) => discoverAll(discovery(ids)) as Promise<Map<string, unknown> & FoundOutputs>,
    async status(ids) {
      const found = await discoverAll(discovery(ids));
      return resourceStatuses({ registry, found, ids, context: () => contextFor(found) });
    },
    lock: () => lock.take(),
    async ensure(ids) {
      await lock.take();
      const plan = await planDeploy(discovery(ids));
      return (await session.apply(plan, { noWait: true })).outputs as Map<string, unknown> & FoundOutputs;
    },
    async remove(ids) {
      await lock.take();
      const plan = await planDestroy(discovery(ids));
      await session.apply({ ...plan, steps: plan.steps.filter((s) => ids.includes(s.resourceId)) });
    },
    async close() {
      // The lock goes first, while Ctrl-C is still watched: a second one now cannot kill us holding it.
      await lock.release();
      stopWatching();
      await sandbox?.close();
    },
  };
  return session;
}

/** --sandbox: the CLI starts it (and refuses the flags it cannot honour); a bare core has none. */
function startSandbox(deps: SessionDeps, request: SandboxRequest): Promise<SandboxHandle> {
  if (!deps.startSandbox)
    throw new SiteError({ code: 'SANDBOX_UNAVAILABLE', message: 'This build of site has no sandbox.' });
  return deps.startSandbox(request);
}
