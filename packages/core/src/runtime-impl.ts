import { z } from 'zod';
import { ExitCode, SiteError } from './errors.js';
import { table } from './output/table.js';
import type { SiteRuntime } from './runtime.js';
import { openCoreSession, type SessionDeps } from './session.js';

export const CORE_VERSION = '0.1.0';

/** The runtime handed to plugins. The CLI makes one per process. */
export function createRuntime(deps: Omit<SessionDeps, 'runtime'> = {}): SiteRuntime {
  const runtime: SiteRuntime = {
    apiVersion: 1,
    coreVersion: CORE_VERSION,
    openSession: (command, flags) => openCoreSession(command, flags, { ...deps, runtime }),
    createError: (options) => new SiteError(options),
    ExitCode,
    table,
    z,
  };
  return runtime;
}
