import { strict as assert } from 'node:assert';
import { chmodSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { runSite, tempProject } from './run-site.js';

interface Check {
  name: string;
  status: 'pass' | 'warn' | 'fail';
  message: string;
  fix?: string;
  source: string;
}

/** A checkip.amazonaws.com stand-in answering `ip`: the user's address after it changed. */
async function checkIp(ip: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => res.end(`${ip}\n`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe('site doctor on --sandbox', function () {
  this.timeout(180_000);

  it('passes a fresh site, then flags a .pem at 0644 and an SSH rule for an old IP, each with its fix', async () => {
    const project = tempProject();
    const site = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      runSite(args, { cwd: project.dir, env: { ...project.env, ...env } });

    const deploy = await site(['deploy', '--sandbox', '--yes', '--no-wait']);
    assert.equal(deploy.code, 0, deploy.stderr);

    // Deployed just now from here: nothing fails (exit 0), the sandbox's checkip address is the rule's.
    const healthy = await site(['doctor', '--sandbox']);
    assert.equal(healthy.code, 0, healthy.stdout + healthy.stderr);
    assert.match(healthy.stdout, /✔ credentials: Signed in as arn:aws:iam::\d{12}:user\/sim/);
    assert.match(healthy.stdout, /✔ ssh rule: SSH is allowed from 203\.0\.113\.10\/32/);
    assert.match(healthy.stdout, /✔ private key: .*barista-cafe-key\.pem is present, mode 0400/);
    assert.match(healthy.stdout, /0 failed/);

    const pem = path.join(project.dir, 'barista-cafe-key.pem');
    chmodSync(pem, 0o644);
    const moved = await checkIp('198.51.100.7');
    try {
      const text = await site(['doctor', '--sandbox'], { SITE_CHECKIP_URL: moved.url });
      assert.equal(text.code, 1, text.stdout + text.stderr);
      assert.match(
        text.stdout,
        /✖ ssh rule: The SSH rule allows 203\.0\.113\.10\/32, but your current public IP is 198\.51\.100\.7\/32/,
      );
      assert.match(
        text.stdout,
        /fix: Run `site deploy --sandbox` to move the SSH rule to 198\.51\.100\.7\/32\./,
      );
      assert.match(text.stdout, /✖ private key: .* has mode 0644/);
      assert.match(text.stdout, new RegExp(`fix: chmod 400 ${pem.replaceAll('.', '\\.')}`));

      const json = await site(['doctor', '--sandbox', '--json'], { SITE_CHECKIP_URL: moved.url });
      assert.equal(json.code, 1, json.stderr);
      const envelope = JSON.parse(json.stdout) as {
        status: number;
        result: { checks: Check[] };
        warnings: string[];
      };
      assert.equal(envelope.status, 1);
      const byName = new Map(envelope.result.checks.map((c) => [c.name, c]));
      for (const check of envelope.result.checks) assert.match(check.status, /^(pass|warn|fail)$/);
      assert.deepEqual(
        { status: byName.get('ssh rule')?.status, fix: byName.get('ssh rule')?.fix },
        { status: 'fail', fix: 'Run `site deploy --sandbox` to move the SSH rule to 198.51.100.7/32.' },
      );
      assert.deepEqual(
        { status: byName.get('private key')?.status, fix: byName.get('private key')?.fix },
        { status: 'fail', fix: `chmod 400 ${pem}` },
      );
      assert.equal(byName.get('credentials')?.status, 'pass');
      assert.equal(byName.get('clock')?.status, 'pass');
      assert.equal(byName.get('quota application-load-balancers')?.status, 'pass');
      // Drift names the rule's difference: the plan would update the instance security group.
      assert.match(
        byName.get('drift')?.message ?? '',
        /SSH ingress.*203\.0\.113\.10\/32.*198\.51\.100\.7\/32/,
      );

      // Deploy warns once (it does not fail) about the readable key, and the fix it offers works.
      const redeploy = await site(['deploy', '--sandbox', '--yes', '--no-wait'], {
        SITE_CHECKIP_URL: moved.url,
      });
      assert.equal(redeploy.code, 0, redeploy.stderr);
      assert.equal(
        redeploy.stderr.match(/has mode 0644: group or others can read it/g)?.length,
        1,
        redeploy.stderr,
      );
      chmodSync(pem, 0o400);
      const fixed = await site(['doctor', '--sandbox'], { SITE_CHECKIP_URL: moved.url });
      assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
      assert.match(fixed.stdout, /✔ ssh rule: SSH is allowed from 198\.51\.100\.7\/32/);
      assert.equal(statSync(pem).mode & 0o777, 0o400);
    } finally {
      moved.server.close();
    }
  });
});
