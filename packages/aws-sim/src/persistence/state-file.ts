import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { loadState, type SimState } from '../state.js';

/** Which version of the file a simulator last read or wrote: a rename always brings a new inode. */
export interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
}

/** A lock older than this is left over from a crash (its holder keeps it for one write: milliseconds). */
const STALE_LOCK_MS = 10_000;
const GIVE_UP_MS = 15_000;

/**
 * The state file several simulators (processes) may share: writes are atomic (a temporary file renamed
 * over it) and made one at a time under a lock file, so readers never see half a file and a writer can
 * check, before it writes, that no newer generation landed since it last read.
 */
export class StateFile {
  readonly lockPath: string;
  /** How deep this simulator is in locked(): a write inside a locked change does not wait for itself. */
  private depth = 0;
  constructor(readonly path: string) {
    this.lockPath = `${path}.lock`;
  }

  stamp(): FileStamp | undefined {
    try {
      return stampOf(statSync(this.path));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  read(): { state: SimState; stamp: FileStamp } | undefined {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      const stamp = stampOf(fstatSync(fd));
      return { state: loadState(JSON.parse(readFileSync(fd, 'utf8'))), stamp };
    } finally {
      closeSync(fd);
    }
  }

  /** Writes the whole state beside the file, then renames it over: the file is always one whole state. */
  write(state: SimState): FileStamp {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.path);
    return this.stamp()!;
  }

  /** Runs fn holding the lock file; waits (briefly: holders keep it for one write) while another holds it. */
  locked<T>(fn: () => T): T {
    if (this.depth > 0) return this.nested(fn);
    mkdirSync(dirname(this.path), { recursive: true });
    const started = Date.now();
    for (;;) {
      try {
        const fd = openSync(this.lockPath, 'wx');
        writeFileSync(fd, `${process.pid}\n`);
        closeSync(fd);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      if (this.lockIsStale()) {
        rmSync(this.lockPath, { force: true });
        continue;
      }
      if (Date.now() - started > GIVE_UP_MS)
        throw new Error(`aws-sim: the state file ${this.path} stays locked (${this.lockPath})`);
      sleepSync(2);
    }
    try {
      return this.nested(fn);
    } finally {
      rmSync(this.lockPath, { force: true });
    }
  }

  private nested<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  private lockIsStale(): boolean {
    try {
      const pid = Number(readFileSync(this.lockPath, 'utf8').trim());
      if (Date.now() - statSync(this.lockPath).mtimeMs > STALE_LOCK_MS) return true;
      return pid > 0 && !alive(pid);
    } catch {
      // Gone between our attempt and this look (released), or half-written: try again.
      return false;
    }
  }
}

export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return (
    a !== undefined && b !== undefined && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs
  );
}

function stampOf(s: { ino: number; size: number; mtimeMs: number }): FileStamp {
  return { ino: s.ino, size: s.size, mtimeMs: s.mtimeMs };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** The lock is taken inside synchronous request handling, so the wait for it is synchronous too. */
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
