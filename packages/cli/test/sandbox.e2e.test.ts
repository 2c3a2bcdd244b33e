import { strict as assert } from 'node:assert';
import { interruptSite, runSite, tempProject } from './run-site.js';

describe('the README Quickstart on --sandbox', function () {
  this.timeout(120_000);

  it('deploys the default configuration and prints a URL that answered 200, then destroys it', async () => {
    const project = tempProject();
    const deploy = await runSite(['deploy', '--sandbox'], { cwd: project.dir, env: project.env });
    assert.equal(deploy.code, 0, deploy.stderr);
    assert.match(deploy.stdout, /URL: +http:\/\/barista-cafe-alb-\d+\.us-east-1\.elb\.amazonaws\.com\//);
    assert.match(deploy.stdout + deploy.stderr, /HTTP 200/);

    const status = await runSite(['status', '--sandbox', '--json'], { cwd: project.dir, env: project.env });
    assert.equal(status.code, 0, status.stderr);
    const rows = JSON.parse(status.stdout).result.resources.flatMap(
      (g: { rows: { name: string; state: string }[] }) => g.rows,
    );
    assert.ok(
      rows.some((row: { name: string; state: string }) => row.name === 'HTTP GET' && row.state === '200'),
    );

    const destroy = await runSite(['destroy', '--sandbox'], { cwd: project.dir, env: project.env });
    assert.equal(destroy.code, 0, destroy.stderr);
    assert.match(destroy.stdout, /Nothing of barista-cafe is left/);
  });

  it('exits 130 on Ctrl-C mid-deploy, and the next deploy converges', async () => {
    const project = tempProject();
    const interrupted = await interruptSite(['deploy', '--sandbox'], {
      cwd: project.dir,
      env: project.env,
      when: /launching|creating|running/i,
    });
    assert.ok(interrupted.interrupted, 'the deploy was interrupted');
    assert.equal(interrupted.code, 130, interrupted.stderr);

    const resumed = await runSite(['deploy', '--sandbox', '--json'], { cwd: project.dir, env: project.env });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(JSON.parse(resumed.stdout).result.resources['compute.instances'].instanceIds.length, 1);

    const destroy = await runSite(['destroy', '--sandbox'], { cwd: project.dir, env: project.env });
    assert.equal(destroy.code, 0, destroy.stderr);
  });
});
