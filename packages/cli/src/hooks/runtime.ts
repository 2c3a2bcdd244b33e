import path from 'node:path';
import type { SiteRuntime } from '@site-cli/core';

let runtime: SiteRuntime | undefined;

/** The core runtime, made once per process; plugin commands get it through the site:runtime hook. */
export async function siteRuntime(): Promise<SiteRuntime> {
  if (!runtime) {
    const [{ createRuntime }, { startSandbox }, { watchInterrupt }, { presentError }] = await Promise.all([
      import('@site-cli/core'),
      import('../sandbox.js'),
      import('../signals.js'),
      import('../present-error.js'),
    ]);
    runtime = {
      ...createRuntime({
        startSandbox,
        watchInterrupt,
        async lockSite({ dataDir, site, region, target, command, notice }) {
          const { acquireSiteLock } = await import('../site-lock.js');
          return acquireSiteLock({
            dir: path.join(dataDir, 'locks'),
            key: { site, region, target },
            command,
            notice,
          });
        },
      }),
      presentError,
    };
  }
  return runtime;
}

const hook = async function (): Promise<SiteRuntime> {
  return siteRuntime();
};

export default hook;
