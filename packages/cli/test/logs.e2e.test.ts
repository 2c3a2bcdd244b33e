import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { interruptSite, runSite, tempProject } from './run-site.js';

/**
 * Issue 15: a site whose source.url answers 404 fails its deploy with the setup log's failure line, and
 * `site logs` shows it. The zip URL is served on loopback, the one place the sandbox fetches from.
 */
describe('site logs and a failed setup on --sandbox', function () {
  this.timeout(120_000);
  let server: Server;
  let url: string;
  const project = tempProject();
  const site = (...args: string[]) => runSite([...args, '--sandbox'], { cwd: project.dir, env: project.env });

  before(async () => {
    server = createServer((_req, res) =>
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such zip'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/site.zip`;
    writeFileSync(
      path.join(project.dir, 'site.config.yaml'),
      `name: broken-zip\nsource: { url: "${url}" }\nssh: { cidr: none }\n`,
    );
  });
  after(async () => {
    await site('destroy', '--yes');
    server.close();
  });

  it('fails the deploy (exit 1) quoting the SITE SETUP FAILED line, and logs shows it first', async () => {
    const failure = `SITE SETUP FAILED: could not download ${url}: the server answered HTTP 404`;
    const deploy = await site('deploy', '--yes');
    assert.equal(deploy.code, 1, deploy.stderr);
    assert.ok(deploy.stderr.replace(/\s+/g, ' ').includes(failure), deploy.stderr);
    assert.match(deploy.stderr, /Target\.FailedHealthChecks/);
    assert.match(deploy.stderr, /TARGET_UNHEALTHY/);

    // Resuming fails the same way, and --json carries it in the error envelope.
    const json = await site('deploy', '--yes', '--json');
    assert.equal(json.code, 1);
    const envelope = JSON.parse(json.stdout);
    assert.equal(envelope.status, 1);
    assert.equal(envelope.error.code, 'TARGET_UNHEALTHY');
    assert.ok(envelope.error.message.includes(failure), envelope.error.message);

    const logs = await site('logs');
    assert.equal(logs.code, 0, logs.stderr);
    const lines = logs.stdout.split('\n');
    assert.match(lines[0]!, /^i-[0-9a-f]{17} \(t2\.micro, running\)/);
    assert.equal(lines[1], `  ${failure}`, 'the failure comes first');
    assert.ok(lines.includes(`  | site-setup: downloading ${url}`), logs.stdout);

    const logsJson = await site('logs', '--json');
    assert.equal(logsJson.code, 0, logsJson.stderr);
    const { status, result, warnings } = JSON.parse(logsJson.stdout);
    assert.equal(status, 0);
    assert.deepEqual(warnings, []);
    assert.equal(result.instances.length, 1);
    assert.equal(result.instances[0].failure, failure);
    assert.equal(result.instances[0].lines.at(-1), failure);

    const one = await site('logs', '--instance', result.instances[0].instanceId, '--json');
    assert.equal(JSON.parse(one.stdout).result.instances[0].instanceId, result.instances[0].instanceId);
  });

  it('--follow prints the lines and ends with exit 130 on Ctrl-C', async () => {
    const run = await interruptSite(['logs', '--follow', '--sandbox'], {
      cwd: project.dir,
      env: project.env,
      when: /Ctrl-C to stop/,
    });
    assert.ok(run.interrupted);
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stdout, /^i-[0-9a-f]{17} \| SITE SETUP FAILED: /m);
  });

  it('refuses a bad --instance and --follow with --json (exit 2)', async () => {
    const malformed = await site('logs', '--instance', 'web-1');
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /--instance web-1 is not an EC2 instance id/);
    const other = await site('logs', '--instance', 'i-0123456789abcdef0', '--json');
    assert.equal(other.code, 2);
    assert.match(JSON.parse(other.stdout).error.message, /is not one of site broken-zip's instances/);
    const both = await site('logs', '--follow', '--json');
    assert.equal(both.code, 2);
    assert.equal(JSON.parse(both.stdout).status, 2);
  });
});
