import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { lockFile } from '../src/site-lock.js';
import { runSite, tempProject } from './run-site.js';

describe('the site lock, as commands meet it', function () {
  this.timeout(60_000);

  it('deploy and keypair create refuse while another run holds the site; status still answers', async () => {
    const project = tempProject();
    const dir = path.join(project.env.SITE_DATA_DIR!, 'locks');
    mkdirSync(dir, { recursive: true });
    // A live process on this host (this test) holds the sandbox site.
    const file = lockFile(dir, { target: 'sandbox', region: 'us-east-1', site: 'barista-cafe' });
    writeFileSync(
      file,
      JSON.stringify({
        pid: process.pid,
        host: hostname(),
        command: 'destroy',
        site: 'barista-cafe',
        region: 'us-east-1',
        target: 'sandbox',
        startedAt: new Date().toISOString(),
        token: 'test',
      }),
    );
    const site = (args: string[]) => runSite([...args, '--sandbox'], { cwd: project.dir, env: project.env });

    const deploy = await site(['deploy', '--json']);
    assert.equal(deploy.code, 1, deploy.stderr);
    const error = JSON.parse(deploy.stdout).error;
    assert.equal(error.code, 'SITE_LOCKED');
    assert.match(error.message, new RegExp(`\`site destroy\` is already running .* pid ${process.pid}`));

    const keypair = await site(['keypair', 'create', '--json']);
    assert.equal(keypair.code, 1, keypair.stderr);
    assert.match(keypair.stdout + keypair.stderr, /SITE_LOCKED|already running/);

    const status = await site(['status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    // Nothing was created.
    const states = JSON.parse(status.stdout).result.resources.map(
      (g: { resourceId: string; rows: { state: string }[] }) => `${g.resourceId}=${g.rows[0]?.state}`,
    );
    for (const id of [
      'keypair.key-pair',
      'network.alb-security-group',
      'network.instance-security-group',
      'compute.instances',
      'alb.target-group',
      'alb.load-balancer',
    ])
      assert.ok(states.includes(`${id}=absent`), states.join(' '));
    assert.ok(existsSync(file), 'the holder keeps its lock');
  });
});
