import { strict as assert } from 'node:assert';
import { poll, pollDelays, SiteError } from '../src/index.js';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });

/** Run a poll with a fake sleep that records the delays instead of waiting. */
async function run(answers: (() => unknown)[], options = {}) {
  const delays: number[] = [];
  let n = 0;
  const result = poll(
    'the thing',
    async () => {
      const answer = answers[Math.min(n++, answers.length - 1)]!();
      return answer as string | undefined;
    },
    options,
    { timeScale: 1, sleep: async (ms) => void delays.push(ms) },
  );
  return { result, delays, checks: () => n };
}

describe('poll', () => {
  it('waits short at first, then longer, up to the cap', () => {
    const delays = pollDelays({ initialDelayMs: 500, factor: 2, maxDelayMs: 3000 });
    assert.deepEqual(
      Array.from({ length: 6 }, () => delays.next()),
      [500, 1000, 2000, 3000, 3000, 3000],
    );
  });

  it('scales every delay with the time scale', () => {
    const delays = pollDelays({ initialDelayMs: 1000, maxDelayMs: 5000 }, 0.1);
    assert.deepEqual([delays.next(), delays.next(), delays.next()], [100, 150, 225]);
  });

  it('returns the first value and checks no more', async () => {
    const { result, delays, checks } = await run([() => undefined, () => undefined, () => 'ready']);
    assert.equal(await result, 'ready');
    assert.equal(checks(), 3);
    assert.deepEqual(delays, [500, 750]);
  });

  it('slows down while AWS throttles, past the cap, and comes back to the cap afterwards', async () => {
    const answers = [
      () => undefined,
      () => {
        throw throttled();
      },
      () => {
        throw throttled();
      },
      () => undefined,
      () => undefined,
      () => 'ready',
    ];
    const { result, delays } = await run(answers, { initialDelayMs: 1000, maxDelayMs: 4000 });
    assert.equal(await result, 'ready');
    assert.deepEqual(delays, [1000, 8000, 16000, 8000, 4000]);
  });

  it('fails at once on any other error', async () => {
    const { result, checks } = await run([
      () => {
        throw Object.assign(new Error('no'), { name: 'AccessDenied' });
      },
    ]);
    await assert.rejects(result, /no/);
    assert.equal(checks(), 1);
  });

  it('gives up at the deadline with WAIT_TIMEOUT, or with the throttling error when AWS kept throttling', async () => {
    const late = await run([() => undefined], { timeoutMs: 0 });
    await assert.rejects(late.result, (error: unknown) => {
      assert.ok(error instanceof SiteError);
      assert.equal(error.code, 'WAIT_TIMEOUT');
      assert.match(error.message, /the thing/);
      return true;
    });
    const busy = await run([() => Promise.reject(throttled())], { timeoutMs: 0 });
    await assert.rejects(busy.result, (error: Error) => error.name === 'Throttling');
  });
});
