/**
 * The public plugin API of site, version 1 (`PluginApi.apiVersion`).
 *
 * Built-in and third-party plugins import from here, and only types: the core itself reaches a plugin at run
 * time through hook options (`site:resources`, the lifecycle hooks) and the `site:runtime` hook, so a plugin
 * lists @site-cli/core as a dev dependency and never installs a second copy of it.
 * Everything else the package exports is the CLI's and may change without notice.
 */
export type {
  Resource,
  ResourceOf,
  ResourceId,
  ResourceOutputs,
  ResourceKind,
  ResourceContext,
  PreflightAction,
  Change,
  StatusRow,
  CostUsage,
  LogEntry,
  LogQuery,
  DoctorCheck,
  DoctorContext,
  Tag,
  TagHelper,
  Outputs,
} from './graph/resource.js';
export type { PollOptions } from './graph/poll.js';
export type { SiteConfig } from './config/schema.js';
export type { Naming } from './naming.js';
export type { Logger } from './output/logger.js';
export type { AwsClients } from './aws/clients.js';
export type { SiteError, SiteErrorOptions, ExitCodeValue } from './errors.js';
export type {
  SiteHooks,
  SiteHookEvent,
  SiteHookOptions,
  SiteHookResult,
  LifecyclePayload,
  PostDeployPayload,
  HookVeto,
  PlannedAction,
} from './hooks/types.js';
export type {
  PluginApi,
  SiteRuntime,
  Session,
  FoundOutputs,
  AwsCommandFlags,
  CommandHandle,
} from './plugin-api.js';
export type { ResourceStatus } from './output/resource-status.js';
