import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSite, tempProject } from './run-site.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/plugins');

interface HookCall {
  plugin: string;
  event: string;
  site: string;
  apiVersion: number;
  plan: string[];
  url?: string;
  outputs?: string[];
}

/**
 * Two third-party plugins (test/fixtures/plugins) linked into a temporary data directory. They listen to
 * every lifecycle hook and write down what they receive; environment switches make them veto, fail,
 * contribute a broken resource or clash on a resource id.
 */
describe('plugins: lifecycle hooks, vetoes, failures and clashing resources', function () {
  this.timeout(180_000);

  const project = tempProject();
  const log = path.join(project.dir, 'hooks.jsonl');
  // Error messages are wrapped to the terminal's width: compare them as one line.
  const site = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const run = await runSite(args[0] === 'config' ? args : [...args, '--sandbox'], {
      cwd: project.dir,
      env: { ...project.env, SITE_FIXTURE_LOG: log, ...env },
    });
    return { ...run, stderr: run.stderr.replace(/\s+/g, ' ') };
  };
  const calls = (): HookCall[] =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as HookCall)
      : [];
  const plannedCreates = async () => {
    const plan = await site(['plan', '--json']);
    return JSON.parse(plan.stdout).result.steps.filter((s: { action: string }) => s.action === 'create')
      .length;
  };

  before(async () => {
    // Linked in reverse name order: the hook order must not depend on the order of installation.
    for (const name of ['site-fixture-beta', 'site-fixture-alpha']) {
      const linked = await runSite(['plugins', 'link', path.join(FIXTURES, name), '--no-install'], {
        cwd: project.dir,
        env: project.env,
      });
      assert.equal(linked.code, 0, linked.stderr);
    }
  });
  beforeEach(() => rmSync(log, { force: true }));

  it('runs pre and post hooks of deploy and destroy in a defined order, with typed payloads', async () => {
    const deploy = await site(['deploy', '--yes']);
    assert.equal(deploy.code, 0, deploy.stderr);
    const destroy = await site(['destroy', '--yes']);
    assert.equal(destroy.code, 0, destroy.stderr);

    const seen = calls();
    assert.deepEqual(
      seen.map((call) => `${call.event} ${call.plugin}`),
      [
        'predeploy site-fixture-alpha',
        'predeploy site-fixture-beta',
        'postdeploy site-fixture-alpha',
        'postdeploy site-fixture-beta',
        'predestroy site-fixture-alpha',
        'predestroy site-fixture-beta',
        'postdestroy site-fixture-alpha',
        'postdestroy site-fixture-beta',
      ],
    );
    for (const call of seen) {
      assert.equal(call.site, 'barista-cafe', 'the payload carries the site configuration');
      assert.equal(call.apiVersion, 1, 'the payload carries the runtime');
    }
    const [predeploy, , postdeploy, , predestroy] = seen;
    assert.ok(predeploy.plan.includes('compute.instances:create'), predeploy.plan.join());
    assert.ok(predeploy.plan.includes('alb.site-health:verify'));
    assert.match(postdeploy.url ?? '', /^http:\/\/barista-cafe-alb-\d+\.us-east-1\.elb\.aws-sim\.invalid\/$/);
    assert.ok(postdeploy.outputs?.includes('alb.load-balancer'));
    assert.ok(predestroy.plan.includes('alb.load-balancer:delete'), predestroy.plan.join());
  });

  it('a predeploy veto stops the deploy with its reason before anything is created', async () => {
    const deploy = await site(['deploy', '--yes'], { SITE_FIXTURE_VETO: 'site-fixture-alpha' });
    assert.equal(deploy.code, 1);
    assert.match(deploy.stderr, /site-fixture-alpha@1\.0\.0 stopped the deploy: the change window is closed/);
    assert.deepEqual(
      calls().map((call) => `${call.event} ${call.plugin}`),
      ['predeploy site-fixture-alpha'],
      'hooks after the veto are not called',
    );
    assert.equal(await plannedCreates(), 8, 'nothing was created');
  });

  it('a failing hook is reported with the plugin name and version, and stops the run', async () => {
    const deploy = await site(['deploy', '--yes'], { SITE_FIXTURE_FAIL: 'site-fixture-beta:predeploy' });
    assert.equal(deploy.code, 1);
    assert.match(
      deploy.stderr,
      /The site:predeploy hook of site-fixture-beta@1\.0\.1 failed: site-fixture-beta failed on purpose in predeploy/,
    );
    assert.equal(await plannedCreates(), 8, 'nothing was created');
  });

  it('a failing postdeploy hook is reported after the site exists; destroy removes everything', async () => {
    const deploy = await site(['deploy', '--yes'], { SITE_FIXTURE_FAIL: 'site-fixture-alpha:postdeploy' });
    assert.equal(deploy.code, 1);
    assert.match(deploy.stderr, /The site:postdeploy hook of site-fixture-alpha@1\.0\.0 failed/);
    assert.equal(await plannedCreates(), 0, 'the site was deployed and is discoverable by its tags');
    const destroy = await site(['destroy', '--yes']);
    assert.equal(destroy.code, 0, destroy.stderr);
    assert.match(destroy.stdout, /Nothing of barista-cafe is left/);
  });

  it("a plugin's resource that fails is reported with the plugin's name and version; destroy cleans up", async () => {
    const deploy = await site(['deploy', '--yes'], { SITE_FIXTURE_BROKEN: 'site-fixture-beta' });
    assert.equal(deploy.code, 1);
    assert.match(deploy.stderr, /fixture\.broken/);
    assert.match(deploy.stderr, /site-fixture-beta@1\.0\.1/);
    assert.match(deploy.stderr, /the fixture refuses to be created/);
    const destroy = await site(['destroy', '--yes']);
    assert.equal(destroy.code, 0, destroy.stderr);
    assert.match(destroy.stdout, /Nothing of barista-cafe is left/);
  });

  it("a plugin's own config section is shown by config show and checked by config validate", async () => {
    const show = await site(['config', 'show', '--json']);
    assert.equal(show.code, 0, show.stderr);
    assert.deepEqual(JSON.parse(show.stdout).result.config.fixture, { greeting: 'hello' });

    writeFileSync(path.join(project.dir, 'site.config.yaml'), 'fixture:\n  greeting: 5\n  colour: blue\n');
    try {
      const validate = await site(['config', 'validate']);
      assert.equal(validate.code, 2);
      assert.match(validate.stdout + validate.stderr, /fixture\.greeting/);
      assert.match(validate.stdout + validate.stderr, /colour/);
    } finally {
      rmSync(path.join(project.dir, 'site.config.yaml'));
    }
  });

  it('two plugins contributing the same resource id are refused, naming both', async () => {
    const plan = await site(['plan'], { SITE_FIXTURE_DUPLICATE: '1' });
    assert.equal(plan.code, 2);
    assert.match(
      plan.stderr,
      /Two plugins contribute the resource fixture\.note: site-fixture-alpha@1\.0\.0 and site-fixture-beta@1\.0\.1/,
    );
  });
});
