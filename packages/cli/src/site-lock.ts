import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { ExitCode, SiteError, type SiteLockRequest } from '@site-cli/core';

/**
 * One deploy or destroy per site at a time on this machine.
 *
 * A lock file per (AWS endpoint, region, site name) in the user's data directory, created atomically
 * (O_CREAT|O_EXCL) before the run looks at AWS, and removed when it ends — Ctrl-C included. A second run
 * is refused at once, naming the holder; a lock whose process is gone (same host, dead pid) is taken
 * over with a notice. Across machines there is no shared file: there every create is idempotent instead.
 */

/** What identifies the site in AWS: where the calls go, the region, the site name. */
export interface SiteLockKey {
  /** 'sandbox', an endpoint URL, or 'aws'. */
  target: string;
  region: string;
  site: string;
}

/** The lock file's content. */
export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  site: string;
  region: string;
  target: string;
  startedAt: string;
  /** Tells our lock from one that replaced it. */
  token: string;
  /** When the process started (Linux: ticks since boot), so a recycled pid is not taken for the holder. */
  processStart?: string;
}

export interface SiteLock {
  readonly file: string;
  readonly holder: LockHolder;
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** Folder for the lock files (<data dir>/locks). */
  dir: string;
  key: SiteLockKey;
  /** What is running, in the user's words: 'deploy', 'destroy', 'keypair create'. */
  command: string;
  /** Told when a stale lock is taken over. */
  notice?: (message: string) => void;
  /** For tests: whether the process that took a lock on this host is still running. */
  isAlive?: (holder: Pick<LockHolder, 'pid' | 'processStart'>) => boolean;
  host?: string;
  pid?: number;
}

/** Refused: another run holds the lock. Exit 1: nothing was touched, but the input was fine. */
export function siteLocked(file: string, holder: LockHolder | undefined, key: SiteLockKey): SiteError {
  return new SiteError({
    code: 'SITE_LOCKED',
    message: lockedMessage(file, holder, key),
    suggestions: [
      `Let it finish (or stop it: Ctrl-C in its terminal${holder ? `, or kill -INT ${holder.pid}` : ''}), then run this again: it picks up from where that run left the site.`,
      `If no such run exists any more, delete ${file}.`,
    ],
    exitCode: ExitCode.failure,
    details: { lockFile: file, holder },
  });
}

/** A lock file whose content cannot be read for this long is left over from a crash mid-write. */
const UNREADABLE_STALE_MS = 60_000;
/** A takeover guard older than this was left by a process that died while taking over. */
const GUARD_STALE_MS = 10_000;

export function lockFile(dir: string, key: SiteLockKey): string {
  // The sandbox keeps every site in one state file: one change at a time, whatever the site.
  if (key.target === 'sandbox') return path.join(dir, 'sandbox.lock');
  const digest = createHash('sha256')
    .update(JSON.stringify([key.target, key.region, key.site]))
    .digest('hex')
    .slice(0, 12);
  // Site names and regions are validated to letters, digits and hyphens: safe in a file name.
  return path.join(dir, `${key.site}.${key.region}.${digest}.lock`);
}

/** The start time of a process, where the system tells it (Linux /proc); undefined elsewhere. */
export function processStart(pid: number | 'self'): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the command name, which may itself hold spaces and parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the process that took a lock still runs: its pid exists and, where known, started when it did. */
export function holderAlive(holder: Pick<LockHolder, 'pid' | 'processStart'>): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = holder.processStart === undefined ? undefined : processStart(holder.pid);
  return now === undefined || now === holder.processStart;
}

/** The lock a core session asks for before it changes a site: a file in <data dir>/locks. */
export function lockSite(request: SiteLockRequest): Promise<SiteLock> {
  const { dataDir, site, region, target, command, notice } = request;
  return acquireSiteLock({
    dir: path.join(dataDir, 'locks'),
    key: { site, region, target },
    command,
    notice,
  });
}

export async function acquireSiteLock(options: AcquireOptions): Promise<SiteLock> {
  const isAlive = options.isAlive ?? holderAlive;
  const host = options.host ?? hostname();
  const file = lockFile(options.dir, options.key);
  const holder: LockHolder = {
    pid: options.pid ?? process.pid,
    host,
    command: options.command,
    site: options.key.site,
    region: options.key.region,
    target: options.key.target,
    startedAt: new Date().toISOString(),
    token: randomUUID(),
    processStart: options.pid === undefined ? processStart('self') : undefined,
  };
  await mkdir(options.dir, { recursive: true });

  // Each pass either takes the lock, removes a stale one (and tries again), or refuses.
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await writeFile(file, JSON.stringify(holder, null, 2) + '\n', { flag: 'wx', mode: 0o600 });
      return held(file, holder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = await readHolder(file);
    if (current === 'gone') continue;
    const stale =
      current === 'unreadable'
        ? await olderThan(file, UNREADABLE_STALE_MS)
        : current.host === host && !isAlive(current);
    if (!stale) throw siteLocked(file, current === 'unreadable' ? undefined : current, options.key);
    if (await removeStale(file, current)) {
      options.notice?.(
        current === 'unreadable'
          ? `Took over the lock ${file}, left unreadable by a run that crashed.`
          : `Took over the lock of ${current.command} (pid ${current.pid}, started ${current.startedAt}), which ended without releasing it.`,
      );
    }
  }
  // Others kept taking it between our passes.
  const last = await readHolder(file);
  throw siteLocked(file, typeof last === 'object' ? last : undefined, options.key);
}

function held(file: string, holder: LockHolder): SiteLock {
  // A backstop for an exit that skips the command's `finally` (process.exit from elsewhere).
  const onExit = () => {
    try {
      if (parse(readFileSync(file, 'utf8'))?.token === holder.token) unlinkSync(file);
    } catch {
      // gone already
    }
  };
  process.once('exit', onExit);
  let released = false;
  return {
    file,
    holder,
    async release() {
      if (released) return;
      released = true;
      process.off('exit', onExit);
      const current = await readHolder(file);
      // Only ever our own lock: one that replaced it belongs to another run.
      if (typeof current === 'object' && current.token === holder.token) await unlink(file).catch(() => {});
    },
  };
}

function parse(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as LockHolder;
    return typeof value?.pid === 'number' && typeof value.token === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The holder, 'gone' when the file vanished, 'unreadable' when it stays empty or garbled. */
async function readHolder(file: string): Promise<LockHolder | 'gone' | 'unreadable'> {
  // The creator writes right after the exclusive create: an empty file is a moment old.
  for (let tries = 0; tries < 10; tries++) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
      throw error;
    }
    const holder = parse(text);
    if (holder) return holder;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return 'unreadable';
}

async function olderThan(file: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(file)).mtimeMs > ms;
  } catch {
    return false;
  }
}

/**
 * Remove a stale lock — only the one we judged stale. A guard file makes the check-and-remove exclusive,
 * so two runs that both found it stale cannot remove the fresh lock one of them made meanwhile.
 */
async function removeStale(file: string, stale: LockHolder | 'unreadable'): Promise<boolean> {
  const guard = `${file}.takeover`;
  try {
    await writeFile(guard, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (await olderThan(guard, GUARD_STALE_MS)) await unlink(guard).catch(() => {});
    else await new Promise((resolve) => setTimeout(resolve, 100));
    return false;
  }
  try {
    const current = await readHolder(file);
    const same =
      current === 'unreadable' || stale === 'unreadable'
        ? current === stale
        : current !== 'gone' && current.token === stale.token;
    if (!same) return false;
    await unlink(file).catch(() => {});
    return true;
  } finally {
    await unlink(guard).catch(() => {});
  }
}

function since(startedAt: string): string {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(startedAt)) / 1000));
  return seconds < 120 ? `${seconds} s ago` : `${Math.round(seconds / 60)} min ago`;
}

function lockedMessage(file: string, holder: LockHolder | undefined, key: SiteLockKey): string {
  const where = (target: string, region: string) =>
    target === 'sandbox' ? 'the sandbox' : `${region}${target === 'aws' ? '' : ` at ${target}`}`;
  if (!holder)
    return `Another run holds the lock of site ${key.site} in ${where(key.target, key.region)} (${file}, which could not be read).`;
  return `\`site ${holder.command}\` is already running for site ${holder.site} in ${where(holder.target, holder.region)}: pid ${holder.pid} on ${holder.host}, started ${holder.startedAt} (${since(holder.startedAt)}).`;
}
