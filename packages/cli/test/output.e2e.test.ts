import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, runSite, tempProject } from './run-site.js';

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g; // eslint-disable-line no-control-regex

/** `script` (util-linux) gives the command a terminal, as a user's shell would. */
function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('output: results on stdout, plan and progress on stderr', function () {
  this.timeout(120_000);

  it('piped, deploy prints only its result on stdout, a short table without ARNs; progress lines name their task', async () => {
    const project = tempProject();
    const run = (...args: string[]) =>
      runSite([...args, '--sandbox'], { cwd: project.dir, env: project.env });

    const deploy = await run('deploy', '--yes');
    assert.equal(deploy.code, 0, deploy.stderr);
    const lines = deploy.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'Deployed.');
    assert.match(lines[1]!, /^URL: +http:\/\/barista-cafe-alb-\d+\.us-east-1\.elb\.aws-sim\.invalid\/$/);
    assert.match(lines[2]!, /^SSH: +ssh -i /);
    assert.match(lines[4]!, /^WHAT +NAME +ID$/);
    assert.ok(
      lines.some((line) => /^Load balancer +barista-cafe-alb +[0-9a-f]{16}$/.test(line)),
      deploy.stdout,
    );
    assert.ok(
      lines.some((line) => /^EC2 instances +- +i-[0-9a-f]{17}$/.test(line)),
      deploy.stdout,
    );
    assert.equal(lines.at(-1), 'Checked: Site answers: healthy targets 1/1, HTTP 200.');
    assert.doesNotMatch(deploy.stdout, /arn:aws/);
    assert.doesNotMatch(deploy.stdout, /^\s*[›✔↓✖+?]|waiting for|Plan:/m, 'no plan or progress on stdout');

    assert.match(deploy.stderr, /^Plan: 8 to create\.$/m);
    assert.match(deploy.stderr, /^› compute › EC2 instances: /m);
    assert.match(deploy.stderr, /^✔ alb › Site answers: ready in \d+\.\ds$/m);
    const progress = deploy.stderr.split('\n').filter((line) => /^[›✔↓✖] /.test(line));
    assert.ok(progress.length > 10);
    for (const line of progress) assert.match(line, /^[›✔↓✖] (network|alb|compute|keypair)\b/, line);

    const verbose = await run('deploy', '--yes', '--verbose');
    assert.equal(verbose.code, 0, verbose.stderr);
    assert.match(
      verbose.stdout,
      /arn:aws:elasticloadbalancing:us-east-1:\d{12}:loadbalancer\/app\/barista-cafe-alb\//,
    );

    const status = await run('status');
    assert.equal(status.code, 0, status.stderr);
    assert.match(
      status.stdout,
      /^Listener +HTTP:80 +[0-9a-f]{16} +forward +→ targetgroup\/barista-cafe-tg\//m,
    );
    assert.doesNotMatch(status.stdout, /arn:aws/);
    assert.match((await run('status', '--verbose')).stdout, /arn:aws:elasticloadbalancing:/);

    const destroy = await run('destroy', '--yes', '--verbose');
    assert.equal(destroy.code, 0, destroy.stderr);
    assert.equal(
      destroy.stdout.split('\n')[0],
      'Nothing of barista-cafe is left.',
      'destroy prints its result first, its progress elsewhere',
    );
    assert.match(destroy.stdout, /^Deleted: .*Load balancer \(alb\.load-balancer\)/m);
    assert.match(destroy.stderr, /^✔ compute › EC2 instances: deleted in /m);
  });

  it('in a terminal, the live task tree goes to stderr: stdout redirected to a file holds only the result', async function () {
    if (!hasScript()) this.skip(); // no util-linux `script` to lend the command a terminal
    const project = tempProject();
    // A terminal picks the live tree: no SITE_RENDERER, no CI.
    const env: NodeJS.ProcessEnv = { ...process.env, ...project.env, TERM: 'xterm' };
    delete env.SITE_RENDERER;
    delete env.CI;
    const out = path.join(project.dir, 'result.txt');
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} deploy --sandbox --yes > ${JSON.stringify(out)}`;
    const terminal = await new Promise<string>((resolve, reject) =>
      execFile('script', ['-qec', command, '/dev/null'], { cwd: project.dir, env }, (error, stdout) =>
        error ? reject(new Error(`${error.message}\n${stdout}`)) : resolve(stdout),
      ),
    );
    const result = readFileSync(out, 'utf8');
    assert.equal(result.split('\n')[0], 'Deployed.');
    assert.doesNotMatch(result, /[›✔↓✖⠋]|waiting for|Plan:|\x1b/, 'no progress on stdout'); // eslint-disable-line no-control-regex
    const shown = terminal.replace(ANSI, '');
    assert.match(shown, /✔ alb/);
    assert.match(shown, /✔ Site answers: ready in \d+\.\ds/);

    const destroy = await runSite(['destroy', '--sandbox', '--yes'], { cwd: project.dir, env: project.env });
    assert.equal(destroy.code, 0, destroy.stderr);
  });
});
