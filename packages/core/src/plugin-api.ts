import type { AwsClients } from './aws/clients.js';
import type { SiteConfig } from './config/schema.js';
import type { ExitCode, SiteError, SiteErrorOptions } from './errors.js';
import type { RegisteredResource, ResourceContext, ResourceId, ResourceOutputs } from './graph/resource.js';
import type { Logger } from './output/logger.js';
import type { ResourceStatus } from './output/resource-status.js';

/*
 * The contract between the core and every plugin, version 1: the API object plugins are handed, and the
 * session it opens. Its wire names say "runtime" (the `site:runtime` hook, the `runtime` key of hook
 * options): they are part of version 1, which installed plugins call, so they stay.
 */

/** Flags every AWS command takes. Plugin commands declare them with @oclif/core's Flags and pass them on. */
export interface AwsCommandFlags {
  config?: string;
  region?: string;
  profile?: string;
  'endpoint-url'?: string;
  sandbox?: boolean;
  'key-dir'?: string;
  /** `site deploy --source DIR`: serve this folder (source.dir). */
  source?: string;
  json?: boolean;
}

/** The oclif pieces a session needs from the calling command. */
export interface CommandHandle {
  /** The command's oclif Config (this.config). */
  config: import('@oclif/core').Config;
  /** The command's id, for messages. */
  id?: string;
}

/**
 * Outputs a discovery found, by resource id. `get` is typed by the id (the ResourceOutputs registry the plugins
 * declare), so a plugin command that names a misspelt or renamed id fails to compile, as a resource would.
 */
export interface FoundOutputs extends ReadonlyMap<string, unknown> {
  get<Id extends ResourceId>(resourceId: Id): ResourceOutputs[Id] | undefined;
}

/** What a command works with: configuration, AWS, the installed plugins' resources. */
export interface Session {
  readonly config: SiteConfig;
  /** The config file that was loaded, if any. */
  readonly configFile?: string;
  readonly aws: AwsClients;
  readonly log: Logger;
  readonly resources: readonly RegisteredResource[];
  /** True when talking to the built-in simulator (--sandbox). */
  readonly sandbox: boolean;
  /** A context for calling resource methods directly (plugin commands). */
  context(outputs?: ReadonlyMap<string, unknown>): ResourceContext;
  /** Discover the given resources (and what they depend on); outputs by resource id, absent ones left out. */
  discover(resourceIds?: ResourceId[]): Promise<FoundOutputs>;
  /** Status rows of the given resources (all by default). */
  status(resourceIds?: string[]): Promise<ResourceStatus[]>;
  /** Create whatever of these resources (and their dependencies) does not exist yet; returns all outputs. */
  ensure(resourceIds: ResourceId[]): Promise<FoundOutputs>;
  /**
   * Take this site's lock on this machine before changing anything (deploy, destroy, ensure and remove
   * do); throws SITE_LOCKED when another run holds it. Held until close(). No AWS call.
   */
  lock(): Promise<void>;
  /** Destroy these resources (only those carrying this site's tags). */
  remove(resourceIds: string[]): Promise<void>;
  /** Stop the sandbox (saving its state) and release everything. Always call it. */
  close(): Promise<void>;
}

/**
 * The core's API for plugins, versioned. Plugins receive it as `runtime` in hook options (`site:resources`)
 * or from the `site:runtime` hook in their commands, and import only types from @site-cli/core,
 * so installing a plugin never brings a second copy of the core.
 */
export interface PluginApi {
  readonly apiVersion: 1;
  readonly coreVersion: string;
  openSession(command: CommandHandle, flags: AwsCommandFlags): Promise<Session>;
  createError(options: SiteErrorOptions): SiteError;
  readonly ExitCode: typeof ExitCode;
  /** A plain text table, as every command prints them. */
  table(rows: Record<string, unknown>[], columns?: string[]): string;
  /**
   * The core's zod, for a plugin's `site:config-schema` answer: the plugin's section joins the core's schema,
   * so it must be built with the same zod (and the plugin needs no zod of its own at run time).
   */
  readonly z: typeof import('zod').z;
  /**
   * An error as the CLI shows it (AWS errors translated, the documented exit code): the plugin kit's base
   * command presents plugin commands' errors with it. Set by the CLI; absent in a bare core.
   */
  presentError?(error: unknown): Promise<unknown>;
}

/** @deprecated The plugin API's former name; use {@link PluginApi}. Kept so plugins written against it compile. */
export type SiteRuntime = PluginApi;
