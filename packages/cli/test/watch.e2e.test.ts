import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { BIN, interruptSite, runSite, tempProject } from './run-site.js';

/**
 * `site sandbox start` with AWS's realistic latencies scaled down to 1/10: the load balancer provisions for
 * 15 s and a target passes its health checks a few seconds after the instance boots, so a watch started right
 * after `deploy --no-wait` sees the site go from initial to healthy.
 */
async function slowSandbox(project: { dir: string; env: NodeJS.ProcessEnv }) {
  const child = spawn(
    process.execPath,
    [BIN, 'sandbox', 'start', '--profile', 'realistic', '--time-scale', '0.1'],
    { cwd: project.dir, env: { ...process.env, ...project.env } },
  );
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const look = (chunk: Buffer) => {
      output += chunk;
      if (/Sandbox running at http:/.test(output)) resolve();
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    void exited.then((code) => reject(new Error(`sandbox start exited ${code}: ${output}`)));
  });
  return {
    stop() {
      child.kill('SIGINT');
      return exited;
    },
  };
}

describe('site status --watch on the sandbox', function () {
  this.timeout(60_000);

  const project = tempProject();
  const run = (...args: string[]) => runSite([...args, '--sandbox'], { cwd: project.dir, env: project.env });
  let sandbox: Awaited<ReturnType<typeof slowSandbox>> | undefined;

  before(async () => {
    sandbox = await slowSandbox(project);
  });
  after(async () => {
    await sandbox?.stop();
  });

  it('follows a --no-wait deploy to healthy, a line per change naming the resource, and exits 0', async () => {
    const deploy = await run('deploy', '--yes', '--no-wait');
    assert.equal(deploy.code, 0, deploy.stderr);

    const watch = await run(
      'status',
      '--watch',
      '--until',
      'healthy',
      '--interval',
      '0.5',
      '--timeout',
      '45s',
    );
    assert.equal(watch.code, 0, watch.stderr);
    const lines = watch.stdout.split('\n');
    // The first table shows the target not yet healthy, with AWS's reason code.
    assert.match(
      watch.stdout,
      /^Targets +target +i-[0-9a-f]{17} +initial +Elb\.(RegistrationInProgress|InitialHealthChecking)/m,
    );
    const changes = lines.filter((line) => /^\d\d:\d\d:\d\d {2}/.test(line));
    assert.ok(
      changes.some((line) =>
        /^\d\d:\d\d:\d\d {2}Targets target i-[0-9a-f]{17}: initial( \(Elb\.\w+.*\))? → healthy$/.test(line),
      ),
      watch.stdout,
    );
    assert.ok(
      changes.some((line) =>
        /Site answers HTTP GET http:\/\/barista-cafe-alb-\d+\.\S+: (\S+) → 200$/.test(line),
      ),
      watch.stdout,
    );
    // Each change once: the site check's copy of the target's transition is not repeated.
    assert.equal(changes.filter((line) => / → healthy$/.test(line)).length, 1, watch.stdout);
    assert.match(watch.stdout, /^Targets +target +i-[0-9a-f]{17} +healthy/m, 'the last table closes the log');
    assert.equal(lines.filter(Boolean).at(-1), 'Healthy: every target healthy and the URL answers 200.');
  });

  it('--json: one document with the last status and the changes seen', async () => {
    const watch = await run('status', '--watch', '--until', 'healthy', '--interval', '0.5', '--json');
    assert.equal(watch.code, 0, watch.stderr);
    const document = JSON.parse(watch.stdout) as {
      status: number;
      result: {
        url: string;
        resources: { resourceId: string }[];
        watch: { end: string; healthy: boolean; changes: unknown[] };
      };
    };
    assert.equal(document.status, 0);
    assert.match(document.result.url, /^http:\/\/barista-cafe-alb-/);
    assert.ok(document.result.resources.some((r) => r.resourceId === 'alb.site-health'));
    assert.deepEqual(
      {
        end: document.result.watch.end,
        healthy: document.result.watch.healthy,
        changes: document.result.watch.changes,
      },
      { end: 'healthy', healthy: true, changes: [] },
    );
  });

  it('Ctrl-C ends a watch with exit 0 and the last table', async () => {
    const watch = await interruptSite(['status', '--watch', '--interval', '0.3', '--sandbox'], {
      cwd: project.dir,
      env: project.env,
      when: /^URL: /m,
    });
    assert.ok(watch.interrupted);
    assert.equal(watch.code, 0, watch.stderr);
    assert.equal(watch.stdout.trimEnd().split('\n').at(-1), 'Stopped watching (Ctrl-C).');
    assert.equal(
      watch.stdout.match(/^Load balancer +barista-cafe-alb /gm)?.length,
      2,
      'the first table and the last',
    );
  });

  it('on a terminal, redraws the table in place (state beside the name) and Ctrl-C leaves the last one, exit 0', async function () {
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' });
    } catch {
      this.skip(); // util-linux's `script` gives the command a terminal
    }
    const command = `stty cols 120 rows 40; timeout --preserve-status -s INT 5 ${process.execPath} ${BIN} status --sandbox --watch --interval 0.3; echo "exit $?"`;
    const screen = await new Promise<string>((resolve) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], {
        cwd: project.dir,
        env: { ...process.env, ...project.env, SITE_RENDERER: 'default' },
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.on('close', () => resolve(output));
    });
    /* eslint-disable no-control-regex -- the terminal's escape sequences are what is checked */
    assert.match(screen, /\x1b\[\?25l/, 'the cursor is hidden while it redraws');
    assert.match(screen, /\x1b\[\d+A\r\x1b\[0J/, 'a later refresh moves up and redraws in place');
    assert.match(screen, /barista-cafe: status every 0\.3s · Ctrl-C stops · \d\d:\d\d:\d\d\r\n/);
    assert.match(screen, /^Targets +healthy +target +i-[0-9a-f]{17}/m);
    assert.match(screen, /\x1b\[\?25hStopped watching \(Ctrl-C\)\.\r?\nexit 0/);
    /* eslint-enable no-control-regex */
  });

  it('--until healthy on a site that is not up times out with exit 1, saying what it waited for', async () => {
    const empty = tempProject();
    const watch = await runSite(
      [
        'status',
        '--watch',
        '--until',
        'healthy',
        '--interval',
        '0.2',
        '--timeout',
        '1s',
        '--sandbox',
        '--json',
      ],
      { cwd: empty.dir, env: empty.env },
    );
    assert.equal(watch.code, 1, watch.stderr);
    const document = JSON.parse(watch.stdout) as {
      status: number;
      error: { code: string; message: string; details: { watch: { end: string } } };
    };
    assert.equal(document.status, 1);
    assert.equal(document.error.code, 'WATCH_TIMEOUT');
    assert.match(
      document.error.message,
      /^barista-cafe was not healthy after 1s: the load balancer and its targets \(not found yet\)\.$/,
    );
    assert.equal(document.error.details.watch.end, 'timeout');
  });

  it('refuses a bad duration or --until without --watch: exit 2, nothing looked up', async () => {
    const bad = await run('status', '--watch', '--interval', 'soon');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--interval soon: not a duration/);
    const lone = await run('status', '--until', 'healthy');
    assert.equal(lone.code, 2);
    assert.match(lone.stderr, /--until: --watch/);
  });
});
