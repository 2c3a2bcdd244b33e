import type { SiteConfig } from '../config/schema.js';
import type { Resource } from '../graph/resource.js';
import type { SiteRuntime } from '../runtime.js';
import type { z } from 'zod';

/** What the four lifecycle hooks receive. */
export interface LifecyclePayload {
  runtime: SiteRuntime;
  config: SiteConfig;
  /** The planned actions, by resource id: create / keep / update / replace / delete / read. */
  plan: { resourceId: string; action: string; reason: string }[];
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
  'site:resources': { options: { runtime: SiteRuntime; config: SiteConfig }; return: Resource[] };
  /** A plugin may return a zod schema for its own config section (under its own key). */
  'site:config-schema': {
    options: { runtime: SiteRuntime };
    return: { key: string; schema: z.ZodType } | undefined;
  };
  'site:predeploy': { options: LifecyclePayload; return: HookVeto | void };
  'site:postdeploy': { options: PostDeployPayload; return: void };
  'site:predestroy': { options: LifecyclePayload; return: HookVeto | void };
  'site:postdestroy': { options: LifecyclePayload; return: void };
  /** Answered by the CLI: the core runtime, for plugin commands (they take only types from core). */
  'site:runtime': { options: Record<string, never>; return: SiteRuntime };
}
