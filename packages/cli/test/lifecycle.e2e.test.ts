import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  EC2Client,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startSimulator, type Simulator } from '@site-cli/aws-sim';
import { runSite, tempProject } from './run-site.js';

// The SDK warns on Node 20 about releases after January 2027; the lockfile pins the ones we test.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Everything in the simulated account that carries `site:name = site` and is not gone. */
async function leftovers(sim: Simulator, site: string): Promise<string[]> {
  const ec2 = new EC2Client({ region: 'us-east-1', endpoint: sim.endpoint, credentials });
  const elbv2 = new ElasticLoadBalancingV2Client({
    region: 'us-east-1',
    endpoint: sim.endpoint,
    credentials,
  });
  const byTag = [{ Name: 'tag:site:name', Values: [site] }];
  const found: string[] = [];
  const reservations = await ec2.send(
    new DescribeInstancesCommand({
      Filters: [
        ...byTag,
        {
          Name: 'instance-state-name',
          Values: ['pending', 'running', 'stopping', 'stopped', 'shutting-down'],
        },
      ],
    }),
  );
  for (const r of reservations.Reservations ?? [])
    for (const i of r.Instances ?? []) found.push(i.InstanceId!);
  for (const g of (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: byTag }))).SecurityGroups ??
    [])
    found.push(g.GroupId!);
  for (const k of (await ec2.send(new DescribeKeyPairsCommand({ Filters: byTag }))).KeyPairs ?? [])
    found.push(k.KeyName!);
  const arns = [
    ...((await elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).map(
      (lb) => lb.LoadBalancerArn!,
    ),
    ...((await elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []).map(
      (tg) => tg.TargetGroupArn!,
    ),
  ];
  if (arns.length > 0) {
    const tags = await elbv2.send(new DescribeTagsCommand({ ResourceArns: arns }));
    for (const d of tags.TagDescriptions ?? []) {
      if (d.Tags?.some((t) => t.Key === 'site:name' && t.Value === site)) found.push(d.ResourceArn!);
    }
  }
  return found;
}

const json = (stdout: string) => JSON.parse(stdout) as { status: number; result: any; error?: any };

describe('site end to end against aws-sim', function () {
  this.timeout(180_000);
  let sim: Simulator;
  let project: ReturnType<typeof tempProject>;
  let env: NodeJS.ProcessEnv;
  const site = (args: string[]) => runSite(args, { cwd: project.dir, env });

  before(async () => {
    sim = await startSimulator({ profile: 'fast', seed: 7 });
    project = tempProject();
    env = {
      ...project.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: sim.endpoint,
      SITE_CHECKIP_URL: `${sim.endpoint}/_sim/checkip`,
      // The endpoint is aws-sim: deploy's final HTTP check goes through its data plane, as in the sandbox.
      SITE_SIMULATOR_ENDPOINT: sim.endpoint,
    };
    writeFileSync(path.join(project.dir, 'other.yaml'), 'name: other-site\ntags: { Team: neighbours }\n');
  });
  after(async () => sim?.stop());

  it('deploys, reports, re-deploys without a change, replaces, and destroys to nothing — leaving a second site alone', async () => {
    // A second site in the same account, deployed first.
    const other = await site(['deploy', '--yes', '--json', '--config', 'other.yaml']);
    assert.equal(other.code, 0, other.stderr);
    const otherBefore = await leftovers(sim, 'other-site');
    assert.ok(otherBefore.length >= 6, `the other site exists: ${otherBefore.join(', ')}`);

    // deploy
    const first = await site(['deploy', '--yes', '--json']);
    assert.equal(first.code, 0, first.stderr);
    const deployed = json(first.stdout).result;
    assert.equal(deployed.changed, true);
    assert.match(deployed.url, /^http:\/\/barista-cafe-alb-\d+\.us-east-1\.elb\.aws-sim\.invalid\/$/);
    const page = await fetch(sim.dataPlaneUrl(new URL(deployed.url).hostname)!);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /barista_cafe/);
    assert.ok(deployed.resources['compute.instances'].instanceIds.length === 1);
    assert.equal(deployed.resources['alb.site-health'].http, 200, 'site itself saw the 200 (data plane)');

    // status
    const status = await site(['status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(json(status.stdout).result.url, deployed.url);
    const states = json(status.stdout).result.resources.flatMap((group: any) =>
      group.rows.map((row: any) => `${group.resourceId}=${row.state}`),
    );
    assert.ok(states.includes('alb.load-balancer=active'), states.join(' '));
    assert.ok(
      states.some((s: string) => s.startsWith('compute.instances=running')),
      states.join(' '),
    );

    // deploy again: not one mutating call, few calls in all (issue 7: ≤ 12), and it says so
    const mutatingBefore = sim.mutatingCalls().length;
    const callsBefore = sim.calls.length;
    const again = await site(['deploy', '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout + again.stderr, /No changes/);
    assert.deepEqual(
      sim
        .mutatingCalls()
        .slice(mutatingBefore)
        .map((c) => c.action),
      [],
    );
    const noopCalls = sim.calls.slice(callsBefore).map((c) => c.action);
    assert.ok(
      noopCalls.length <= 12,
      `a no-op re-deploy made ${noopCalls.length} calls: ${noopCalls.join(', ')}`,
    );

    // change the template: the plan shows the instances change, and the site keeps answering
    writeFileSync(
      path.join(project.dir, 'site.config.yaml'),
      'template: { id: "2135", name: mini_finance }\n',
    );
    const plan = await site(['plan', '--json']);
    assert.equal(plan.code, 3, plan.stderr);
    const instancesStep = json(plan.stdout).result.steps.find(
      (s: any) => s.resourceId === 'compute.instances',
    );
    assert.match(instancesStep.action, /update|replace/);
    assert.match(instancesStep.reason, /template|fingerprint|user data/);

    const dataPlane = sim.dataPlaneUrl(new URL(deployed.url).hostname)!;
    const answers: number[] = [];
    let probing = true;
    const probe = (async () => {
      while (probing) {
        answers.push((await fetch(dataPlane).catch(() => ({ status: 0 }))).status);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const replaced = await site(['deploy', '--yes', '--json']);
    probing = false;
    await probe;
    assert.equal(replaced.code, 0, replaced.stderr);
    assert.ok(answers.length > 10, 'the site was probed throughout');
    assert.deepEqual([...new Set(answers)], [200], 'the site answered 200 throughout the replacement');
    assert.match(await (await fetch(dataPlane)).text(), /mini_finance/);
    const newIds = json(replaced.stdout).result.resources['compute.instances'].instanceIds;
    assert.notDeepEqual(newIds, deployed.resources['compute.instances'].instanceIds);

    // destroy: nothing of the site is left; the other site is untouched
    const destroyed = await site(['destroy', '--yes']);
    assert.equal(destroyed.code, 0, destroyed.stderr);
    assert.match(destroyed.stdout, /Nothing of barista-cafe is left/);
    assert.deepEqual(await leftovers(sim, 'barista-cafe'), []);
    assert.deepEqual((await leftovers(sim, 'other-site')).sort(), otherBefore.sort());

    const otherDestroyed = await site(['destroy', '--yes', '--config', 'other.yaml']);
    assert.equal(otherDestroyed.code, 0, otherDestroyed.stderr);
    assert.deepEqual(await leftovers(sim, 'other-site'), []);
  });
});
