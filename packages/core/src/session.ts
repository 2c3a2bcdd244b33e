import path from 'node:path';
import { createAwsClients, type AwsSettings } from './aws/clients.js';
import { loadConfig } from './config/load.js';
import { ExitCode, SiteError } from './errors.js';
import { createResourceContext } from './graph/context.js';
import { applyPlan } from './graph/runner.js';
import { discoverAll, planDeploy, planDestroy } from './graph/planner.js';
import { buildRegistry, type Registry } from './graph/registry.js';
import type { ResourceContext } from './graph/resource.js';
import { runSiteHook } from './hooks/run.js';
import { createConsoleLogger, type Logger } from './output/logger.js';
import { chooseRenderer, type RendererChoice } from './output/renderer.js';
import type { AwsCommandFlags, CommandHandle, Session, SiteRuntime } from './runtime.js';

/** A simulator the CLI starts for --sandbox (the core does not depend on it). */
export interface SandboxHandle {
  endpoint: string;
  region?: string;
  close(): Promise<void>;
}

export interface SessionDeps {
  runtime: SiteRuntime;
  startSandbox?: (options: { dataDir: string; region: string }) => Promise<SandboxHandle>;
  log?: Logger;
  env?: NodeJS.ProcessEnv;
}

export interface CoreSession extends Session {
  readonly registry: Registry;
  readonly command: CommandHandle;
  readonly runtime: SiteRuntime;
  readonly renderer: RendererChoice;
  readonly signal: AbortSignal;
  readonly timeScale: number;
  contextFor(
    resourceId: string,
    outputs: Map<string, unknown>,
    progress?: (message: string) => void,
    memo?: Map<string, Promise<unknown>>,
  ): ResourceContext;
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
  const schemaAnswers = await runSiteHook(command.config, 'site:config-schema', { runtime: deps.runtime });
  const pluginSections = schemaAnswers.flatMap(({ plugin, result }) =>
    result ? [{ ...result, plugin: plugin.name }] : [],
  );
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
    config,
  });
  const registry = buildRegistry(
    contributions.map(({ plugin, result }) => ({ plugin, resources: result ?? [] })),
  );

  const controller = new AbortController();
  const timeScale = Number(env.SITE_TIME_SCALE ?? '1') || 1;
  const simulator = sandbox ? { endpoint: sandbox.endpoint } : undefined;
  const configDir = flags['key-dir'] ? process.cwd() : loaded.dir;

  const contextFor: CoreSession['contextFor'] = (_resourceId, outputs, progress, memo) =>
    createResourceContext({
      config,
      aws,
      log,
      signal: controller.signal,
      configDir: path.resolve(configDir),
      simulator,
      timeScale,
      outputs,
      memo,
      progress,
    });

  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);

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
    renderer: chooseRenderer({ json: flags.json, env }),
    signal: controller.signal,
    timeScale,
    contextFor,
    context: (outputs = new Map()) => contextFor('', outputs),
    async discover(ids) {
      const outputs = new Map<string, unknown>();
      const memo = new Map<string, Promise<unknown>>();
      return discoverAll({
        registry,
        ids,
        outputs,
        context: (id) => contextFor(id, outputs, undefined, memo),
      });
    },
    async status(ids) {
      const outputs = await session.discover(ids);
      const wanted = ids ? registry.withDependencies(ids).filter((id) => ids.includes(id)) : registry.order;
      return Promise.all(
        wanted.map(async (id) => {
          const resource = registry.get(id);
          const found = outputs.get(id);
          const rows =
            found === undefined
              ? [{ name: resource.title, id: '-', state: 'absent' }]
              : resource.status
                ? await resource.status(contextFor(id, outputs), found)
                : [{ name: resource.title, id: '-', state: 'present' }];
          return { resourceId: id, title: resource.title, rows };
        }),
      );
    },
    async ensure(ids) {
      const outputs = new Map<string, unknown>();
      const memo = new Map<string, Promise<unknown>>();
      const plan = await planDeploy({
        registry,
        ids,
        outputs,
        context: (id) => contextFor(id, outputs, undefined, memo),
      });
      const result = await applyPlan({
        registry,
        plan,
        outputs,
        renderer: session.renderer,
        signal: controller.signal,
        noWait: true,
        context: (id, progress) => contextFor(id, outputs, progress),
      });
      return result.outputs;
    },
    async remove(ids) {
      const outputs = new Map<string, unknown>();
      const memo = new Map<string, Promise<unknown>>();
      const plan = await planDestroy({
        registry,
        ids,
        outputs,
        context: (id) => contextFor(id, outputs, undefined, memo),
      });
      await applyPlan({
        registry,
        plan: { ...plan, steps: plan.steps.filter((s) => ids.includes(s.resourceId)) },
        outputs,
        renderer: session.renderer,
        signal: controller.signal,
        context: (id, progress) => contextFor(id, outputs, progress),
      });
    },
    async close() {
      process.off('SIGINT', onSigint);
      await sandbox?.close();
    },
  };
  return session;
}
