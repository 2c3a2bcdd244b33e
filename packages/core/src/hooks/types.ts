import type { SiteConfig } from '../config/schema.js';
import type { Resource } from '../graph/resource.js';
import type { PluginApi } from '../plugin-api.js';
import type { z } from 'zod';

/** One planned step, as lifecycle hooks see it. */
export interface PlannedAction {
  resourceId: string;
  /** deploy: create / keep / update / replace / read / verify; destroy: delete / absent / keep. */
  action: string;
  reason: string;
}

/** What the four lifecycle hooks receive. */
export interface LifecyclePayload {
  /** The plugin API (its key says "runtime": a name of version 1 of the API, kept for installed plugins). */
  runtime: PluginApi;
  /** The site's configuration. (Not `config`: oclif passes its own Config to every hook under that key.) */
  siteConfig: SiteConfig;
  /** The planned actions, in the order they were planned. */
  plan: PlannedAction[];
}

export interface PostDeployPayload extends LifecyclePayload {
  url?: string;
  outputs: Record<string, unknown>;
}

/** A predeploy / predestroy hook may stop the run by returning a veto. */
export interface HookVeto {
  veto: string;
}

/**
 * The typed map of site's custom oclif hooks. Event names are `site:<area>`.
 * Plugins declare them in package.json under oclif.hooks.
 */
export interface SiteHooks {
  /** Every plugin returns the resources it contributes. */
  'site:resources': { options: { runtime: PluginApi; siteConfig: SiteConfig }; return: Resource[] };
  /** A plugin may return a zod schema for its own config section (under its own key). */
  'site:config-schema': {
    options: { runtime: PluginApi };
    return: { key: string; schema: z.ZodType } | undefined;
  };
  'site:predeploy': { options: LifecyclePayload; return: HookVeto | void };
  'site:postdeploy': { options: PostDeployPayload; return: void };
  'site:predestroy': { options: LifecyclePayload; return: HookVeto | void };
  'site:postdestroy': { options: LifecyclePayload; return: void };
  /** Answered by the CLI: the plugin API, for plugin commands (they take only types from core). The event keeps its version-1 name. */
  'site:runtime': { options: Record<string, never>; return: PluginApi };
}

export type SiteHookEvent = keyof SiteHooks;
/** The options a plugin's hook function receives for a site event. */
export type SiteHookOptions<E extends SiteHookEvent> = SiteHooks[E]['options'];
/** What a plugin's hook function returns for a site event. */
export type SiteHookResult<E extends SiteHookEvent> = SiteHooks[E]['return'];
