import { join } from 'node:path';
import { Errors, ModuleLoader, type Config, type Interfaces } from '@oclif/core';
import { ExitCode, SiteError, isSiteError } from '../errors.js';
import type { SiteHooks } from './types.js';

export interface HookAnswer<R> {
  plugin: { name: string; version: string };
  result: R;
}

export interface RunHookOptions<R> {
  /** Stop calling further plugins once an answer satisfies this (a predeploy veto). */
  until?: (result: R) => boolean;
}

/**
 * The order every site hook runs in: the CLI itself, then its built-in plugins in the order the CLI lists
 * them, then installed and linked plugins sorted by name. oclif's own runHook calls every plugin at once;
 * site's hooks run one plugin after another so that lifecycle hooks see a defined order and a veto stops
 * the rest.
 */
export function pluginsInHookOrder(config: Config): Interfaces.Plugin[] {
  const builtIn = [config.pjson.name, ...(config.pjson.oclif.plugins ?? [])];
  const rank = (plugin: Interfaces.Plugin) => {
    const index = builtIn.indexOf(plugin.name);
    return index === -1 ? builtIn.length : index;
  };
  return config.getPluginsList().sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/**
 * Run one of site's hooks in every plugin that listens, in hook order (pluginsInHookOrder). A hook that
 * throws is reported with the plugin's name and version and stops the run: nothing after it is called.
 */
export async function runSiteHook<E extends keyof SiteHooks>(
  config: Config,
  event: E,
  options: SiteHooks[E]['options'],
  { until }: RunHookOptions<SiteHooks[E]['return']> = {},
): Promise<HookAnswer<SiteHooks[E]['return']>[]> {
  const answers: HookAnswer<SiteHooks[E]['return']>[] = [];
  for (const plugin of pluginsInHookOrder(config)) {
    for (const hook of plugin.hooks[event] ?? []) {
      const ref = { name: plugin.name, version: plugin.version };
      let result: SiteHooks[E]['return'];
      try {
        result = await callHook(config, plugin, hook, options);
      } catch (error) {
        throw hookFailed(event, ref, error);
      }
      answers.push({ plugin: ref, result });
      if (until?.(result)) return answers;
    }
  }
  return answers;
}

async function callHook(
  config: Config,
  plugin: Interfaces.Plugin,
  hook: { target: string; identifier: string },
  options: object,
): Promise<any> {
  const module = await ModuleLoader.load(plugin, join(plugin.root, hook.target));
  const fn =
    module[hook.identifier] ??
    (hook.identifier === 'default'
      ? (Object.values(module).find((value) => typeof value === 'function') as unknown)
      : undefined);
  if (typeof fn !== 'function') return undefined;
  // The same `this` and options oclif gives a hook, so a plugin's hook works under either runner.
  const context = {
    config,
    debug: () => {},
    error: (message: string | Error) => Errors.error(message),
    exit: (code = 0) => Errors.exit(code),
    log: (message?: string, ...args: unknown[]) => console.log(message, ...args),
    warn: (message: string | Error) => Errors.warn(message),
  };
  return fn.call(context, { ...options, config, context });
}

function hookFailed(event: string, plugin: { name: string; version: string }, error: unknown): SiteError {
  const cause = error instanceof Error ? error : new Error(String(error));
  return new SiteError({
    code: 'PLUGIN_HOOK_FAILED',
    message: `The ${event} hook of ${plugin.name}@${plugin.version} failed: ${cause.message}`,
    suggestions: [`Update or uninstall the plugin (\`site plugins uninstall ${plugin.name}\`).`],
    // A plugin refusing bad input keeps its usage exit code; anything else is a failure during work.
    exitCode: isSiteError(error) ? error.exitCode : ExitCode.failure,
    details: { plugin, event, ...(isSiteError(error) ? { code: error.code } : {}) },
    cause,
  });
}
