import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { holderAlive } from './site-lock.js';
import { ExitCode, SiteError, type SandboxHandle, type SandboxRequest } from '@site-cli/core';

/** Where the sandbox keeps its state and the endpoint of a running `site sandbox start`. */
export function sandboxPaths(dataDir: string) {
  const dir = path.join(dataDir, 'sandbox');
  return { dir, state: path.join(dir, 'state.json'), endpoint: path.join(dir, 'endpoint.json') };
}

/**
 * What the endpoint file says: the `site sandbox start` that owns it (before it listens: no endpoint yet).
 * A record without a pid (written by hand, or by a test running its own simulator) is trusted by its answer.
 */
export interface SandboxRecord {
  pid?: number;
  endpoint?: string;
  startedAt?: string;
}

/** A `site sandbox start` answering at its recorded endpoint, with the region it simulates. */
interface RunningSandbox {
  pid?: number;
  endpoint: string;
  region?: string;
}

async function readRecord(endpointFile: string): Promise<SandboxRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(endpointFile, 'utf8')) as SandboxRecord;
    return typeof record?.pid === 'number' || typeof record?.endpoint === 'string' ? record : undefined;
  } catch {
    return undefined;
  }
}

async function answering(record: SandboxRecord | undefined): Promise<RunningSandbox | undefined> {
  if (!record?.endpoint) return undefined;
  try {
    const answer = await fetch(`${record.endpoint}/_sim/health`, { signal: AbortSignal.timeout(1000) });
    if (!answer.ok) return undefined;
    const health = (await answer.json()) as { region?: string; pid?: number };
    // A pid of another process at that port means the recorded sandbox is gone and the port reused.
    if (record.pid !== undefined && health.pid !== undefined && health.pid !== record.pid) return undefined;
    return { pid: record.pid ?? health.pid, endpoint: record.endpoint, region: health.region };
  } catch {
    return undefined;
  }
}

/** The region a sandbox state file simulates, if there is one. */
async function stateRegion(stateFile: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(stateFile, 'utf8')) as { region?: string }).region;
  } catch {
    return undefined;
  }
}

function regionIgnored(options: { asked: string; simulated: string; running?: RunningSandbox }): SiteError {
  const { asked, simulated, running } = options;
  const where = running
    ? `The sandbox running at ${running.endpoint} (\`site sandbox start\`${running.pid ? `, pid ${running.pid}` : ''})`
    : 'The sandbox';
  return new SiteError({
    code: 'SANDBOX_REGION_MISMATCH',
    message: `${where} simulates ${simulated}, but this run is for region ${asked} (set by --region, AWS_REGION / AWS_DEFAULT_REGION, the config's region or the default): the sandbox would answer for ${simulated}.`,
    suggestions: running
      ? [
          `Run with --region ${simulated} to use it as it is.`,
          `Or stop it (Ctrl-C) and run \`site sandbox start --region ${asked}\`.`,
        ]
      : [
          `Run with --region ${simulated} to use the sandbox as it is.`,
          `Or run \`site sandbox reset\` to empty it: the next --sandbox run then simulates ${asked}.`,
        ],
    exitCode: ExitCode.usage,
  });
}

/** The sandbox signs with dummy credentials of its own: no real account is ever involved. */
const SANDBOX_CREDENTIALS = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };

/** Flags that would point a --sandbox run elsewhere: refused rather than silently ignored. */
function refuseConflictingFlags(flags: SandboxRequest['flags']): void {
  if (flags['endpoint-url']) {
    throw new SiteError({
      code: 'FLAGS_CONFLICT',
      message: '--sandbox and --endpoint-url cannot be used together.',
      suggestions: [
        'Drop one: --sandbox runs the built-in simulator; --endpoint-url points at another endpoint.',
      ],
      exitCode: ExitCode.usage,
    });
  }
  if (flags.profile) {
    throw new SiteError({
      code: 'FLAGS_CONFLICT',
      message: `--sandbox and --profile ${flags.profile} cannot be used together: the sandbox uses its own credentials, not a profile's.`,
      suggestions: ['Drop --profile to use the sandbox, or drop --sandbox to use the profile against AWS.'],
      exitCode: ExitCode.usage,
    });
  }
}

/**
 * The simulator behind --sandbox: the one `site sandbox start` runs, if any, else one in this
 * process whose state persists in a file, so deploy, status and destroy form one story. A region
 * other than the one the sandbox simulates is refused rather than silently answered for.
 */
export async function startSandbox(request: SandboxRequest): Promise<SandboxHandle> {
  refuseConflictingFlags(request.flags);
  const paths = sandboxPaths(request.dataDir);
  const shared = await answering(await readRecord(paths.endpoint));
  const useCheckIp = (endpoint: string) => {
    // The sandbox answers "what is my IP" itself: no call leaves the machine.
    process.env.SITE_CHECKIP_URL ??= `${endpoint}/_sim/checkip`;
  };
  if (shared) {
    if (shared.region && shared.region !== request.region)
      throw regionIgnored({ asked: request.region, simulated: shared.region, running: shared });
    useCheckIp(shared.endpoint);
    return { endpoint: shared.endpoint, credentials: SANDBOX_CREDENTIALS, close: async () => {} };
  }
  const simulated = await stateRegion(paths.state);
  if (simulated && simulated !== request.region) throw regionIgnored({ asked: request.region, simulated });
  await mkdir(paths.dir, { recursive: true });
  const { startSimulator } = await import('@site-cli/aws-sim');
  const simulator = await startSimulator({ stateFile: paths.state, region: request.region, profile: 'fast' });
  useCheckIp(simulator.endpoint);
  return { endpoint: simulator.endpoint, credentials: SANDBOX_CREDENTIALS, close: () => simulator.stop() };
}

/**
 * Claims the data dir for this `site sandbox start`: the endpoint file is created only if absent
 * (atomically), so two starts never both run. One left by a process that is gone, or whose endpoint
 * answers for another process, is taken over. Refused with the running one's pid and endpoint.
 */
export async function claimSandbox(dataDir: string): Promise<void> {
  const paths = sandboxPaths(dataDir);
  await mkdir(paths.dir, { recursive: true });
  const mine: SandboxRecord = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(paths.endpoint, JSON.stringify(mine) + '\n', { flag: 'wx' });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await readRecord(paths.endpoint);
    const running = await answering(holder);
    // Still starting (no endpoint yet) while its process lives: it is about to answer.
    const starting =
      holder?.pid !== undefined &&
      !holder.endpoint &&
      holder.pid !== process.pid &&
      holderAlive({ pid: holder.pid });
    if (running || starting) {
      throw new SiteError({
        code: 'SANDBOX_RUNNING',
        message: running
          ? `A sandbox is already running for ${dataDir}: pid ${running.pid}, endpoint ${running.endpoint}.`
          : `A sandbox is already starting for ${dataDir}: pid ${holder?.pid}.`,
        suggestions: [
          'Use that one: --sandbox commands and `aws --endpoint-url <endpoint>` reach it.',
          'Or stop it (Ctrl-C in its terminal) first; for a second, separate sandbox set SITE_DATA_DIR to another folder.',
        ],
        exitCode: ExitCode.failure,
      });
    }
    await rm(paths.endpoint, { force: true });
  }
  throw new SiteError({
    code: 'SANDBOX_RUNNING',
    message: `Another sandbox keeps claiming ${paths.endpoint}.`,
    exitCode: ExitCode.failure,
  });
}

/** Completes this process's claim with the endpoint it listens on (a whole file at every moment). */
export async function recordSandboxEndpoint(dataDir: string, endpoint: string): Promise<void> {
  const paths = sandboxPaths(dataDir);
  const record: SandboxRecord = { pid: process.pid, endpoint, startedAt: new Date().toISOString() };
  const tmp = `${paths.endpoint}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(record) + '\n');
  await rename(tmp, paths.endpoint);
}

/** Removes the endpoint file only if this process owns it: another sandbox's record is left alone. */
export async function forgetSandboxEndpoint(dataDir: string): Promise<void> {
  const paths = sandboxPaths(dataDir);
  const record = await readRecord(paths.endpoint);
  if (record?.pid === process.pid) await rm(paths.endpoint, { force: true });
}

/** The `site sandbox start` recorded for this data dir, if it answers. */
export async function runningSandbox(dataDir: string): Promise<RunningSandbox | undefined> {
  return answering(await readRecord(sandboxPaths(dataDir).endpoint));
}
