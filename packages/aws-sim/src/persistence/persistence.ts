import type { SimState } from '../state.js';
import { type FileStamp, sameStamp, StateFile } from './state-file.js';

const generationOf = (state: SimState) => state.generation ?? 0;

/**
 * A simulator's share of the state file that several simulators (processes) may use at once. Every write
 * is a new generation; a simulator takes up only newer generations than its own and never writes over
 * one. Without a state file, nothing is read or written and `locked` just runs.
 */
export class Persistence {
  /** State changed since it was last written to the state file. */
  changed = false;
  private readonly file?: StateFile;
  /** The version of the file this simulator last read or wrote. */
  private stamp?: FileStamp;

  constructor(path?: string) {
    if (path) this.file = new StateFile(path);
  }

  /** The state in the file, if there is one. */
  load(): SimState | undefined {
    const loaded = this.file?.read();
    this.stamp = loaded?.stamp;
    return loaded?.state;
  }

  /** Runs `fn` holding the file's lock: a change made inside is made on the latest state and written before another simulator reads it. */
  locked<T>(fn: () => T): T {
    return this.file ? this.file.locked(fn) : fn();
  }

  /**
   * What another simulator wrote since this one last read or wrote the file, when it is a newer
   * generation than `current` (never goes back).
   */
  newer(current: SimState): SimState | undefined {
    if (!this.file) return undefined;
    const stamp = this.file.stamp();
    if (!stamp || sameStamp(stamp, this.stamp)) return undefined;
    const loaded = this.file.read();
    if (!loaded) return undefined;
    this.stamp = loaded.stamp;
    return generationOf(loaded.state) > generationOf(current) ? loaded.state : undefined;
  }

  /**
   * Writes the state as the next generation, atomically (temporary file + rename) and under the file's
   * lock. Callers that changed the state hold the lock from their `newer` on; a simulator that finds a
   * newer generation on disk here (it changed nothing since, e.g. on stop) leaves the newer one alone.
   * `current` gives the state to write, brought up to date (its random streams' positions).
   */
  save(current: () => SimState): void {
    const file = this.file;
    if (!file) return;
    file.locked(() => {
      const state = current();
      const stamp = file.stamp();
      this.changed = false;
      if (stamp && !sameStamp(stamp, this.stamp)) {
        const onDisk = file.read();
        if (onDisk && generationOf(onDisk.state) >= generationOf(state) + 1) return;
      }
      state.generation = generationOf(state) + 1;
      this.stamp = file.write(state);
    });
  }
}
