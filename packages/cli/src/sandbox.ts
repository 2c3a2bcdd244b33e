import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SandboxHandle } from '@site-cli/core';

/** Where the sandbox keeps its state and the endpoint of a running `site sandbox start`. */
export function sandboxPaths(dataDir: string) {
  const dir = path.join(dataDir, 'sandbox');
  return { dir, state: path.join(dir, 'state.json'), endpoint: path.join(dir, 'endpoint.json') };
}

async function runningSandbox(endpointFile: string): Promise<string | undefined> {
  try {
    const { endpoint } = JSON.parse(await readFile(endpointFile, 'utf8')) as { endpoint: string };
    const answer = await fetch(`${endpoint}/_sim/health`, { signal: AbortSignal.timeout(1000) });
    return answer.ok ? endpoint : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The simulator behind --sandbox: the one `site sandbox start` runs, if any, else one in this
 * process whose state persists in a file, so deploy, status and destroy form one story.
 */
export async function startSandbox(options: { dataDir: string; region: string }): Promise<SandboxHandle> {
  const paths = sandboxPaths(options.dataDir);
  const shared = await runningSandbox(paths.endpoint);
  const useCheckIp = (endpoint: string) => {
    // The sandbox answers "what is my IP" itself: no call leaves the machine.
    process.env.SITE_CHECKIP_URL ??= `${endpoint}/_sim/checkip`;
  };
  if (shared) {
    useCheckIp(shared);
    return { endpoint: shared, close: async () => {} };
  }
  await mkdir(paths.dir, { recursive: true });
  const { startSimulator } = await import('@site-cli/aws-sim');
  const simulator = await startSimulator({ stateFile: paths.state, region: options.region, profile: 'fast' });
  useCheckIp(simulator.endpoint);
  return { endpoint: simulator.endpoint, close: () => simulator.stop() };
}

export async function recordSandboxEndpoint(dataDir: string, endpoint: string): Promise<void> {
  const paths = sandboxPaths(dataDir);
  await mkdir(paths.dir, { recursive: true });
  await writeFile(paths.endpoint, JSON.stringify({ endpoint, pid: process.pid }) + '\n');
}

export async function forgetSandboxEndpoint(dataDir: string): Promise<void> {
  await rm(sandboxPaths(dataDir).endpoint, { force: true });
}
