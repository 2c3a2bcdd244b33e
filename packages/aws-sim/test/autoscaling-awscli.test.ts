import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { startSimulator, type Simulator } from '../src/index.js';
import { until } from './helpers.js';

const AWS = '/usr/bin/aws';
const run = promisify(execFile);

describe('AWS CLI v2 drives Auto Scaling on the simulator', function () {
  // Every call starts a Python process: generous for a loaded 2-core machine.
  this.timeout(180_000);
  let sim: Simulator;
  before(async function () {
    if (!existsSync(AWS)) this.skip();
    sim = await startSimulator({ profile: 'fast' });
  });
  after(() => sim?.stop());

  async function aws(...args: string[]): Promise<any> {
    const { stdout } = await run(AWS, [...args, '--endpoint-url', sim.endpoint, '--output', 'json'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_PAGER: '',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    });
    return stdout.trim() ? JSON.parse(stdout) : {};
  }

  /** The aws CLI's answer to a refused call: its error code, from stderr. */
  async function refusal(...args: string[]): Promise<string> {
    try {
      await aws(...args);
    } catch (e) {
      return /An error occurred \((\w+)\)/.exec(String((e as { stderr?: string }).stderr))?.[1] ?? String(e);
    }
    throw new Error('expected the call to fail');
  }

  it('creates a group from a launch template, heals a terminated instance, and deletes it', async () => {
    const subnets = (await aws('ec2', 'describe-subnets')).Subnets.slice(0, 2).map((s: any) => s.SubnetId);
    const images = await aws(
      'ec2',
      'describe-images',
      '--owners',
      'amazon',
      '--filters',
      'Name=name,Values=al2023-ami-2023.*-x86_64',
    );
    const lt = await aws(
      'ec2',
      'create-launch-template',
      '--launch-template-name',
      'cli-web',
      '--launch-template-data',
      JSON.stringify({ ImageId: images.Images[0].ImageId, InstanceType: 't3.micro' }),
    );
    assert.equal(lt.LaunchTemplate.LatestVersionNumber, 1);
    await aws(
      'autoscaling',
      'create-auto-scaling-group',
      '--auto-scaling-group-name',
      'cli-asg',
      '--launch-template',
      `LaunchTemplateId=${lt.LaunchTemplate.LaunchTemplateId},Version=$Latest`,
      '--min-size',
      '2',
      '--max-size',
      '3',
      '--vpc-zone-identifier',
      subnets.join(','),
    );
    const described = await aws(
      'autoscaling',
      'describe-auto-scaling-groups',
      '--auto-scaling-group-names',
      'cli-asg',
    );
    const group = described.AutoScalingGroups[0];
    assert.equal(group.DesiredCapacity, 2);
    assert.equal(group.Instances.length, 2);
    const victim = group.Instances[0].InstanceId;
    await aws('ec2', 'terminate-instances', '--instance-ids', victim);
    // The group notices on its own and launches a replacement: nothing but looking is needed.
    const healed = await until(
      () => aws('autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', 'cli-asg'),
      (d) =>
        d.AutoScalingGroups[0].Instances.filter(
          (i: any) => i.LifecycleState === 'InService' && i.InstanceId !== victim,
        ).length === 2,
      60_000,
      200,
    );
    assert.ok(
      !healed.AutoScalingGroups[0].Instances.some(
        (i: any) => i.InstanceId === victim && i.LifecycleState === 'InService',
      ),
    );
    const acts = await aws(
      'autoscaling',
      'describe-scaling-activities',
      '--auto-scaling-group-name',
      'cli-asg',
    );
    assert.ok(
      acts.Activities.some((a: any) => /EC2 health check indicating it has been terminated/.test(a.Cause)),
    );
    assert.equal(
      await refusal(
        'autoscaling',
        'set-desired-capacity',
        '--auto-scaling-group-name',
        'cli-asg',
        '--desired-capacity',
        '9',
      ),
      'ValidationError',
    );
    assert.equal(
      await refusal('autoscaling', 'delete-auto-scaling-group', '--auto-scaling-group-name', 'cli-asg'),
      'ResourceInUse',
    );
    await aws(
      'autoscaling',
      'delete-auto-scaling-group',
      '--auto-scaling-group-name',
      'cli-asg',
      '--force-delete',
    );
    await until(
      () => aws('autoscaling', 'describe-auto-scaling-groups'),
      (d) => d.AutoScalingGroups.length === 0,
      60_000,
      200,
    );
    await aws('ec2', 'delete-launch-template', '--launch-template-id', lt.LaunchTemplate.LaunchTemplateId);
  });
});
