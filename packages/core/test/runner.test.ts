import { strict as assert } from 'node:assert';
import {
  applyPlan,
  buildRegistry,
  ExitCode,
  InterruptedError,
  planDeploy,
  planDestroy,
  SiteError,
  type Resource,
} from '../src/index.js';
import { createResourceContext } from '../src/index.js';
import { contextFactory, fakeResource, newTrace, noAws, testConfig, type Trace } from './helpers.js';

const plugin = { name: 'test-plugin', version: '1.0.0' };

async function deployAll(resources: Resource[], signal = new AbortController().signal) {
  const registry = buildRegistry([{ plugin, resources }]);
  const outputs = new Map<string, unknown>();
  const context = contextFactory(outputs, signal);
  const plan = await planDeploy({ registry, outputs, context });
  return applyPlan({ registry, plan, outputs, renderer: 'silent', signal, context: (id) => context(id) });
}

const index = (trace: Trace, event: string) => {
  const at = trace.events.indexOf(event);
  assert.notEqual(at, -1, `${event} happened`);
  return at;
};

describe('the runner', () => {
  it('creates every dependency before the resources that need it', async () => {
    const trace = newTrace();
    await deployAll([
      fakeResource('net.vpc', [], trace),
      fakeResource('net.sg', ['net.vpc'], trace),
      fakeResource('compute.instance', ['net.sg', 'net.vpc'], trace),
      fakeResource('alb.lb', ['net.sg'], trace),
      fakeResource('alb.listener', ['alb.lb', 'compute.instance'], trace),
    ]);
    assert.ok(index(trace, 'create:end:net.vpc') < index(trace, 'create:start:net.sg'));
    assert.ok(index(trace, 'create:end:net.sg') < index(trace, 'create:start:compute.instance'));
    assert.ok(index(trace, 'create:end:net.sg') < index(trace, 'create:start:alb.lb'));
    assert.ok(index(trace, 'create:end:alb.lb') < index(trace, 'create:start:alb.listener'));
    assert.ok(index(trace, 'create:end:compute.instance') < index(trace, 'create:start:alb.listener'));
  });

  it('runs independent resources at the same time', async () => {
    const trace = newTrace();
    await deployAll([
      fakeResource('net.sg', [], trace),
      fakeResource('compute.instance', ['net.sg'], trace, { delayMs: 60 }),
      fakeResource('alb.lb', ['net.sg'], trace, { delayMs: 60 }),
      fakeResource('keypair.key', [], trace, { delayMs: 60 }),
    ]);
    // The instance and the load balancer overlap: each starts before the other ends.
    assert.ok(index(trace, 'create:start:alb.lb') < index(trace, 'create:end:compute.instance'));
    assert.ok(index(trace, 'create:start:compute.instance') < index(trace, 'create:end:alb.lb'));
    assert.ok(trace.maxActive >= 2);
  });

  it('stops the dependants of a failing resource and names it in the error', async () => {
    const trace = newTrace();
    const error = await deployAll([
      fakeResource('net.sg', [], trace, { fail: 'InvalidGroup.Duplicate' }),
      fakeResource('compute.instance', ['net.sg'], trace),
      fakeResource('keypair.key', [], trace, { delayMs: 80 }),
    ]).then(
      () => assert.fail('deploy should fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof SiteError);
    assert.match(error.message, /net\.sg/);
    assert.match(error.message, /test-plugin@1\.0\.0/);
    assert.match(error.message, /InvalidGroup\.Duplicate/);
    assert.equal(error.exitCode, ExitCode.failure);
    assert.ok(!trace.events.includes('create:start:compute.instance'), 'the dependant never started');
    // What was in flight when the failure came finished.
    assert.ok(trace.events.includes('create:end:keypair.key'));
    const steps = error.details.steps as { resourceId: string; status: string }[];
    assert.equal(steps.find((s) => s.resourceId === 'compute.instance')?.status, 'skipped');
  });

  it('starts no new work after a failure', async () => {
    const trace = newTrace();
    await deployAll([
      fakeResource('a.fails', [], trace, { fail: 'boom', delayMs: 5 }),
      fakeResource('b.slow', [], trace, { delayMs: 60 }),
      fakeResource('c.after-slow', ['b.slow'], trace),
    ]).catch(() => undefined);
    assert.ok(trace.events.includes('create:end:b.slow'));
    assert.ok(!trace.events.includes('create:start:c.after-slow'));
  });

  it('refuses a cycle with a message that shows it', () => {
    const trace = newTrace();
    assert.throws(
      () =>
        buildRegistry([
          {
            plugin,
            resources: [
              fakeResource('a.x', ['b.y'], trace),
              fakeResource('b.y', ['c.z'], trace),
              fakeResource('c.z', ['a.x'], trace),
            ],
          },
        ]),
      (error: SiteError) => {
        assert.equal(error.code, 'RESOURCE_CYCLE');
        assert.equal(error.exitCode, ExitCode.usage);
        assert.match(error.message, /a\.x → b\.y → c\.z → a\.x/);
        return true;
      },
    );
  });

  it('refuses a dependency no plugin provides, and two plugins contributing one id', () => {
    const trace = newTrace();
    assert.throws(
      () => buildRegistry([{ plugin, resources: [fakeResource('a.x', ['nope.missing'], trace)] }]),
      /a\.x .*depends on nope\.missing/,
    );
    assert.throws(
      () =>
        buildRegistry([
          { plugin, resources: [fakeResource('a.x', [], trace)] },
          { plugin: { name: 'other', version: '2.0.0' }, resources: [fakeResource('a.x', [], trace)] },
        ]),
      /test-plugin@1\.0\.0 and other@2\.0\.0/,
    );
  });

  it('stops when interrupted, with the interrupted exit code (130)', async () => {
    const trace = newTrace();
    const controller = new AbortController();
    const running = deployAll(
      [
        fakeResource('a.waits', [], trace, { waitForAbort: true }),
        fakeResource('b.after', ['a.waits'], trace),
      ],
      controller.signal,
    );
    // The session aborts this signal on SIGINT; the CLI's end-to-end test sends a real one.
    setTimeout(() => controller.abort(), 30);
    const error = await running.then(
      () => assert.fail('should be interrupted'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof InterruptedError);
    assert.equal(error.exitCode, 130);
    assert.ok(!trace.events.includes('create:start:b.after'));
  });

  it('destroys dependants before what they depend on, and keeps what exists as configured', async () => {
    const trace = newTrace();
    const resources = [
      fakeResource('net.sg', [], trace, { exists: true }),
      fakeResource('compute.instance', ['net.sg'], trace, { exists: true }),
      fakeResource('alb.lb', ['net.sg'], trace, { exists: true }),
    ];
    const registry = buildRegistry([{ plugin, resources }]);
    const outputs = new Map<string, unknown>();
    const context = contextFactory(outputs);
    const deployPlan = await planDeploy({ registry, outputs, context });
    assert.equal(deployPlan.hasChanges, false);
    assert.deepEqual(
      deployPlan.steps.map((s) => s.action),
      ['keep', 'keep', 'keep'],
    );
    const destroyPlan = await planDestroy({ registry, outputs: new Map(), context });
    await applyPlan({
      registry,
      plan: destroyPlan,
      outputs,
      renderer: 'silent',
      signal: new AbortController().signal,
      context,
    });
    assert.ok(index(trace, 'destroy:end:compute.instance') < index(trace, 'destroy:start:net.sg'));
    assert.ok(index(trace, 'destroy:end:alb.lb') < index(trace, 'destroy:start:net.sg'));
  });

  it('an AWS refusal mid-deploy is reported as itself, naming the IAM action and what was created', async () => {
    const trace = newTrace();
    const denied = Object.assign(
      new Error(
        'User: arn:aws:iam::1:user/x is not authorized to perform: elasticloadbalancing:CreateLoadBalancer',
      ),
      { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } },
    );
    const error = await deployAll([
      fakeResource('net.sg', [], trace),
      { ...fakeResource('alb.lb', ['net.sg'], trace), create: () => Promise.reject(denied) },
      fakeResource('keypair.key', [], trace),
    ]).then(
      () => assert.fail('deploy should fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof SiteError);
    assert.equal(error.code, 'AWS_ACCESS_DENIED');
    assert.equal(error.exitCode, ExitCode.failure);
    assert.equal(error.details.action, 'elasticloadbalancing:CreateLoadBalancer');
    assert.match(error.message, /alb\.lb.*denied the action elasticloadbalancing:CreateLoadBalancer/s);
    assert.match(error.message, /Created or changed before it stopped.*net\.sg.*keypair\.key/s);
    assert.deepEqual([...(error.details.created as string[])].sort(), ['keypair.key', 'net.sg']);
    assert.ok(error.suggestions.some((s) => /iam-policy/.test(s)));
    assert.ok(error.suggestions.some((s) => /site destroy/.test(s)));
  });

  it('checks every precondition before creating anything: bad local input stays exit 2 with nothing created', async () => {
    const trace = newTrace();
    const refused = new SiteError({
      code: 'KEY_FILE_EXISTS',
      message: 'x.pem exists',
      exitCode: ExitCode.usage,
    });
    const error = await deployAll([
      fakeResource('net.sg', [], trace),
      fakeResource('compute.instance', ['net.sg'], trace),
      { ...fakeResource('keypair.key', [], trace), preconditions: () => Promise.reject(refused) },
    ]).then(
      () => assert.fail('deploy should fail'),
      (e: unknown) => e,
    );
    assert.equal(error, refused);
    assert.deepEqual(trace.events, [], 'nothing started');
  });

  it('skips the preconditions of what already exists', async () => {
    const trace = newTrace();
    let checked = 0;
    await deployAll([
      {
        ...fakeResource('keypair.key', [], trace, { exists: true }),
        preconditions: async () => void checked++,
      },
    ]);
    assert.equal(checked, 0);
  });

  it('destroy leaves a same-named resource that is not ours alone, with a warning, and destroys the rest', async () => {
    const trace = newTrace();
    const conflict = new SiteError({
      code: 'KEYPAIR_CONFLICT',
      message: 'A key pair named "s-key" already exists but was not created by this site.',
      exitCode: ExitCode.usage,
    });
    const resources = [
      fakeResource('net.sg', [], trace, { exists: true }),
      { ...fakeResource('keypair.key', [], trace), discover: () => Promise.reject(conflict) },
    ];
    const registry = buildRegistry([{ plugin, resources }]);
    const warnings: string[] = [];
    const log = { info() {}, debug() {}, warn: (message: string) => void warnings.push(message) };
    const outputs = new Map<string, unknown>();
    const context = () => createResourceContext({ config: testConfig(), aws: noAws, outputs, log });
    const destroyPlan = await planDestroy({ registry, outputs, context });
    assert.deepEqual(destroyPlan.steps.map((s) => `${s.resourceId}:${s.action}`).sort(), [
      'keypair.key:absent',
      'net.sg:delete',
    ]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /Left alone \(not this site's\): A key pair named "s-key"/);
    // Deploy still stops on it.
    await assert.rejects(planDeploy({ registry, outputs: new Map(), context }), /KEYPAIR_CONFLICT|s-key/);
  });

  it('a resource the configuration no longer wants serves until its replacement passed the checks, then goes', async () => {
    // count → scaling: the fixed instances stay wanted=false until the group (which follows them) and the check pass.
    const trace = newTrace();
    const fixed = { ...fakeResource('compute.instances', [], trace, { exists: true }), wanted: () => false };
    const group = fakeResource('autoscaling.group', ['compute.instances'], trace);
    const check = {
      ...fakeResource('alb.site-health', ['autoscaling.group'], trace),
      kind: 'check' as const,
    };
    const unused = { ...fakeResource('autoscaling.policy', [], trace), wanted: () => false };
    const result = await deployAll([fixed, group, check, unused]);
    assert.deepEqual(
      result.steps.map((s) => [s.resourceId, s.action]),
      [
        ['compute.instances', 'delete'],
        ['autoscaling.group', 'create'],
        ['alb.site-health', 'verify'],
      ],
    );
    assert.ok(index(trace, 'create:end:autoscaling.group') < index(trace, 'destroy:start:compute.instances'));
    assert.ok(index(trace, 'create:end:alb.site-health') < index(trace, 'destroy:start:compute.instances'));
    assert.ok(!trace.events.some((e) => e.endsWith(':autoscaling.policy')), 'nothing unwanted is created');
    assert.ok(!result.outputs.has('compute.instances'));
  });

  it('resources no longer wanted go dependants first, after the deploy (scaling → count: policy, then group)', async () => {
    const trace = newTrace();
    const group = { ...fakeResource('autoscaling.group', [], trace, { exists: true }), wanted: () => false };
    const policy = {
      ...fakeResource('autoscaling.policy', ['autoscaling.group'], trace, { exists: true }),
      wanted: () => false,
    };
    const instances = fakeResource('compute.instances', [], trace);
    await deployAll([group, policy, instances]);
    assert.ok(
      index(trace, 'create:end:compute.instances') < index(trace, 'destroy:start:autoscaling.policy'),
    );
    assert.ok(
      index(trace, 'destroy:end:autoscaling.policy') < index(trace, 'destroy:start:autoscaling.group'),
    );
  });
});
