import { awsErrorCode } from '../aws/errors.js';
import { InterruptedError, SiteError } from '../errors.js';

export interface PollOptions {
  /** Give up after this long (ms, before time scaling). Default 10 minutes. */
  timeoutMs?: number;
  /** First delay (ms). Default 500: AWS often answers within a second or two. */
  initialDelayMs?: number;
  /** Delays grow by this factor... */
  factor?: number;
  /**
   * ...up to this cap (ms). Default 5000: far tighter than the SDK waiters' fixed 15 s. The cap bounds
   * how late a poll can notice a change, so waits on the critical path keep it at 5 s or below.
   */
  maxDelayMs?: number;
}

export interface PollSettings {
  /** Multiplies every delay and deadline (benchmarks scale the simulator and the tool together). */
  timeScale: number;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** While AWS throttles a poll, its delay doubles up to this (ms, before time scaling). */
export const THROTTLED_MAX_DELAY_MS = 60_000;

/** Codes AWS answers with when it throttles (the SDK has already retried these a few times). */
const THROTTLING =
  /^(Throttling|ThrottlingException|RequestLimitExceeded|TooManyRequests|RequestThrottled|SlowDown)$/;

export function isThrottling(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && THROTTLING.test(code);
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

/**
 * The delays a poll waits between checks: short first, growing to a cap. `throttled()` tells it AWS
 * throttled the last check: the next delay doubles (past the cap, up to THROTTLED_MAX_DELAY_MS), and
 * the delays come back down to the cap once checks go through again.
 */
export function pollDelays(options: PollOptions = {}, timeScale = 1) {
  const factor = options.factor ?? 1.5;
  const cap = (options.maxDelayMs ?? 5000) * timeScale;
  const throttledCap = Math.max(cap, THROTTLED_MAX_DELAY_MS * timeScale);
  let delay = (options.initialDelayMs ?? 500) * timeScale;
  let first = true;
  return {
    next(throttled = false): number {
      if (throttled) delay = Math.min(throttledCap, Math.max(delay, cap) * 2);
      else if (!first) delay = delay > cap ? Math.max(cap, delay / 2) : Math.min(cap, delay * factor);
      first = false;
      return delay;
    },
  };
}

/** Check until a value comes back, with growing delays and a deadline; abortable; slower when throttled. */
export async function poll<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: PollOptions,
  settings: PollSettings,
): Promise<T> {
  const wait = settings.sleep ?? sleep;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000) * settings.timeScale;
  const delays = pollDelays(options, settings.timeScale);
  let throttledBy: unknown;
  for (;;) {
    if (settings.signal?.aborted) throw new InterruptedError();
    let value: T | undefined;
    try {
      value = await check();
      throttledBy = undefined;
    } catch (error) {
      // Throttled even after the SDK's retries: not a failure of what we wait for; ask less often.
      if (!isThrottling(error)) throw error;
      throttledBy = error;
    }
    if (value !== undefined) return value;
    const delay = delays.next(throttledBy !== undefined);
    if (Date.now() + delay > deadline) break;
    await wait(delay, settings.signal);
  }
  if (throttledBy !== undefined) throw throttledBy;
  throw new SiteError({
    code: 'WAIT_TIMEOUT',
    message: `Timed out waiting for ${what}.`,
    suggestions: ['Run `site status` to see where it stands, then `site deploy` again to resume.'],
  });
}
