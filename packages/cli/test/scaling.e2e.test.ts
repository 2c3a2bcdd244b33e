import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSimulator, type Simulator } from '@site-cli/aws-sim';
import { awsCli } from './moto/moto.js';
import { runSite, tempProject } from './run-site.js';

/**
 * A site on an Auto Scaling group (instance.scaling) end to end against aws-sim, read back with the AWS CLI v2:
 * deploy 2, heal an instance terminated behind site's back, scale to 4, roll a template change with no failed
 * request, destroy to nothing.
 */

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const json = (stdout: string) => JSON.parse(stdout) as { status: number; result: any; error?: any };
const LIVE = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];

describe('a scaling site end to end against aws-sim', function () {
  this.timeout(300_000);
  let sim: Simulator;
  let project: ReturnType<typeof tempProject>;
  let env: NodeJS.ProcessEnv;
  let aws: Awaited<ReturnType<typeof awsCli>>;
  const site = (args: string[]) => runSite(args, { cwd: project.dir, env });
  const writeConfig = (extra = '') =>
    writeFileSync(
      path.join(project.dir, 'site.config.yaml'),
      `name: scaling-cafe\ninstance:\n  scaling: { min: 2, max: 4 }\n${extra}`,
    );
  const group = async () =>
    (
      await aws(
        'autoscaling',
        'describe-auto-scaling-groups',
        '--auto-scaling-group-names',
        'scaling-cafe-asg',
      )
    ).AutoScalingGroups[0];
  const inService = (g: any) =>
    (g?.Instances ?? []).filter((i: any) => i.LifecycleState === 'InService' && i.HealthStatus === 'Healthy');
  /** Poll (with a deadline, never a fixed sleep) until `check` holds. */
  const eventually = async <T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  before(async () => {
    sim = await startSimulator({ profile: 'fast', seed: 14 });
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
    aws = await awsCli(sim.endpoint);
  });
  after(async () => sim?.stop());

  it('deploys 2 healthy, heals a terminated one without site, scales to 4, rolls a template change without a failed request, destroys to nothing', async () => {
    writeConfig();
    const first = await site(['deploy', '--yes', '--json']);
    assert.equal(first.code, 0, first.stderr);
    const deployed = json(first.stdout).result;
    const dataPlane = sim.dataPlaneUrl(new URL(deployed.url).hostname)!;
    assert.equal((await fetch(dataPlane)).status, 200);
    let asg = await group();
    assert.equal(asg.DesiredCapacity, 2);
    assert.equal(inService(asg).length, 2);
    const [targetGroup] = (await aws('elbv2', 'describe-target-groups', '--names', 'scaling-cafe-tg'))
      .TargetGroups;
    const healthy = async (count: number) => {
      const health = (
        await aws('elbv2', 'describe-target-health', '--target-group-arn', targetGroup.TargetGroupArn)
      ).TargetHealthDescriptions;
      const ids = health.filter((h: any) => h.TargetHealth.State === 'healthy').map((h: any) => h.Target.Id);
      return ids.length === count ? ids : undefined;
    };
    assert.ok(await healthy(2), 'both instances healthy behind the load balancer');

    // heal: terminate one behind site's back; the site keeps answering and the group replaces it
    const victim = inService(asg)[0].InstanceId;
    await aws('ec2', 'terminate-instances', '--instance-ids', victim);
    assert.equal((await fetch(dataPlane)).status, 200, 'the other instance still serves');
    await eventually('the group to heal', async () => {
      const g = await group();
      const ids = inService(g).map((i: any) => i.InstanceId);
      return ids.length === 2 && !ids.includes(victim) ? g : undefined;
    });
    await eventually('two healthy targets again', () => healthy(2));

    // scale: 4 in service and healthy when the command returns
    const scaled = await site(['scale', '4', '--json']);
    assert.equal(scaled.code, 0, scaled.stderr);
    assert.deepEqual(json(scaled.stdout).result.after, { min: 2, desired: 4, max: 4 });
    assert.equal(inService(await group()).length, 4);
    assert.ok(await healthy(4), 'four healthy targets when site scale returns');

    // status shows the group and its instances
    const status = await site(['status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    const rows = json(status.stdout).result.resources.flatMap((g: any) => g.rows);
    assert.ok(
      rows.some((r: any) => r.name === 'auto scaling group' && r.state === '2/4/4'),
      JSON.stringify(rows),
    );
    const members = rows.filter((r: any) => r.name === 'group instance');
    assert.deepEqual(
      members.map((r: any) => [r.state, r.detail.split(',')[0]]),
      Array.from({ length: 4 }, () => ['InService', 'Healthy']),
      'each instance with its lifecycle state and health',
    );
    // The last scaling activities, with AWS's own Cause ("At <time> a user request explicitly set group desired…").
    const activities = rows.filter((r: any) => r.name === 'scaling activity');
    assert.ok(activities.length > 0, JSON.stringify(rows));
    assert.ok(
      activities.every((r: any) => /— At \d{4}-\d\d-\d\dT/.test(r.detail)),
      JSON.stringify(activities),
    );
    assert.ok(
      activities.some((r: any) => /desired capacity from 2 to 4/.test(r.detail)),
      JSON.stringify(activities),
    );

    // site alb status: the group behind the target group, its instances, and the last activities with AWS's cause
    const albStatus = await site(['alb', 'status', '--json']);
    assert.equal(albStatus.code, 0, albStatus.stderr);
    const [behind] = json(albStatus.stdout).result.scalingGroups;
    assert.deepEqual([behind.name, behind.min, behind.desired, behind.max], ['scaling-cafe-asg', 2, 4, 4]);
    assert.deepEqual(
      behind.instances.map((i: any) => [i.lifecycleState, i.healthStatus]),
      Array.from({ length: 4 }, () => ['InService', 'Healthy']),
    );
    assert.ok(
      behind.activities.length > 0 && behind.activities.every((a: any) => /^At \d{4}-/.test(a.cause)),
      JSON.stringify(behind.activities),
    );

    // a template change rolls through with an instance refresh; a probe sees no failed request
    writeConfig('template: { id: "2135", name: mini_finance }\n');
    const answers: number[] = [];
    let probing = true;
    const probe = (async () => {
      while (probing) {
        answers.push((await fetch(dataPlane).catch(() => ({ status: 0 }))).status);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const refreshed = await site(['deploy', '--yes', '--json']);
    probing = false;
    await probe;
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.ok(answers.length > 10, 'the site was probed throughout');
    assert.deepEqual([...new Set(answers)], [200], 'no failed request during the refresh');
    assert.match(await (await fetch(dataPlane)).text(), /mini_finance/);
    asg = await group();
    assert.equal(asg.LaunchTemplate.Version, '2');
    assert.ok(
      inService(asg).every((i: any) => i.LaunchTemplate?.Version === '2'),
      JSON.stringify(asg.Instances),
    );
    const refreshes = (
      await aws('autoscaling', 'describe-instance-refreshes', '--auto-scaling-group-name', 'scaling-cafe-asg')
    ).InstanceRefreshes;
    assert.equal(refreshes.length, 1, 'one refresh');
    assert.equal(refreshes[0].Status, 'Successful');
    assert.equal(refreshes[0].Preferences.MinHealthyPercentage, 100);

    // destroy: the group, its instances, the template — nothing left
    const destroyed = await site(['destroy', '--yes']);
    assert.equal(destroyed.code, 0, destroyed.stderr);
    assert.equal(await group(), undefined);
    const live = (
      await aws(
        'ec2',
        'describe-instances',
        '--filters',
        'Name=tag:site:name,Values=scaling-cafe',
        `Name=instance-state-name,Values=${LIVE.join(',')}`,
      )
    ).Reservations.flatMap((r: any) => r.Instances);
    assert.deepEqual(live, []);
    const templates = (await aws('ec2', 'describe-launch-templates')).LaunchTemplates;
    assert.deepEqual(templates, []);

    // Every call of the life cycle is an action `site iam-policy` grants (site signs with the key "test", the AWS
    // CLI reading back with "testing").
    const policy = json((await site(['iam-policy', '--json'])).stdout).result;
    const granted = new Set(policy.policy.Statement.flatMap((s: any) => s.Action));
    const prefix: Record<string, string> = {
      ec2: 'ec2',
      elbv2: 'elasticloadbalancing',
      autoscaling: 'autoscaling',
    };
    const made = new Set(
      sim.calls
        .filter((c) => c.accessKeyId === 'test')
        .map((c) => `${prefix[c.service] ?? c.service}:${c.action}`),
    );
    assert.deepEqual([...made].filter((action) => !granted.has(action)).sort(), [], 'every call is granted');
    for (const action of [
      'autoscaling:CreateAutoScalingGroup',
      'autoscaling:StartInstanceRefresh',
      'autoscaling:SetDesiredCapacity',
    ])
      assert.ok(made.has(action), `${action} was made`);
  });
});
