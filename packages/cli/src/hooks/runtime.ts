import type { SiteRuntime } from '@site-cli/core';

let runtime: SiteRuntime | undefined;

/** The core runtime, made once per process; plugin commands get it through the site:runtime hook. */
export async function siteRuntime(): Promise<SiteRuntime> {
  if (!runtime) {
    const [{ createRuntime }, { startSandbox }] = await Promise.all([
      import('@site-cli/core'),
      import('../sandbox.js'),
    ]);
    runtime = createRuntime({ startSandbox });
  }
  return runtime;
}

const hook = async function (): Promise<SiteRuntime> {
  return siteRuntime();
};

export default hook;
