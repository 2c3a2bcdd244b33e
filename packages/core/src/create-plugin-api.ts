import { z } from 'zod';
import { ExitCode, SiteError } from './errors.js';
import { table } from './output/table.js';
import type { PluginApi } from './plugin-api.js';
import type { SessionDeps } from './session/core-session.js';
import { openCoreSession } from './session/open-session.js';

export const CORE_VERSION = '0.1.0';

/** What the CLI plugs in: its parts of every session, and how it shows errors. */
export type PluginApiDeps = Omit<SessionDeps, 'pluginApi'> & Pick<PluginApi, 'presentError'>;

/** The API object handed to plugins, its sessions wired to what the CLI plugs in. The CLI makes one per process. */
export function createPluginApi(deps: PluginApiDeps = {}): PluginApi {
  const { presentError, ...sessionDeps } = deps;
  const pluginApi: PluginApi = {
    apiVersion: 1,
    coreVersion: CORE_VERSION,
    openSession: (command, flags) => openCoreSession(command, flags, { ...sessionDeps, pluginApi }),
    createError: (options) => new SiteError(options),
    ExitCode,
    table,
    z,
    presentError,
  };
  return pluginApi;
}
