import { InterruptedError, SiteError } from '../errors.js';

export interface PollOptions {
  /** Give up after this long (ms, before time scaling). Default 10 minutes. */
  timeoutMs?: number;
  /** First delay (ms). Default 500: AWS often answers within a second or two. */
  initialDelayMs?: number;
  /** Delays grow by this factor... */
  factor?: number;
  /** ...up to this cap (ms). Default 5000: far tighter than the SDK waiters' fixed 15 s. */
  maxDelayMs?: number;
}

export interface PollSettings {
  /** Multiplies every delay and deadline (benchmarks scale the simulator and the tool together). */
  timeScale: number;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The delays a poll waits between checks: short first, growing to a cap. */
export function* pollDelays(options: PollOptions = {}, timeScale = 1): Generator<number> {
  const factor = options.factor ?? 1.5;
  const cap = (options.maxDelayMs ?? 5000) * timeScale;
  let delay = (options.initialDelayMs ?? 500) * timeScale;
  for (;;) {
    yield delay;
    delay = Math.min(cap, delay * factor);
  }
}

/** Check until a value comes back, with growing delays and a deadline; abortable. */
export async function poll<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: PollOptions,
  settings: PollSettings,
): Promise<T> {
  const wait = settings.sleep ?? sleep;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000) * settings.timeScale;
  for (const delay of pollDelays(options, settings.timeScale)) {
    if (settings.signal?.aborted) throw new InterruptedError();
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() + delay > deadline) break;
    await wait(delay, settings.signal);
  }
  throw new SiteError({
    code: 'WAIT_TIMEOUT',
    message: `Timed out waiting for ${what}.`,
    suggestions: ['Run `site status` to see where it stands, then `site deploy` again to resume.'],
  });
}
