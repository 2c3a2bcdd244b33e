import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import { BIN, interruptSite, runSite, tempProject } from './run-site.js';

/** RFC 5737's documentation blocks: never routed on the internet. */
const DOCUMENTATION_IPV4 = /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/;

/** `site sandbox start` in the background, once it says where it listens. */
async function sandboxStart(project: { dir: string; env: NodeJS.ProcessEnv }) {
  const child = spawn(process.execPath, [BIN, 'sandbox', 'start'], {
    cwd: project.dir,
    env: { ...process.env, ...project.env },
  });
  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const look = (chunk: Buffer) => {
      output += chunk;
      const found = /Sandbox running at (http:\/\/\S+)/.exec(output);
      if (found) resolve(found[1]!);
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.once('exit', (code) => reject(new Error(`sandbox start exited ${code}: ${output}`)));
  });
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  return {
    endpoint,
    pid: child.pid!,
    child: child as ChildProcess,
    async stop() {
      child.kill('SIGINT');
      return exited;
    },
  };
}

describe('the README Quickstart on --sandbox', function () {
  this.timeout(120_000);

  it('deploys the default configuration and prints a URL that answered 200, then destroys it', async () => {
    const project = tempProject();
    const deploy = await runSite(['deploy', '--sandbox'], { cwd: project.dir, env: project.env });
    assert.equal(deploy.code, 0, deploy.stderr);
    // A name under .invalid (RFC 6761): the URL printed never reaches anyone's load balancer.
    assert.match(deploy.stdout, /URL: +http:\/\/barista-cafe-alb-\d+\.us-east-1\.elb\.aws-sim\.invalid\//);
    assert.match(deploy.stdout + deploy.stderr, /HTTP 200/);

    const status = await runSite(['status', '--sandbox', '--json'], { cwd: project.dir, env: project.env });
    assert.equal(status.code, 0, status.stderr);
    const rows = JSON.parse(status.stdout).result.resources.flatMap(
      (g: { rows: { name: string; state: string }[] }) => g.rows,
    );
    assert.ok(
      rows.some((row: { name: string; state: string }) => row.name === 'HTTP GET' && row.state === '200'),
    );

    const instances = await runSite(['instance', 'status', '--sandbox', '--json'], {
      cwd: project.dir,
      env: project.env,
    });
    assert.equal(instances.code, 0, instances.stderr);
    const [instance] =
      JSON.parse(instances.stdout).instances ?? JSON.parse(instances.stdout).result.instances;
    assert.match(instance.publicIpAddress, DOCUMENTATION_IPV4);
    assert.match(instance.publicDnsName, /\.compute-1\.aws-sim\.invalid$/);

    // ssh --exec would reach whoever owns the address: refused before anything runs.
    const ssh = await runSite(['instance', 'ssh', '--sandbox', '--exec'], {
      cwd: project.dir,
      env: project.env,
    });
    assert.equal(ssh.code, 2, ssh.stderr);
    assert.match(ssh.stderr, /--exec with --sandbox/);
    assert.match(ssh.stderr, /Drop --exec/);

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

describe('the sandbox: one simulator per data dir, a state nobody loses', function () {
  this.timeout(120_000);

  it('refuses a second `sandbox start`, naming the first, and leaves the first one’s endpoint alone', async () => {
    const project = tempProject();
    const first = await sandboxStart(project);
    try {
      const second = await runSite(['sandbox', 'start', '--json'], { cwd: project.dir, env: project.env });
      assert.equal(second.code, 1, second.stderr);
      const refused = JSON.parse(second.stdout);
      assert.equal(refused.error.code, 'SANDBOX_RUNNING');
      assert.ok(
        refused.error.message.includes(`pid ${first.pid}, endpoint ${first.endpoint}`),
        second.stdout,
      );
      assert.ok(refused.error.suggestions.some((s: string) => s.includes('SITE_DATA_DIR')));

      const endpointFile = path.join(project.env.SITE_DATA_DIR!, 'sandbox', 'endpoint.json');
      assert.ok(existsSync(endpointFile), 'the refused start removed nothing');
      // --sandbox commands still reach the first one.
      const status = await runSite(['status', '--sandbox', '--json'], { cwd: project.dir, env: project.env });
      assert.equal(status.code, 0, status.stderr);
      assert.equal((await fetch(`${first.endpoint}/_sim/health`)).status, 200);
    } finally {
      assert.equal(await first.stop(), 0);
    }
    assert.equal(existsSync(path.join(project.env.SITE_DATA_DIR!, 'sandbox', 'endpoint.json')), false);
  });

  it('keeps a site deployed by another simulator when an older one writes and stops (issue 11)', async () => {
    const project = tempProject();
    const dataDir = project.env.SITE_DATA_DIR!;
    const older = await sandboxStart(project);
    try {
      // Hide the running sandbox: the deploy runs its own simulator on the same state file.
      const endpointFile = path.join(dataDir, 'sandbox', 'endpoint.json');
      renameSync(endpointFile, `${endpointFile}.hidden`);
      const deploy = await runSite(['deploy', '--sandbox'], { cwd: project.dir, env: project.env });
      assert.equal(deploy.code, 0, deploy.stderr);
      renameSync(`${endpointFile}.hidden`, endpointFile);

      // The older simulator, which loaded the empty state, now changes something and stops.
      const write = await fetch(older.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=CreateSecurityGroup&Version=2016-11-15&GroupName=later&GroupDescription=later',
      });
      assert.equal(write.status, 200, await write.text());
    } finally {
      assert.equal(await older.stop(), 0);
    }

    const status = await runSite(['status', '--sandbox', '--json'], { cwd: project.dir, env: project.env });
    assert.equal(status.code, 0, status.stderr);
    const rows = JSON.parse(status.stdout).result.resources.flatMap(
      (g: { rows: { name: string; state: string }[] }) => g.rows,
    );
    assert.ok(
      rows.some((row: { name: string; state: string }) => row.name === 'HTTP GET' && row.state === '200'),
      status.stdout,
    );
    const destroy = await runSite(['destroy', '--sandbox'], { cwd: project.dir, env: project.env });
    assert.equal(destroy.code, 0, destroy.stderr);
  });

  it('refuses --profile and a region the sandbox does not simulate, with the fix, touching nothing', async () => {
    const project = tempProject();
    const keyPairs = await runSite(['keypair', 'create', '--sandbox', '--region', 'eu-west-1'], {
      cwd: project.dir,
      env: project.env,
    });
    assert.equal(keyPairs.code, 0, keyPairs.stderr);

    const otherRegion = await runSite(['deploy', '--sandbox', '--json'], {
      cwd: project.dir,
      env: project.env,
    });
    assert.equal(otherRegion.code, 2, otherRegion.stderr);
    const refused = JSON.parse(otherRegion.stdout);
    assert.equal(refused.error.code, 'SANDBOX_REGION_MISMATCH');
    assert.match(refused.error.message, /simulates eu-west-1, but this run is for region us-east-1/);
    assert.ok(refused.error.suggestions.some((s: string) => s.includes('--region eu-west-1')));

    const profile = await runSite(['status', '--sandbox', '--profile', 'work'], {
      cwd: project.dir,
      env: project.env,
    });
    assert.equal(profile.code, 2, profile.stderr);
    assert.match(profile.stderr, /--sandbox and --profile work cannot be used together/);
    assert.match(profile.stderr, /Drop --profile/);

    // Nothing was created in a us-east-1 the sandbox does not have: the key pair is all there is.
    const state = await runSite(['keypair', 'list', '--sandbox', '--region', 'eu-west-1', '--json'], {
      cwd: project.dir,
      env: project.env,
    });
    assert.equal(state.code, 0, state.stderr);
    const reset = await runSite(['sandbox', 'reset'], { cwd: project.dir, env: project.env });
    assert.equal(reset.code, 0, reset.stderr);
    const afterReset = await runSite(['status', '--sandbox', '--json'], {
      cwd: project.dir,
      env: project.env,
    });
    assert.equal(afterReset.code, 0, afterReset.stderr);
  });
});
