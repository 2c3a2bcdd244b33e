import type { DiscoverOptions, Plan } from '../graph/planner.js';
import type { Registry } from '../graph/registry.js';
import type { ResourceContext } from '../graph/resource.js';
import type { ApplyResult } from '../graph/runner.js';
import type { Logger } from '../output/logger.js';
import type { AwsCommandFlags, CommandHandle, PluginApi, Session } from '../plugin-api.js';

/** A stand-in for the AWS account that the CLI runs for --sandbox: where to call, and as whom. */
export interface SandboxHandle {
  endpoint: string;
  /** The dummy credentials it is signed with (a profile would be someone's real account). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Stop it (saving its state) if this run started it. */
  close(): Promise<void>;
}

/** What the CLI needs to start the sandbox for a run. */
export interface SandboxRequest {
  /** The run's flags, so the sandbox can refuse those it cannot honour (--endpoint-url, --profile). */
  flags: AwsCommandFlags;
  /** The user's data directory (oclif's dataDir), where the sandbox keeps its state. */
  dataDir: string;
  /** The region the configuration resolved. */
  region: string;
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

/** What the CLI plugs into a session: the core keeps no process-wide state of its own. */
export interface SessionDeps {
  pluginApi: PluginApi;
  /** Starts the sandbox for --sandbox (the core does not depend on the simulator); without it --sandbox is refused. */
  startSandbox?: (request: SandboxRequest) => Promise<SandboxHandle>;
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

/** The session the CLI's own commands work with: a plugin's Session, and the graph to plan and apply. */
export interface CoreSession extends Session {
  readonly registry: Registry;
  readonly command: CommandHandle;
  readonly pluginApi: PluginApi;
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
}
