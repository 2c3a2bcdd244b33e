import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { profiles, startSimulator, type CallRecord, type Simulator } from '@site-cli/aws-sim';
import { runSite, tempProject } from './run-site.js';

/**
 * Moving a deployed site from fixed instances (instance.count) to an Auto Scaling group and back, on aws-sim,
 * with a probe through the load balancer the whole time: no request fails either way, because the instances
 * that go are deregistered and drained before they are terminated.
 */

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const json = (stdout: string) => JSON.parse(stdout) as { status: number; result: any; error?: any };

describe('a site moving between instance.count and instance.scaling against aws-sim', function () {
  this.timeout(300_000);
  let sim: Simulator;
  let project: ReturnType<typeof tempProject>;
  let env: NodeJS.ProcessEnv;
  const site = (args: string[]) => runSite(args, { cwd: project.dir, env });
  const configure = (instance: string) =>
    writeFileSync(
      path.join(project.dir, 'site.config.yaml'),
      `name: switch-cafe\ninstance:\n  ${instance}\n`,
    );

  /** Requests through the load balancer every 25 ms while `during` runs: their statuses. */
  const probed = async <T>(dataPlane: string, during: () => Promise<T>) => {
    const answers: number[] = [];
    let probing = true;
    const probe = (async () => {
      while (probing) {
        answers.push((await fetch(dataPlane).catch(() => ({ status: 0 }))).status);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    try {
      return { value: await during(), answers };
    } finally {
      probing = false;
      await probe;
    }
  };
  /** The calls of site (signed "test") with these actions, in order, from the simulator's call log. */
  const calls = (since: number, ...actions: string[]): CallRecord[] =>
    sim.calls.slice(since).filter((c) => actions.includes(c.action) && !c.error);
  /** The instance ids a call named (TerminateInstances' InstanceIds, DeregisterTargets' Targets). */
  const instanceIdsOf = (call: CallRecord): string[] =>
    JSON.stringify(call.params).match(/\bi-[0-9a-f]+/g) ?? [];

  before(async () => {
    // An AWS second of 20 ms: a terminated target still registered gets requests for a health-check interval or
    // two (30 s → 0.6 s), long enough for the probe to see it fail; draining takes the deregistration delay.
    sim = await startSimulator({ profile: { ...profiles.fast, secondMs: 20 }, seed: 15 });
    project = tempProject();
    env = {
      ...project.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: sim.endpoint,
      SITE_CHECKIP_URL: `${sim.endpoint}/_sim/checkip`,
      SITE_SIMULATOR_ENDPOINT: sim.endpoint,
    };
  });
  after(async () => sim?.stop());

  it('count → scaling → count with no failed request; the instances that go are drained first', async () => {
    configure('count: 2');
    const first = await site(['deploy', '--yes', '--json']);
    assert.equal(first.code, 0, first.stderr);
    const fixed: string[] = json(first.stdout).result.resources['compute.instances'].instanceIds;
    const dataPlane = sim.dataPlaneUrl(new URL(json(first.stdout).result.url).hostname)!;

    // count → scaling: the group serves, then the fixed instances are deregistered, drained, terminated.
    configure('scaling: { min: 2, max: 4 }');
    let since = sim.calls.length;
    const toGroup = await probed(dataPlane, () => site(['deploy', '--yes', '--json']));
    assert.equal(toGroup.value.code, 0, toGroup.value.stderr);
    assert.ok(toGroup.answers.length > 10, 'the site was probed throughout');
    assert.deepEqual([...new Set(toGroup.answers)], [200], 'no failed request moving to the group');
    const grouped: string[] = json(toGroup.value.stdout).result.resources['autoscaling.group'].instanceIds;
    assert.equal(grouped.length, 2);
    assert.ok(grouped.every((id) => !fixed.includes(id)));
    const order = calls(since, 'DeregisterTargets', 'TerminateInstances');
    for (const id of fixed) {
      const deregistered = order.findIndex(
        (c) => c.action === 'DeregisterTargets' && instanceIdsOf(c).includes(id),
      );
      const terminated = order.findIndex(
        (c) => c.action === 'TerminateInstances' && instanceIdsOf(c).includes(id),
      );
      assert.ok(
        deregistered >= 0 && terminated > deregistered,
        `${id} deregistered before it was terminated`,
      );
    }

    // scaling → count: fixed instances serve, then the group (and its instances) go.
    configure('count: 2');
    since = sim.calls.length;
    const toCount = await probed(dataPlane, () => site(['deploy', '--yes', '--json']));
    assert.equal(toCount.value.code, 0, toCount.value.stderr);
    assert.ok(toCount.answers.length > 10, 'the site was probed throughout');
    assert.deepEqual(
      [...new Set(toCount.answers)],
      [200],
      'no failed request moving back to fixed instances',
    );
    assert.equal(json(toCount.value.stdout).result.resources['compute.instances'].instanceIds.length, 2);
    assert.equal(calls(since, 'DeleteAutoScalingGroup').length, 1);

    const destroyed = await site(['destroy', '--yes']);
    assert.equal(destroyed.code, 0, destroyed.stderr);
  });
});
