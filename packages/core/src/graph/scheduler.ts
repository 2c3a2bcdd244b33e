import { InterruptedError } from '../errors.js';

export type NodeResult<T> =
  | { status: 'done'; value: T; startedAt: number; endedAt: number }
  | { status: 'failed'; error: unknown; startedAt: number; endedAt: number }
  | { status: 'skipped'; reason: string; cause: SkipCause };

/** Why a node did not run: for messages in the user's words (the `reason` names ids, for --json). */
export type SkipCause =
  | { kind: 'dependency-failed' | 'dependency-skipped' | 'stopped-after-failure'; id: string }
  | { kind: 'interrupted' }
  | { kind: 'left-out'; why: string };

export interface ScheduleOptions {
  /** Aborting stops new work from starting (in-flight work sees the signal through its context). */
  signal?: AbortSignal;
  /** Called when a node starts work, after all its dependencies are done. */
  onStart?(id: string): void;
  /** Why a node is not to run at all (deploy --no-wait's checks); undefined runs it. */
  leaveOut?(id: string): string | undefined;
}

export interface Schedule<T> {
  /** Settles when the node is done, failed or skipped; never rejects. */
  node(id: string): Promise<NodeResult<T>>;
  /** Settles when every node has settled. */
  readonly done: Promise<Map<string, NodeResult<T>>>;
}

/**
 * Run `work` for every node as soon as all its dependencies are done: maximal concurrency.
 * After the first failure (or an abort) no new work starts; what is in flight finishes.
 * Nodes whose dependency failed or was skipped are skipped, naming it.
 */
export function schedule<T>(
  ids: readonly string[],
  dependenciesOf: (id: string) => readonly string[],
  work: (id: string) => Promise<T>,
  options: ScheduleOptions = {},
): Schedule<T> {
  const included = new Set(ids);
  const promises = new Map<string, Promise<NodeResult<T>>>();
  let firstFailure: string | undefined;

  const run = (id: string): Promise<NodeResult<T>> => {
    let promise = promises.get(id);
    if (promise) return promise;
    promise = (async (): Promise<NodeResult<T>> => {
      const leftOut = options.leaveOut?.(id);
      if (leftOut) return { status: 'skipped', reason: leftOut, cause: { kind: 'left-out', why: leftOut } };
      const dependencies = dependenciesOf(id).filter((dependency) => included.has(dependency));
      const settled = await Promise.all(
        dependencies.map((dependency) => run(dependency).then((result) => [dependency, result] as const)),
      );
      const blocked = settled.find(([, result]) => result.status !== 'done');
      if (blocked) {
        const [dependency, result] = blocked;
        const failed = result.status === 'failed';
        return {
          status: 'skipped',
          reason: failed ? `${dependency} failed` : `${dependency} was skipped`,
          cause: { kind: failed ? 'dependency-failed' : 'dependency-skipped', id: dependency },
        };
      }
      if (options.signal?.aborted)
        return { status: 'skipped', reason: 'interrupted', cause: { kind: 'interrupted' } };
      if (firstFailure)
        return {
          status: 'skipped',
          reason: `stopped after ${firstFailure} failed`,
          cause: { kind: 'stopped-after-failure', id: firstFailure },
        };
      options.onStart?.(id);
      const startedAt = Date.now();
      try {
        const value = await work(id);
        return { status: 'done', value, startedAt, endedAt: Date.now() };
      } catch (error) {
        if (!(error instanceof InterruptedError)) firstFailure ??= id;
        return { status: 'failed', error, startedAt, endedAt: Date.now() };
      }
    })();
    promises.set(id, promise);
    return promise;
  };

  const done = (async () => {
    const results = new Map<string, NodeResult<T>>();
    const settled = await Promise.all(ids.map(async (id) => [id, await run(id)] as const));
    for (const [id, result] of settled) results.set(id, result);
    return results;
  })();
  return { node: run, done };
}
