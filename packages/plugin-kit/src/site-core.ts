import type { Config } from '@oclif/core';
import type { PluginApi } from '@site-cli/core/plugin';
import { PluginKitError } from './errors.js';

/** The version of the core's plugin API this kit (and so every plugin built with it) speaks. */
export const PLUGIN_API_VERSION = 1;

const found = new WeakMap<Config, Promise<PluginApi>>();

/**
 * The core's plugin API, answered by the CLI's `site:runtime` hook: a plugin imports only types from the core,
 * so it always runs with the core of the CLI it is installed into. One look-up per process.
 */
export function siteCore(config: Config): Promise<PluginApi> {
  let core = found.get(config);
  if (!core) {
    core = lookUp(config);
    found.set(config, core);
    core.catch(() => found.delete(config));
  }
  return core;
}

async function lookUp(config: Config): Promise<PluginApi> {
  const answer = await config.runHook('site:runtime', {});
  const core = answer.successes.map((success) => success.result as PluginApi | undefined).find(Boolean);
  if (!core) {
    const reasons = answer.failures.map((failure) => failure.error.message).join('; ');
    throw new PluginKitError({
      code: 'CORE_UNAVAILABLE',
      message: `The site core is not available${reasons ? `: ${reasons}` : ''}.`,
      suggestions: ['Run this command through the `site` CLI (`site plugins install` adds a plugin to it).'],
    });
  }
  if (core.apiVersion !== PLUGIN_API_VERSION) {
    throw new PluginKitError({
      code: 'PLUGIN_API_MISMATCH',
      message: `This plugin speaks version ${PLUGIN_API_VERSION} of the site plugin API; this site (core ${core.coreVersion}) speaks version ${core.apiVersion}.`,
      suggestions: ['Update the plugin (`site plugins update`), or site itself.'],
    });
  }
  return core;
}
