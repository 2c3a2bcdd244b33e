import type { Config } from '@oclif/core';
import { ExitCode, SiteError } from '../errors.js';
import type { SiteHooks } from './types.js';

export interface HookAnswer<R> {
  plugin: { name: string; version: string };
  result: R;
}

/**
 * Run one of site's hooks in every plugin that listens. oclif swallows hook failures unless asked:
 * a failing hook is reported with the plugin's name and version, and stops the run.
 */
export async function runSiteHook<E extends keyof SiteHooks>(
  config: Config,
  event: E,
  options: SiteHooks[E]['options'],
): Promise<HookAnswer<SiteHooks[E]['return']>[]> {
  const { successes, failures } = await config.runHook(event as string, options as never, undefined, true);
  if (failures.length > 0) {
    const [{ plugin, error }] = failures;
    throw new SiteError({
      code: 'PLUGIN_HOOK_FAILED',
      message: `The ${event} hook of ${plugin.name}@${plugin.version} failed: ${error.message}`,
      suggestions: [`Update or uninstall the plugin (\`site plugins uninstall ${plugin.name}\`).`],
      exitCode: ExitCode.failure,
      details: { plugin: { name: plugin.name, version: plugin.version }, event },
      cause: error,
    });
  }
  return successes.map(({ plugin, result }) => ({
    plugin: { name: plugin.name, version: plugin.version },
    result: result as SiteHooks[E]['return'],
  }));
}
