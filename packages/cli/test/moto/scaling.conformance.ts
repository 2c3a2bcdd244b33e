import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runSite, tempProject } from '../run-site.js';
import { awsCli, isMutating, recordingProxy, startMoto, type Moto } from './moto.js';

/**
 * Conformance: a site on an Auto Scaling group (instance.scaling) against moto — deploy, scale, switch to fixed
 * instances and back, destroy — each end state read back with the AWS CLI v2. moto has no instance refresh
 * and no health-based healing (docs/compatibility.md): those are the sandbox e2e suite's.
 */

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const LIVE = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];

describe('site scaling against moto (conformance)', function () {
  this.timeout(300_000);
  let moto: Moto;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let aws: Awaited<ReturnType<typeof awsCli>>;
  let project: ReturnType<typeof tempProject>;
  const name = `asg-${randomBytes(3).toString('hex')}`;
  const site = (...args: string[]) =>
    runSite([...args, '--endpoint-url', proxy.url], {
      cwd: project.dir,
      env: {
        ...project.env,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_REGION: 'us-east-1',
      },
    });
  const writeConfig = (instance: string) =>
    writeFileSync(
      path.join(project.dir, 'site.config.yaml'),
      `name: ${name}\nssh: { cidr: 203.0.113.7/32 }\ninstance: ${instance}\n`,
    );
  const groups = async () =>
    (await aws('autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', `${name}-asg`))
      .AutoScalingGroups;
  const liveInstances = async () =>
    (
      await aws(
        'ec2',
        'describe-instances',
        '--filters',
        `Name=tag:site:name,Values=${name}`,
        `Name=instance-state-name,Values=${LIVE.join(',')}`,
      )
    ).Reservations.flatMap((r: any) => r.Instances);
  const tag = (instance: any, key: string) => instance.Tags?.find((t: any) => t.Key === key)?.Value;

  before(async () => {
    moto = await startMoto();
    proxy = await recordingProxy(moto.url);
    aws = await awsCli(moto.url);
    project = tempProject();
  });
  after(async () => {
    await proxy?.close();
    await moto?.stop();
  });

  it('deploys a group of 2 behind the load balancer, scales it to 4, moves to fixed instances and back, and destroys to nothing', async () => {
    writeConfig('{ scaling: { min: 2, max: 4, cpuTarget: 50 } }');
    const first = await site('deploy', '--yes', '--json');
    assert.equal(first.code, 0, first.stderr);
    const deployed = JSON.parse(first.stdout);
    assert.equal(deployed.status, 0);

    let [group] = await groups();
    assert.equal(group.MinSize, 2);
    assert.equal(group.MaxSize, 4);
    assert.equal(group.DesiredCapacity, 2);
    assert.equal(group.HealthCheckType, 'ELB');
    assert.ok(group.HealthCheckGracePeriod >= 300);
    const [targetGroup] = (await aws('elbv2', 'describe-target-groups', '--names', `${name}-tg`))
      .TargetGroups;
    assert.deepEqual(group.TargetGroupARNs, [targetGroup.TargetGroupArn]);
    assert.equal(group.Instances.filter((i: any) => i.LifecycleState === 'InService').length, 2);
    const groupTags = Object.fromEntries(group.Tags.map((t: any) => [t.Key, t]));
    assert.equal(groupTags['site:name'].Value, name);
    assert.equal(groupTags['site:name'].PropagateAtLaunch, true);
    // The group's instances carry the site's tags (moto launches them without the template's key name: see
    // docs/compatibility.md), and the template holds what RunInstances gets: IMDSv2, key, group, encryption.
    const instances = await liveInstances();
    assert.equal(instances.length, 2);
    for (const instance of instances) {
      assert.equal(tag(instance, 'site:resource'), 'autoscaling.group');
      assert.equal(tag(instance, 'aws:autoscaling:groupName'), `${name}-asg`);
    }
    const [template] = (
      await aws('ec2', 'describe-launch-template-versions', '--launch-template-name', `${name}-lt`)
    ).LaunchTemplateVersions;
    assert.equal(template.LaunchTemplateData.MetadataOptions.HttpTokens, 'required');
    assert.equal(template.LaunchTemplateData.KeyName, `${name}-key`);
    const [instanceGroup] = (
      await aws('ec2', 'describe-security-groups', '--filters', `Name=group-name,Values=${name}-instance-sg`)
    ).SecurityGroups;
    assert.deepEqual(template.LaunchTemplateData.SecurityGroupIds, [instanceGroup.GroupId]);
    assert.equal(template.LaunchTemplateData.BlockDeviceMappings[0].Ebs.Encrypted, true);
    const [policy] = (
      await aws('autoscaling', 'describe-policies', '--auto-scaling-group-name', `${name}-asg`)
    ).ScalingPolicies;
    assert.equal(policy.PolicyType, 'TargetTrackingScaling');
    assert.equal(
      policy.TargetTrackingConfiguration.PredefinedMetricSpecification.PredefinedMetricType,
      'ASGAverageCPUUtilization',
    );
    assert.equal(policy.TargetTrackingConfiguration.TargetValue, 50);
    // The target group holds the group's instances, registered by the group, never by site.
    const health = (
      await aws('elbv2', 'describe-target-health', '--target-group-arn', targetGroup.TargetGroupArn)
    ).TargetHealthDescriptions;
    assert.deepEqual(
      health.map((h: any) => h.Target.Id).sort(),
      instances.map((i: any) => i.InstanceId).sort(),
    );

    // re-deploy: nothing to change, nothing mutated
    proxy.actions.length = 0;
    const again = await site('deploy', '--yes', '--json');
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(proxy.actions.filter(isMutating), []);

    // site scale: out of bounds is exit 2 and changes nothing; within them, 4 in service
    proxy.actions.length = 0;
    const refused = await site('scale', '5', '--json');
    assert.equal(refused.code, 2, refused.stderr);
    assert.equal(JSON.parse(refused.stdout).error.code, 'SCALE_OUT_OF_BOUNDS');
    assert.deepEqual(proxy.actions.filter(isMutating), []);
    const scaled = await site('scale', '4', '--json');
    assert.equal(scaled.code, 0, scaled.stderr);
    assert.deepEqual(JSON.parse(scaled.stdout).result.after, { min: 2, desired: 4, max: 4 });
    [group] = await groups();
    assert.equal(group.DesiredCapacity, 4);
    assert.equal(group.Instances.filter((i: any) => i.LifecycleState === 'InService').length, 4);

    // status --json: the group, its instances and their health
    const status = await site('status', '--json');
    assert.equal(status.code, 0, status.stderr);
    const rows = JSON.stringify(JSON.parse(status.stdout).result);
    assert.match(rows, /2\/4\/4/);
    assert.equal((rows.match(/InService/g) ?? []).length, 4);

    // to fixed instances: they come first, then the group (and its template and policy) goes
    writeConfig('{ count: 2 }');
    const toCount = await site('deploy', '--yes', '--json');
    assert.equal(toCount.code, 0, toCount.stderr);
    assert.deepEqual(await groups(), []);
    assert.deepEqual(
      (await liveInstances()).map((i: any) => tag(i, 'site:resource')),
      ['compute.instances', 'compute.instances'],
    );

    // and back: the group comes first, then the fixed instances go
    writeConfig('{ scaling: { min: 2, max: 4 } }');
    const toScaling = await site('deploy', '--yes', '--json');
    assert.equal(toScaling.code, 0, toScaling.stderr);
    assert.equal((await groups()).length, 1);
    assert.deepEqual(
      (await liveInstances()).map((i: any) => tag(i, 'site:resource')),
      ['autoscaling.group', 'autoscaling.group'],
    );

    // destroy: nothing left — group, its instances, template
    const destroyed = await site('destroy', '--yes', '--json');
    assert.equal(destroyed.code, 0, destroyed.stderr);
    assert.deepEqual(await groups(), []);
    assert.deepEqual(await liveInstances(), []);
    const templates = (await aws('ec2', 'describe-launch-templates')).LaunchTemplates.filter(
      (t: any) => t.LaunchTemplateName === `${name}-lt`,
    );
    assert.deepEqual(templates, []);
  });
});
