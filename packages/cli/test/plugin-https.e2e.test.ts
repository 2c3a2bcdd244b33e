import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startSimulator, type SimState, type Simulator } from '@site-cli/aws-sim';
import { runSite, tempProject } from './run-site.js';

const run = promisify(execFile);
const EXAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples/plugin-https');
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/4f9b2c1e-8a7d-4e3f-9c2b-1a2b3c4d5e6f';

/**
 * The example plugin as a third party would ship it: `npm pack`ed, installed from the tarball with
 * `site plugins install` into a fresh data directory while npm is offline, then through plan, deploy, status
 * and destroy on the sandbox, and uninstalled. The sandbox is a simulator this test runs (as
 * `site sandbox start` would), so it can look at AWS's side directly.
 */
describe('a third-party plugin from a tarball: @site-cli/plugin-https', function () {
  this.timeout(120_000);
  const project = tempProject();
  const env = {
    ...project.env,
    SITE_CACHE_DIR: path.join(project.dir, '.cache'),
    SITE_CONFIG_DIR: path.join(project.dir, '.config'),
    // npm (run by `site plugins install`) may use its cache only: no network.
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
  };
  const site = (...args: string[]) => runSite(args, { cwd: project.dir, env });
  const config = (https: boolean) =>
    writeFileSync(
      path.join(project.dir, 'site.config.yaml'),
      `name: cafe\n${https ? `https:\n  certificateArn: ${CERT}\n` : ''}`,
    );
  let sim: Simulator;
  let tarball: string;

  before(async () => {
    assert.ok(
      existsSync(path.join(EXAMPLE, 'lib/hooks/resources.js')),
      'examples/plugin-https is not built: run `npm run build` at the root',
    );
    // What the install needs from the registry, in the npm cache (a no-op when CI's prefetch already ran).
    await run('npm', ['run', 'prefetch', '--silent'], {
      cwd: EXAMPLE,
      env: { ...process.env, npm_config_prefer_offline: 'true' },
    });
    const packDir = mkdtempSync(path.join(tmpdir(), 'site-pack-'));
    // Its prepack script bundles the plugin kit into the tarball (not on the registry yet).
    const { stdout } = await run('npm', ['pack', '--pack-destination', packDir], { cwd: EXAMPLE });
    tarball = path.join(
      packDir,
      stdout
        .trim()
        .split('\n')
        .filter((line) => line.endsWith('.tgz'))
        .at(-1)!,
    );

    sim = await startSimulator({ profile: 'fast' });
    const sandbox = path.join(project.env.SITE_DATA_DIR!, 'sandbox');
    mkdirSync(sandbox, { recursive: true });
    writeFileSync(path.join(sandbox, 'endpoint.json'), JSON.stringify({ endpoint: sim.endpoint }));
    config(true);
  });
  after(() => sim?.stop());

  const state = () => sim.snapshot() as SimState;
  const loadBalancer = () => state().loadBalancers.find((lb) => lb.name === 'cafe-alb');

  it('installs from the tarball, a relative path as typed, with npm offline, and adds its topic to the help', async () => {
    const relative = path.relative(project.dir, tarball);
    assert.ok(relative.startsWith('..'), relative);
    const installed = await site('plugins', 'install', relative);
    assert.equal(installed.code, 0, installed.stderr);
    const plugins = await site('plugins');
    assert.match(plugins.stdout, /@site-cli\/plugin-https 0\.1\.0/);
    const help = await site('--help');
    assert.match(help.stdout, /^ {2}https +HTTPS on the site's load balancer/m);
  });

  it('plans its three resources beside the built-in ones', async () => {
    const plan = await site('plan', '--sandbox');
    assert.equal(plan.code, 3, plan.stderr);
    for (const id of ['https.ingress', 'https.listener', 'https.redirect'])
      assert.match(plan.stdout, new RegExp(`create +${id.replace('.', '\\.')} +does not exist`));
  });

  it('refuses, with plugin-domain also wanting 443, naming both (exit 2, nothing touched)', async () => {
    writeFileSync(
      path.join(project.dir, 'site.config.yaml'),
      `name: cafe\nhttps:\n  certificateArn: ${CERT}\ndomain: { name: www.example-cafe.com }\n`,
    );
    try {
      const plan = await site('plan', '--sandbox', '--json');
      assert.equal(plan.code, 2, plan.stdout + plan.stderr);
      const { error } = JSON.parse(plan.stdout);
      assert.equal(error.code, 'HTTPS_DOMAIN_CONFLICT');
      assert.match(error.message, /@site-cli\/plugin-https/);
      assert.match(error.message, /@site-cli\/plugin-domain/);
      assert.match(error.suggestions.join('\n'), /remove the https section/);
    } finally {
      config(true);
    }
  });

  it('deploys the HTTPS listener and the redirect; port 80 answers 301 to https://<dns>:443', async () => {
    const deploy = await site('deploy', '--sandbox', '--yes');
    assert.equal(deploy.code, 0, deploy.stderr);

    const lb = loadBalancer()!;
    const listeners = state().listeners.filter((l) => l.lbArn === lb.arn);
    const https = listeners.find((l) => l.port === 443)!;
    assert.equal(https.protocol, 'HTTPS');
    assert.deepEqual(https.certificates, [{ CertificateArn: CERT }]);
    assert.equal(https.sslPolicy, 'ELBSecurityPolicy-TLS13-1-2-2021-06');
    assert.equal(https.defaultActions[0].Type, 'forward');
    const http = listeners.find((l) => l.port === 80)!;
    assert.deepEqual(
      { type: http.defaultActions[0].Type, ...http.defaultActions[0].RedirectConfig },
      {
        type: 'redirect',
        Protocol: 'HTTPS',
        Port: '443',
        Host: '#{host}',
        Path: '/#{path}',
        Query: '#{query}',
        StatusCode: 'HTTP_301',
      },
    );
    const group = state().securityGroups.find((g) => g.name === 'cafe-alb-sg')!;
    assert.deepEqual(group.ingress.map((rule) => rule.fromPort).sort(), [443, 443, 80, 80]);

    const answer = await fetch(`${sim.dataPlaneUrl(lb.dnsName, 80)}menu?x=1`, { redirect: 'manual' });
    assert.equal(answer.status, 301);
    assert.equal(answer.headers.get('location'), `https://${lb.dnsName}:443/menu?x=1`);
    const secure = await fetch(sim.dataPlaneUrl(lb.dnsName, 443)!);
    assert.equal(secure.status, 200, 'the HTTPS listener forwards to the site (plain HTTP in the simulator)');
  });

  it('a redeploy changes nothing: the built-in listener and security group leave the plugin’s changes alone', async () => {
    const before = sim.mutatingCalls().length;
    const plan = await site('plan', '--sandbox');
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    const deploy = await site('deploy', '--sandbox', '--yes');
    assert.equal(deploy.code, 0, deploy.stderr);
    assert.deepEqual(
      sim
        .mutatingCalls()
        .slice(before)
        .map((call) => call.action),
      [],
    );
  });

  it('shows them in `site status` and `site https status`', async () => {
    const status = await site('status', '--sandbox', '--json');
    assert.equal(status.code, 0, status.stderr);
    const groups: { resourceId: string; rows: { name: string; state: string; detail?: string }[] }[] =
      JSON.parse(status.stdout).result.resources;
    const rows = (id: string) => groups.find((g) => g.resourceId === id)!.rows;
    assert.deepEqual(
      rows('https.listener').map((r) => [r.name, r.state]),
      [['HTTPS:443', 'forward']],
    );
    assert.deepEqual(
      rows('https.redirect').map((r) => [r.name, r.state]),
      [['HTTP:80 → HTTPS:443', 'redirect 301']],
    );
    assert.equal(rows('https.ingress').length, 2);

    const https = await site('https', 'status', '--sandbox', '--json');
    assert.equal(https.code, 0, https.stderr);
    // Built on the plugin kit's base command: the same envelope as every site command.
    const { status: exit, result, warnings } = JSON.parse(https.stdout);
    assert.equal(exit, 0);
    assert.deepEqual(warnings, []);
    assert.equal(result.listener.certificateArn, CERT);
    assert.deepEqual(result.redirect, { fromPort: 80, to: 'HTTPS:443', statusCode: 'HTTP_301' });
    const table = await site('https', 'status', '--sandbox');
    assert.match(
      table.stdout,
      /HTTPS:443 +arn:aws:acm:\S+ +ELBSecurityPolicy-TLS13-1-2-2021-06 +HTTP:80 → HTTPS:443 \(301\)/,
    );
  });

  it('destroys them with everything else: nothing of the site is left', async () => {
    const destroy = await site('destroy', '--sandbox', '--yes');
    assert.equal(destroy.code, 0, destroy.stderr);
    assert.match(destroy.stdout, /Nothing of cafe is left/);
    const left = state();
    assert.equal(loadBalancer(), undefined);
    assert.deepEqual(left.listeners, []);
    assert.deepEqual(left.targetGroups, []);
    assert.deepEqual(
      left.securityGroups.map((g) => g.name),
      ['default'],
    );
    const tagged = Object.entries(left.tags).filter(
      ([id, tags]) => tags['site:name'] === 'cafe' && !id.startsWith('i-') && !id.startsWith('vol-'),
    );
    assert.deepEqual(
      tagged,
      [],
      'only terminated instances (and their volumes) are still visible, as in EC2',
    );
  });

  it('uninstalls; then the plan no longer mentions HTTPS, and an https section is an unknown key', async () => {
    const removed = await site('plugins', 'uninstall', '@site-cli/plugin-https');
    assert.equal(removed.code, 0, removed.stderr);
    const unknown = await site('plan', '--sandbox');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr.replace(/\s+/g, ' '), /https: found .* expected one of/);

    config(false);
    const plan = await site('plan', '--sandbox');
    assert.equal(plan.code, 3, plan.stderr);
    // None of the plugin's resources (plugin-domain's own, unwanted without a domain, are listed as absent).
    assert.doesNotMatch(plan.stdout + plan.stderr, /\bhttps\.|certificateArn/i);
    const help = await site('--help');
    assert.doesNotMatch(help.stdout, /^ {2}https /m);
  });

  it('installs again from the absolute path of the tarball, and refuses a path that is not there at once', async () => {
    const installed = await site('plugins', 'install', tarball, '--json');
    assert.equal(installed.code, 0, installed.stderr);
    assert.equal(JSON.parse(installed.stdout).status, 0);
    assert.match((await site('plugins')).stdout, /@site-cli\/plugin-https 0\.1\.0/);
    assert.equal((await site('plugins', 'uninstall', '@site-cli/plugin-https')).code, 0);

    const missing = await site('plugins', 'install', './site-cli-plugin-https-9.9.9.tgz', '--json');
    assert.equal(missing.code, 2, missing.stderr);
    const { status, error } = JSON.parse(missing.stdout);
    assert.equal(status, 2);
    assert.equal(error.code, 'PLUGIN_NOT_FOUND');
    assert.match(
      error.message,
      new RegExp(`No plugin at ${project.dir}/site-cli-plugin-https-9\\.9\\.9\\.tgz`),
    );
    assert.match(error.suggestions.join(' '), /npm pack/);
  });
});
