import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  acquireSiteLock,
  holderAlive,
  lockFile,
  processStart,
  type LockHolder,
  type SiteLockKey,
} from '../src/site-lock.js';

const key: SiteLockKey = { target: 'http://127.0.0.1:4566', region: 'us-east-1', site: 'barista-cafe' };
const MODULE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/site-lock.ts');

describe('the site lock (one deploy or destroy per site on a machine)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'site-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const acquire = (options: Partial<Parameters<typeof acquireSiteLock>[0]> = {}) =>
    acquireSiteLock({ dir, key, command: 'deploy', ...options });

  /** A lock file as another run would have left it. */
  function leave(holder: Partial<LockHolder>, file = lockFile(dir, key)): string {
    const full: LockHolder = {
      pid: 999_999,
      host: 'elsewhere',
      command: 'destroy',
      site: key.site,
      region: key.region,
      target: key.target,
      startedAt: '2030-01-02T03:04:05.000Z',
      token: 'theirs',
      ...holder,
    };
    writeFileSync(file, JSON.stringify(full));
    return file;
  }

  it('holds a file naming who runs what since when, readable only by its owner, and removes it on release', async () => {
    const lock = await acquire();
    const holder = JSON.parse(readFileSync(lock.file, 'utf8')) as LockHolder;
    assert.equal(holder.pid, process.pid);
    assert.equal(holder.command, 'deploy');
    assert.equal(holder.site, 'barista-cafe');
    assert.ok(Date.now() - Date.parse(holder.startedAt) < 5000);
    assert.equal(statSync(lock.file).mode & 0o777, 0o600);
    assert.match(path.basename(lock.file), /^barista-cafe\.us-east-1\.[0-9a-f]{12}\.lock$/);
    await lock.release();
    assert.equal(existsSync(lock.file), false);
    await lock.release();
  });

  it('refuses a second run at once: SITE_LOCKED, exit 1, naming the holder and how to proceed', async () => {
    const lock = await acquire();
    const refused = await acquire({ command: 'destroy' }).catch((error: unknown) => error);
    assert.equal((refused as { code?: string }).code, 'SITE_LOCKED');
    assert.equal((refused as { exitCode?: number }).exitCode, 1);
    const message = (refused as Error).message;
    assert.match(
      message,
      /`site deploy` is already running for site barista-cafe in us-east-1 at http:\/\/127.0.0.1:4566/,
    );
    assert.match(
      message,
      new RegExp(`pid ${process.pid} on .+, started \\d{4}-\\d\\d-\\d\\dT.* \\(\\d+ s ago\\)`),
    );
    const suggestions = (refused as { suggestions: string[] }).suggestions.join('\n');
    assert.match(suggestions, new RegExp(`kill -INT ${process.pid}`));
    assert.ok(suggestions.includes(lock.file), 'says which file to delete if the holder is gone');
    await lock.release();
    await (await acquire({ command: 'destroy' })).release();
  });

  it('another site, region or endpoint is another lock', async () => {
    const held = await acquire();
    const others = await Promise.all([
      acquire({ key: { ...key, site: 'other-site' } }),
      acquire({ key: { ...key, region: 'eu-west-1' } }),
      acquire({ key: { ...key, target: 'sandbox' } }),
    ]);
    assert.equal(new Set([held, ...others].map((l) => l.file)).size, 4);
    for (const lock of [held, ...others]) await lock.release();
  });

  it('the sandbox is one lock for every site: they share one state file', async () => {
    const sandbox = { target: 'sandbox', region: 'us-east-1', site: 'barista-cafe' };
    const held = await acquire({ key: sandbox });
    await assert.rejects(acquire({ key: { ...sandbox, site: 'other-site', region: 'eu-west-1' } }), {
      code: 'SITE_LOCKED',
      message: /`site deploy` is already running for site barista-cafe in the sandbox/,
    });
    await held.release();
  });

  it('lets exactly one of many simultaneous runs in', async () => {
    const attempts = await Promise.allSettled(Array.from({ length: 20 }, () => acquire()));
    const won = attempts.filter((a) => a.status === 'fulfilled');
    assert.equal(won.length, 1);
    for (const attempt of attempts)
      if (attempt.status === 'rejected') assert.equal(attempt.reason.code, 'SITE_LOCKED');
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquire>>>).value.release();
  });

  it('takes over the lock of a process that is gone (same host, dead pid), with a notice', async () => {
    await mkdir(dir, { recursive: true });
    leave({ host: 'this-host', pid: 4242 });
    const notices: string[] = [];
    const lock = await acquire({
      host: 'this-host',
      isAlive: ({ pid }) => pid !== 4242,
      notice: (m) => notices.push(m),
    });
    assert.match(
      notices.join('\n'),
      /Took over the lock of destroy \(pid 4242, started 2030-01-02T03:04:05.000Z\)/,
    );
    assert.equal((JSON.parse(readFileSync(lock.file, 'utf8')) as LockHolder).token, lock.holder.token);
    await lock.release();
  });

  it('when many runs find the same stale lock, still only one gets in', async () => {
    leave({ host: 'this-host', pid: 4242 });
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, () => acquire({ host: 'this-host', isAlive: ({ pid }) => pid !== 4242 })),
    );
    assert.equal(attempts.filter((a) => a.status === 'fulfilled').length, 1);
  });

  it('knows a recycled pid from the holder by its start time (where the system tells it)', async function () {
    const own = processStart('self');
    if (own === undefined) this.skip();
    assert.equal(holderAlive({ pid: process.pid, processStart: own }), true);
    assert.equal(holderAlive({ pid: process.pid, processStart: String(Number(own) - 1) }), false);
    assert.equal(holderAlive({ pid: process.pid }), true);
    assert.equal(holderAlive({ pid: 2 ** 22 + 12345 }), false);
    // A lock whose pid now belongs to a later process is stale: taken over.
    leave({ host: 'this-host', pid: process.pid, processStart: String(Number(own) - 1) });
    const notices: string[] = [];
    const lock = await acquire({ host: 'this-host', notice: (m) => notices.push(m) });
    assert.match(notices[0] ?? '', /Took over/);
    assert.equal(lock.holder.processStart, own);
    await lock.release();
  });

  it('never takes over a lock held on another host, or by a live process', async () => {
    leave({ host: 'elsewhere', pid: 4242 });
    await assert.rejects(acquire({ host: 'this-host', isAlive: () => false }), {
      code: 'SITE_LOCKED',
      message: /pid 4242 on elsewhere/,
    });
    leave({ host: 'this-host', pid: process.pid, token: 'alive' });
    await assert.rejects(acquire({ host: 'this-host' }), { code: 'SITE_LOCKED' });
  });

  it('an unreadable lock file is a run mid-write for a minute, then a crash left over', async () => {
    const file = lockFile(dir, key);
    writeFileSync(file, '');
    await assert.rejects(acquire(), { code: 'SITE_LOCKED', message: /could not be read/ });
    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(file, old, old);
    const notices: string[] = [];
    const lock = await acquire({ notice: (m) => notices.push(m) });
    assert.match(notices[0] ?? '', /left unreadable by a run that crashed/);
    await lock.release();
  });

  it('release leaves alone a lock that is no longer its own', async () => {
    const lock = await acquire();
    leave({ token: 'replaced' });
    await lock.release();
    assert.equal((JSON.parse(readFileSync(lock.file, 'utf8')) as LockHolder).token, 'replaced');
  });

  it('is gone when the process exits without releasing it', () => {
    const code = `
      const { acquireSiteLock } = await import(${JSON.stringify(MODULE)});
      const lock = await acquireSiteLock({ dir: ${JSON.stringify(dir)}, key: ${JSON.stringify(key)}, command: 'deploy' });
      console.log(lock.file);
      process.exit(0);
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      encoding: 'utf8',
    });
    assert.equal(child.status, 0, child.stderr);
    const file = child.stdout.trim();
    assert.equal(file, lockFile(dir, key));
    assert.equal(existsSync(file), false);
  });
});
