import type { PluginApi } from '@site-cli/core';

let pluginApi: PluginApi | undefined;

/**
 * The core's plugin API for this process, with the CLI's parts plugged in: the sandbox, Ctrl-C and SIGTERM,
 * the site lock and how errors are shown. Made once; the CLI's commands use it, plugins get it through the
 * `site:runtime` hook. Everything is imported on first use: this module is part of every command's start-up.
 */
export async function wiredPluginApi(): Promise<PluginApi> {
  if (!pluginApi) {
    const [{ createPluginApi }, { startSandbox }, { watchInterrupt }, { presentError }] = await Promise.all([
      import('@site-cli/core'),
      import('./sandbox.js'),
      import('./signals.js'),
      import('./present-error.js'),
    ]);
    pluginApi = createPluginApi({
      startSandbox,
      watchInterrupt,
      lockSite: async (request) => (await import('./site-lock.js')).lockSite(request),
      presentError,
    });
  }
  return pluginApi;
}
