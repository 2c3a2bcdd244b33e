import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asg from '@aws-sdk/client-auto-scaling';
import * as ec2 from '@aws-sdk/client-ec2';
import * as elb from '@aws-sdk/client-elastic-load-balancing-v2';
import { ManualClock, startSimulator, type Simulator } from '../src/index.js';
import {
  al2023Image,
  clients,
  failure,
  HTTPD_USER_DATA,
  httpForwardListener,
  until,
  userData,
} from './helpers.js';

/**
 * A site's pieces (security group, launch template, target group, ALB with a forwarding listener) on the
 * realistic profile, driven by a manual clock: every timed step is the simulator's, none is waited for.
 */
async function site(sim: Simulator, clock: ManualClock) {
  const { ec2: e, elb: l } = clients(sim);
  const a = new asg.AutoScalingClient({
    endpoint: sim.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  const vpcId = (await e.send(new ec2.DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
  const subnets = (await e.send(new ec2.DescribeSubnetsCommand({}))).Subnets!.slice(0, 3);
  const sgId = (
    await e.send(new ec2.CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web', VpcId: vpcId }))
  ).GroupId!;
  const image = await al2023Image(e);
  const lt = (
    await e.send(
      new ec2.CreateLaunchTemplateCommand({
        LaunchTemplateName: 'site-web',
        LaunchTemplateData: {
          ImageId: image.ImageId,
          InstanceType: 't3.micro',
          SecurityGroupIds: [sgId],
          UserData: HTTPD_USER_DATA,
          MetadataOptions: { HttpTokens: 'required' },
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'site-web' }] }],
        },
      }),
    )
  ).LaunchTemplate!;
  const tg = (
    await l.send(
      new elb.CreateTargetGroupCommand({
        Name: 'site-tg',
        Protocol: 'HTTP',
        Port: 80,
        VpcId: vpcId,
        HealthCheckIntervalSeconds: 10,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 2,
      }),
    )
  ).TargetGroups![0]!;
  await l.send(
    new elb.ModifyTargetGroupAttributesCommand({
      TargetGroupArn: tg.TargetGroupArn,
      Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
    }),
  );
  const lb = (
    await l.send(
      new elb.CreateLoadBalancerCommand({
        Name: 'site-alb',
        Subnets: subnets.map((s) => s.SubnetId!),
        SecurityGroups: [sgId],
      }),
    )
  ).LoadBalancers![0]!;
  await httpForwardListener(l, lb.LoadBalancerArn, tg.TargetGroupArn);
  clock.advance(150_000); // the ALB is active
  return { e, l, a, lt, tg, lb, subnets, sgId, image };
}

type Site = Awaited<ReturnType<typeof site>>;

const group = async (s: Site, name = 'site-asg') =>
  (await s.a.send(new asg.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })))
    .AutoScalingGroups![0];

const healthyTargets = async (s: Site) =>
  (await s.l.send(new elb.DescribeTargetHealthCommand({ TargetGroupArn: s.tg.TargetGroupArn })))
    .TargetHealthDescriptions!.filter((d) => d.TargetHealth!.State === 'healthy')
    .map((d) => d.Target!.Id!);

async function createGroup(s: Site, extra: Partial<asg.CreateAutoScalingGroupCommandInput> = {}) {
  await s.a.send(
    new asg.CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'site-asg',
      LaunchTemplate: { LaunchTemplateId: s.lt.LaunchTemplateId, Version: '$Latest' },
      MinSize: 2,
      MaxSize: 4,
      VPCZoneIdentifier: s.subnets.map((x) => x.SubnetId).join(','),
      TargetGroupARNs: [s.tg.TargetGroupArn!],
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: 120,
      Tags: [
        { Key: 'site', Value: 'demo', PropagateAtLaunch: true },
        { Key: 'owner', Value: 'ops', PropagateAtLaunch: false },
      ],
      ...extra,
    }),
  );
}

describe('EC2 launch templates via the AWS SDK v3', () => {
  let sim: Simulator;
  let e: ec2.EC2Client;
  let imageId: string;
  before(async () => {
    sim = await startSimulator();
    e = clients(sim).ec2;
    imageId = (await al2023Image(e)).ImageId!;
  });
  after(() => sim.stop());

  it('keeps versions, resolves $Latest and $Default, moves the default and deletes', async () => {
    const lt = (
      await e.send(
        new ec2.CreateLaunchTemplateCommand({
          LaunchTemplateName: 'web',
          VersionDescription: 'first',
          LaunchTemplateData: { ImageId: imageId, InstanceType: 't3.micro' },
          TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'app', Value: 'site' }] }],
        }),
      )
    ).LaunchTemplate!;
    assert.match(lt.LaunchTemplateId!, /^lt-0[0-9a-f]{16}$/);
    assert.equal(lt.DefaultVersionNumber, 1);
    assert.deepEqual(lt.Tags, [{ Key: 'app', Value: 'site' }]);
    const v2 = (
      await e.send(
        new ec2.CreateLaunchTemplateVersionCommand({
          LaunchTemplateId: lt.LaunchTemplateId,
          SourceVersion: '1',
          LaunchTemplateData: { InstanceType: 't3.small' },
        }),
      )
    ).LaunchTemplateVersion!;
    assert.equal(v2.VersionNumber, 2);
    assert.equal(v2.DefaultVersion, false);
    // SourceVersion: the new version keeps what it does not override.
    assert.equal(v2.LaunchTemplateData!.ImageId, imageId);
    assert.equal(v2.LaunchTemplateData!.InstanceType, 't3.small');
    const resolve = async (v: string) =>
      (
        await e.send(
          new ec2.DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'web', Versions: [v] }),
        )
      ).LaunchTemplateVersions![0]!.VersionNumber;
    assert.equal(await resolve('$Latest'), 2);
    assert.equal(await resolve('$Default'), 1);
    await e.send(new ec2.ModifyLaunchTemplateCommand({ LaunchTemplateName: 'web', DefaultVersion: '2' }));
    assert.equal(await resolve('$Default'), 2);
    const listed = await e.send(new ec2.DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['web'] }));
    assert.equal(listed.LaunchTemplates![0]!.LatestVersionNumber, 2);
    assert.equal(listed.LaunchTemplates![0]!.DefaultVersionNumber, 2);
    await e.send(new ec2.DeleteLaunchTemplateCommand({ LaunchTemplateId: lt.LaunchTemplateId }));
    const gone = await failure(() =>
      e.send(new ec2.DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [lt.LaunchTemplateId!] })),
    );
    assert.equal(gone.name, 'InvalidLaunchTemplateId.NotFound');
  });

  it('refuses what AWS refuses, and takes at creation what it checks only at launch', async () => {
    const create = (name: string, data: ec2.RequestLaunchTemplateData = { ImageId: imageId }) =>
      e.send(new ec2.CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: data }));
    await create('dup');
    assert.equal(
      (await failure(() => create('dup'))).name,
      'InvalidLaunchTemplateName.AlreadyExistsException',
    );
    assert.equal((await failure(() => create('x'))).name, 'InvalidLaunchTemplateName.MalformedException');
    assert.equal(
      (await failure(() => create('bad-ud', { UserData: 'not base64!' }))).name,
      'InvalidUserData.Malformed',
    );
    // An AMI that does not exist is refused when something launches from the template, not now.
    await create('late-check', { ImageId: 'ami-0123456789abcdef0' });
    const missing = await failure(() =>
      e.send(new ec2.DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'dup', Versions: ['7'] })),
    );
    assert.equal(missing.name, 'InvalidLaunchTemplateId.VersionNotFound');
    const malformed = await failure(() =>
      e.send(new ec2.DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ['lt-nope'] })),
    );
    assert.equal(malformed.name, 'InvalidLaunchTemplateId.Malformed');
    const byName = await failure(() =>
      e.send(new ec2.DeleteLaunchTemplateCommand({ LaunchTemplateName: 'never-made' })),
    );
    assert.equal(byName.name, 'InvalidLaunchTemplateName.NotFoundException');
    const dry = await failure(() =>
      e.send(
        new ec2.CreateLaunchTemplateCommand({
          LaunchTemplateName: 'dry',
          LaunchTemplateData: { ImageId: imageId },
          DryRun: true,
        }),
      ),
    );
    assert.equal(dry.name, 'DryRunOperation');
  });
});

describe('EC2 Auto Scaling via the AWS SDK v3', () => {
  let sim: Simulator;
  let clock: ManualClock;
  let s: Site;
  beforeEach(async () => {
    clock = new ManualClock();
    sim = await startSimulator({ profile: 'realistic', clock });
    s = await site(sim, clock);
  });
  afterEach(() => sim.stop());

  it('launches to the desired capacity across zones, from the template, into the target group', async () => {
    await createGroup(s);
    const g = (await group(s))!;
    assert.equal(g.DesiredCapacity, 2);
    assert.equal(g.Instances!.length, 2);
    assert.deepEqual(
      g.Instances!.map((i) => i.LifecycleState),
      ['Pending', 'Pending'],
    );
    assert.equal(new Set(g.Instances!.map((i) => i.AvailabilityZone)).size, 2);
    assert.match(
      g.ServiceLinkedRoleARN!,
      /role\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling$/,
    );
    const ids = g.Instances!.map((i) => i.InstanceId!);
    const reservations = await s.e.send(new ec2.DescribeInstancesCommand({ InstanceIds: ids }));
    for (const inst of reservations.Reservations!.flatMap((r) => r.Instances!)) {
      assert.equal(inst.ImageId, s.image.ImageId);
      assert.equal(inst.InstanceType, 't3.micro');
      assert.deepEqual(
        inst.SecurityGroups!.map((x) => x.GroupId),
        [s.sgId],
      );
      assert.equal(inst.MetadataOptions!.HttpTokens, 'required');
      const tags = Object.fromEntries(inst.Tags!.map((t) => [t.Key, t.Value]));
      assert.deepEqual(tags, {
        Name: 'site-web',
        'aws:autoscaling:groupName': 'site-asg',
        'aws:ec2launchtemplate:id': s.lt.LaunchTemplateId,
        'aws:ec2launchtemplate:version': '1',
        site: 'demo',
      });
    }
    clock.advance(15_000); // running: registered, InService
    assert.deepEqual(
      (await group(s))!.Instances!.map((i) => i.LifecycleState),
      ['InService', 'InService'],
    );
    clock.advance(80_000); // httpd up at 60 s, two passing checks 10 s apart
    assert.deepEqual((await healthyTargets(s)).sort(), [...ids].sort());
    assert.equal((await fetch(sim.dataPlaneUrl(s.lb.DNSName!)!)).status, 200);
    const acts = (
      await s.a.send(new asg.DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'site-asg' }))
    ).Activities!;
    assert.equal(acts.length, 2);
    for (const act of acts) {
      assert.equal(act.StatusCode, 'Successful');
      assert.match(act.Description!, /^Launching a new EC2 instance: i-0[0-9a-f]{16}$/);
      assert.match(
        act.Cause!,
        /^At \S+Z a user request created an AutoScalingGroup changing the desired capacity from 0 to 2\. {2}At \S+Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 2\.$/,
      );
    }
    const described = await s.a.send(new asg.DescribeAutoScalingInstancesCommand({ InstanceIds: [ids[0]!] }));
    assert.equal(described.AutoScalingInstances![0]!.AutoScalingGroupName, 'site-asg');
    assert.equal(described.AutoScalingInstances![0]!.HealthStatus, 'Healthy');
  });

  it('replaces an instance terminated behind its back, and one whose target fails its health checks', async () => {
    await createGroup(s);
    clock.advance(100_000);
    const [victim, survivor] = (await group(s))!.Instances!.map((i) => i.InstanceId!);
    await s.e.send(new ec2.TerminateInstancesCommand({ InstanceIds: [victim!] }));
    clock.advance(1_000);
    const healed = (await group(s))!;
    const now = healed.Instances!.filter((i) => i.LifecycleState !== 'Terminating');
    assert.equal(now.length, 2);
    assert.ok(now.some((i) => i.InstanceId === survivor));
    assert.ok(!now.some((i) => i.InstanceId === victim));
    const acts = (
      await s.a.send(new asg.DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'site-asg' }))
    ).Activities!;
    assert.match(
      acts.find((x) => x.Description === `Terminating EC2 instance: ${victim}`)!.Cause!,
      /in response to an EC2 health check indicating it has been terminated or stopped\.$/,
    );
    clock.advance(100_000);
    assert.equal((await healthyTargets(s)).length, 2);

    // A template version whose instances never serve: after the grace period the ELB check replaces them.
    await s.e.send(
      new ec2.CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: s.lt.LaunchTemplateId,
        SourceVersion: '1',
        LaunchTemplateData: { UserData: userData('#!/bin/bash\necho no web server\n') },
      }),
    );
    await s.a.send(
      new asg.SetDesiredCapacityCommand({ AutoScalingGroupName: 'site-asg', DesiredCapacity: 3 }),
    );
    const broken = (await group(s))!.Instances!.find((i) => i.LaunchTemplate!.Version === '2')!.InstanceId!;
    clock.advance(15_000 + 120_000 + 30_000);
    const after = (await group(s))!;
    assert.ok(!after.Instances!.some((i) => i.InstanceId === broken && i.LifecycleState === 'InService'));
    const cause = (
      await s.a.send(new asg.DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'site-asg' }))
    ).Activities!.find((x) => x.Description === `Terminating EC2 instance: ${broken}`)!.Cause!;
    assert.match(cause, /in response to an ELB system health check failure\.$/);
  });

  it('sets the desired capacity within the bounds, and scales in', async () => {
    await createGroup(s);
    await s.a.send(
      new asg.SetDesiredCapacityCommand({ AutoScalingGroupName: 'site-asg', DesiredCapacity: 4 }),
    );
    assert.equal((await group(s))!.Instances!.length, 4);
    const above = await failure(() =>
      s.a.send(new asg.SetDesiredCapacityCommand({ AutoScalingGroupName: 'site-asg', DesiredCapacity: 5 })),
    );
    assert.equal(above.name, 'ValidationError');
    assert.equal(
      above.message,
      'New SetDesiredCapacity value 5 is above max value 4 for the AutoScalingGroup.',
    );
    const below = await failure(() =>
      s.a.send(new asg.SetDesiredCapacityCommand({ AutoScalingGroupName: 'site-asg', DesiredCapacity: 1 })),
    );
    assert.equal(below.name, 'ValidationError');
    clock.advance(100_000);
    await s.a.send(
      new asg.SetDesiredCapacityCommand({ AutoScalingGroupName: 'site-asg', DesiredCapacity: 2 }),
    );
    const g = (await group(s))!;
    assert.equal(g.Instances!.filter((i) => i.LifecycleState === 'InService').length, 2);
    assert.equal(g.Instances!.filter((i) => i.LifecycleState!.startsWith('Terminating')).length, 2);
    clock.advance(30_000 + 30_000 + 1_000); // drained (30 s), then shutting down (30 s)
    assert.equal((await group(s))!.Instances!.length, 2);
    const update = await failure(() =>
      s.a.send(new asg.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'site-asg', MinSize: 5 })),
    );
    assert.equal(update.message, 'Max bound, 4, must be greater than or equal to min bound, 5');
    await s.a.send(new asg.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'site-asg', MinSize: 3 }));
    assert.equal((await group(s))!.DesiredCapacity, 3);
  });

  it('refreshes instances launch-before-terminate, never below full healthy capacity', async () => {
    await createGroup(s);
    clock.advance(100_000);
    const old = (await group(s))!.Instances!.map((i) => i.InstanceId!);
    await s.e.send(
      new ec2.CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: s.lt.LaunchTemplateId,
        SourceVersion: '1',
        LaunchTemplateData: { InstanceType: 't3.small' },
      }),
    );
    const { InstanceRefreshId } = await s.a.send(
      new asg.StartInstanceRefreshCommand({
        AutoScalingGroupName: 'site-asg',
        Preferences: { MinHealthyPercentage: 100, MaxHealthyPercentage: 200, InstanceWarmup: 0 },
      }),
    );
    const again = await failure(() =>
      s.a.send(new asg.StartInstanceRefreshCommand({ AutoScalingGroupName: 'site-asg' })),
    );
    assert.equal(again.name, 'InstanceRefreshInProgressFault');
    let status = '';
    for (let t = 0; t < 600 && status !== 'Successful'; t += 5) {
      clock.advance(5_000);
      assert.ok((await healthyTargets(s)).length >= 2, `healthy capacity fell below 2 at ${t} s`);
      const r = (
        await s.a.send(new asg.DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'site-asg' }))
      ).InstanceRefreshes![0]!;
      assert.equal(r.InstanceRefreshId, InstanceRefreshId);
      status = r.Status!;
    }
    assert.equal(status, 'Successful');
    const g = (await group(s))!;
    const live = g.Instances!.filter((i) => i.LifecycleState === 'InService');
    assert.equal(live.length, 2);
    for (const i of live) {
      assert.ok(!old.includes(i.InstanceId!));
      assert.equal(i.InstanceType, 't3.small');
      assert.equal(i.LaunchTemplate!.Version, '2');
    }
    const none = await failure(() =>
      s.a.send(new asg.CancelInstanceRefreshCommand({ AutoScalingGroupName: 'site-asg' })),
    );
    assert.equal(none.name, 'ActiveInstanceRefreshNotFoundFault');
    const bad = await failure(() =>
      s.a.send(
        new asg.StartInstanceRefreshCommand({
          AutoScalingGroupName: 'site-asg',
          Preferences: { MinHealthyPercentage: 50, MaxHealthyPercentage: 250 },
        }),
      ),
    );
    assert.equal(bad.name, 'ValidationError');
  });

  it('deletes a group only with its instances gone or forced, and then terminates them', async () => {
    await createGroup(s);
    const ids = (await group(s))!.Instances!.map((i) => i.InstanceId!);
    const inUse = await failure(() =>
      s.a.send(new asg.DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'site-asg' })),
    );
    assert.equal(inUse.name, 'ResourceInUseFault');
    await s.a.send(
      new asg.UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: 'site-asg',
        MinSize: 0,
        DesiredCapacity: 0,
      }),
    );
    const busy = await failure(() =>
      s.a.send(new asg.DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'site-asg' })),
    );
    assert.equal(busy.name, 'ScalingActivityInProgressFault');
    await s.a.send(
      new asg.DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'site-asg', ForceDelete: true }),
    );
    assert.equal((await group(s))!.Status, 'Delete in progress');
    clock.advance(31_000);
    assert.equal(await group(s), undefined);
    const states = (
      await s.e.send(new ec2.DescribeInstancesCommand({ InstanceIds: ids }))
    ).Reservations!.flatMap((r) => r.Instances!.map((i) => i.State!.Name));
    assert.deepEqual(states, ['terminated', 'terminated']);
    const missing = await failure(() =>
      s.a.send(new asg.DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'site-asg' })),
    );
    assert.equal(missing.name, 'ValidationError');
  });

  it('refuses bad groups, and records a launch that fails with RunInstances’ reason', async () => {
    const refused = async (extra: Partial<asg.CreateAutoScalingGroupCommandInput>) =>
      (await failure(() => createGroup(s, extra))).message as string;
    assert.equal(
      await refused({ DesiredCapacity: 5 }),
      'Desired capacity:5 must be between the specified min size:2 and max size:4',
    );
    assert.match(
      await refused({ LaunchTemplate: { LaunchTemplateName: 'nope' } }),
      /^You must use a valid fully-formed launch template\./,
    );
    assert.match(await refused({ VPCZoneIdentifier: 'subnet-0000000000000000a' }), /does not exist/);
    assert.match(
      await refused({ TargetGroupARNs: [`${s.tg.TargetGroupArn}0`] }),
      /Target Groups may not be valid/,
    );
    assert.match(await refused({ HealthCheckType: 'PING' }), /health check type/);
    assert.match(await refused({ Tags: [{ Key: 'aws:x', Value: '1' }] }), /reserved/);
    await createGroup(s);
    assert.equal((await failure(() => createGroup(s))).name, 'AlreadyExistsFault');

    const bad = await s.e.send(
      new ec2.CreateLaunchTemplateCommand({
        LaunchTemplateName: 'no-ami',
        LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.micro' },
      }),
    );
    await createGroup(s, {
      AutoScalingGroupName: 'broken',
      LaunchTemplate: { LaunchTemplateId: bad.LaunchTemplate!.LaunchTemplateId },
      MinSize: 1,
    });
    const act = (await s.a.send(new asg.DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'broken' })))
      .Activities![0]!;
    assert.equal(act.StatusCode, 'Failed');
    assert.equal(act.StatusMessage, "The image id '[ami-0123456789abcdef0]' does not exist");
    assert.equal((await group(s, 'broken'))!.Instances!.length, 0);
  });

  it('needs iam:CreateServiceLinkedRole for the account’s first group', async () => {
    sim.setFaults({ deny: { 'iam:CreateServiceLinkedRole': 'AccessDenied' } });
    const denied = await failure(() => createGroup(s));
    assert.equal(denied.name, 'AccessDenied');
    assert.match(denied.message, /iam:CreateServiceLinkedRole/);
    assert.equal(await group(s), undefined);
  });

  it('stores target tracking policies, checking the request-count label', async () => {
    await createGroup(s);
    const put = await s.a.send(
      new asg.PutScalingPolicyCommand({
        AutoScalingGroupName: 'site-asg',
        PolicyName: 'cpu',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
          TargetValue: 50,
        },
      }),
    );
    assert.match(
      put.PolicyARN!,
      /^arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:[0-9a-f-]{36}:autoScalingGroupName\/site-asg:policyName\/cpu$/,
    );
    assert.equal(put.Alarms!.length, 2);
    const tgPart = s.tg.TargetGroupArn!.split(':').at(-1)!;
    const lbPart = s.lb.LoadBalancerArn!.split(':loadbalancer/').at(-1)!;
    const request = (label: string) =>
      s.a.send(
        new asg.PutScalingPolicyCommand({
          AutoScalingGroupName: 'site-asg',
          PolicyName: 'requests',
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingConfiguration: {
            PredefinedMetricSpecification: {
              PredefinedMetricType: 'ALBRequestCountPerTarget',
              ResourceLabel: label,
            },
            TargetValue: 100,
          },
        }),
      );
    assert.equal((await failure(() => request('site-alb/site-tg'))).name, 'ValidationError');
    await request(`${lbPart}/${tgPart}`);
    const listed = await s.a.send(new asg.DescribePoliciesCommand({ AutoScalingGroupName: 'site-asg' }));
    assert.deepEqual(listed.ScalingPolicies!.map((p) => p.PolicyName).sort(), ['cpu', 'requests']);
    await s.a.send(new asg.DeletePolicyCommand({ AutoScalingGroupName: 'site-asg', PolicyName: 'cpu' }));
    const left = await s.a.send(new asg.DescribePoliciesCommand({ AutoScalingGroupName: 'site-asg' }));
    assert.deepEqual(
      left.ScalingPolicies!.map((p) => p.PolicyName),
      ['requests'],
    );
  });

  it('tags groups, and a user can terminate an instance with or without a replacement', async () => {
    await createGroup(s, { MinSize: 1, DesiredCapacity: 2 });
    await s.a.send(
      new asg.CreateOrUpdateTagsCommand({
        Tags: [
          {
            ResourceId: 'site-asg',
            ResourceType: 'auto-scaling-group',
            Key: 'site',
            Value: 'v2',
            PropagateAtLaunch: true,
          },
        ],
      }),
    );
    const tags = await s.a.send(
      new asg.DescribeTagsCommand({ Filters: [{ Name: 'auto-scaling-group', Values: ['site-asg'] }] }),
    );
    assert.deepEqual(
      tags.Tags!.map((t) => `${t.Key}=${t.Value}`),
      ['owner=ops', 'site=v2'],
    );
    await s.a.send(
      new asg.DeleteTagsCommand({
        Tags: [{ ResourceId: 'site-asg', ResourceType: 'auto-scaling-group', Key: 'owner' }],
      }),
    );
    assert.deepEqual(
      (await group(s))!.Tags!.map((t) => t.Key),
      ['site'],
    );
    clock.advance(20_000);
    const [first, second] = (await group(s))!.Instances!.map((i) => i.InstanceId!);
    const out = await s.a.send(
      new asg.TerminateInstanceInAutoScalingGroupCommand({
        InstanceId: first,
        ShouldDecrementDesiredCapacity: true,
      }),
    );
    assert.equal(out.Activity!.Description, `Terminating EC2 instance: ${first}`);
    assert.equal((await group(s))!.DesiredCapacity, 1);
    const atMin = await failure(() =>
      s.a.send(
        new asg.TerminateInstanceInAutoScalingGroupCommand({
          InstanceId: second,
          ShouldDecrementDesiredCapacity: true,
        }),
      ),
    );
    assert.equal(atMin.name, 'ValidationError');
    await s.a.send(
      new asg.TerminateInstanceInAutoScalingGroupCommand({
        InstanceId: second,
        ShouldDecrementDesiredCapacity: false,
      }),
    );
    const g = (await group(s))!;
    assert.equal(g.Instances!.filter((i) => !i.LifecycleState!.startsWith('Terminating')).length, 1);
    const unknown = await failure(() =>
      s.a.send(
        new asg.TerminateInstanceInAutoScalingGroupCommand({
          InstanceId: 'i-0123456789abcdef0',
          ShouldDecrementDesiredCapacity: false,
        }),
      ),
    );
    assert.equal(unknown.name, 'ValidationError');
  });
});

describe('EC2 Auto Scaling: pages, filters, terminate-first refresh, cancel, back-off', () => {
  let sim: Simulator;
  let clock: ManualClock;
  let s: Site;
  beforeEach(async () => {
    clock = new ManualClock();
    sim = await startSimulator({ profile: 'realistic', clock });
    s = await site(sim, clock);
  });
  afterEach(() => sim.stop());

  it('pages and filters groups', async () => {
    await createGroup(s, { MinSize: 0, DesiredCapacity: 0 });
    await createGroup(s, {
      AutoScalingGroupName: 'other',
      MinSize: 0,
      DesiredCapacity: 0,
      Tags: [{ Key: 'site', Value: 'other' }],
    });
    const first = await s.a.send(new asg.DescribeAutoScalingGroupsCommand({ MaxRecords: 1 }));
    assert.equal(first.AutoScalingGroups!.length, 1);
    assert.ok(first.NextToken);
    const second = await s.a.send(
      new asg.DescribeAutoScalingGroupsCommand({ MaxRecords: 1, NextToken: first.NextToken }),
    );
    assert.deepEqual(
      [...first.AutoScalingGroups!, ...second.AutoScalingGroups!].map((g) => g.AutoScalingGroupName),
      ['site-asg', 'other'],
    );
    assert.equal(second.NextToken, undefined);
    const tagged = await s.a.send(
      new asg.DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:site', Values: ['other'] }] }),
    );
    assert.deepEqual(
      tagged.AutoScalingGroups!.map((g) => g.AutoScalingGroupName),
      ['other'],
    );
    const bad = await failure(() =>
      s.a.send(new asg.DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'color', Values: ['x'] }] })),
    );
    assert.equal(bad.name, 'ValidationError');
    const tooMany = await failure(() =>
      s.a.send(new asg.DescribeAutoScalingGroupsCommand({ MaxRecords: 101 })),
    );
    assert.equal(tooMany.name, 'ValidationError');
  });

  it('refreshes terminate-first in batches keeping the minimum healthy, and cancels', async () => {
    await createGroup(s, { MinSize: 4, DesiredCapacity: 4 });
    clock.advance(100_000);
    await s.e.send(
      new ec2.CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: s.lt.LaunchTemplateId,
        SourceVersion: '1',
        LaunchTemplateData: { InstanceType: 't3.small' },
      }),
    );
    await s.a.send(
      new asg.StartInstanceRefreshCommand({
        AutoScalingGroupName: 'site-asg',
        Preferences: { MinHealthyPercentage: 50, InstanceWarmup: 0 },
      }),
    );
    // Half the group at a time: two out, two healthy left.
    const leaving = (await group(s))!.Instances!.filter((i) => i.LifecycleState!.startsWith('Terminating'));
    assert.equal(leaving.length, 2);
    let lowest = 4;
    let status = '';
    for (let t = 0; t < 900 && status !== 'Successful'; t += 5) {
      clock.advance(5_000);
      lowest = Math.min(lowest, (await healthyTargets(s)).length);
      status = (
        await s.a.send(new asg.DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'site-asg' }))
      ).InstanceRefreshes![0]!.Status!;
    }
    assert.equal(status, 'Successful');
    assert.equal(lowest, 2);
    const live = (await group(s))!.Instances!.filter((i) => i.LifecycleState === 'InService');
    assert.deepEqual(
      live.map((i) => i.InstanceType),
      ['t3.small', 't3.small', 't3.small', 't3.small'],
    );

    await s.a.send(new asg.StartInstanceRefreshCommand({ AutoScalingGroupName: 'site-asg' }));
    const cancelled = await s.a.send(
      new asg.CancelInstanceRefreshCommand({ AutoScalingGroupName: 'site-asg' }),
    );
    const refreshes = (
      await s.a.send(new asg.DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'site-asg' }))
    ).InstanceRefreshes!;
    assert.equal(refreshes[0]!.InstanceRefreshId, cancelled.InstanceRefreshId);
    assert.equal(refreshes[0]!.Status, 'Cancelled');
  });

  it('backs off a launch that keeps failing', async () => {
    const bad = await s.e.send(
      new ec2.CreateLaunchTemplateCommand({
        LaunchTemplateName: 'no-ami',
        LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.micro' },
      }),
    );
    await createGroup(s, { LaunchTemplate: { LaunchTemplateId: bad.LaunchTemplate!.LaunchTemplateId } });
    clock.advance(3_600_000);
    const acts = (
      await s.a.send(new asg.DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'site-asg' }))
    ).Activities!;
    // 10, 20, 40, 80, 160 s, then every 300 s: 17 tries in the hour, not one a second.
    assert.ok(acts.length > 10 && acts.length < 25, `${acts.length} activities`);
    assert.ok(acts.every((a) => a.StatusCode === 'Failed'));
  });
});

describe('every refusal, with its code', () => {
  let sim: Simulator;
  let s: Site;
  before(async () => {
    const clock = new ManualClock();
    sim = await startSimulator({ profile: 'realistic', clock });
    s = await site(sim, clock);
    await createGroup(s);
  });
  after(() => sim.stop());

  const lt = () => ({ LaunchTemplateId: s.lt.LaunchTemplateId });
  const group = (extra: Partial<asg.CreateAutoScalingGroupCommandInput>) =>
    s.a.send(
      new asg.CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'refused',
        LaunchTemplate: lt(),
        MinSize: 1,
        MaxSize: 2,
        VPCZoneIdentifier: s.subnets[0]!.SubnetId,
        ...extra,
      }),
    );
  const refresh = (
    Preferences: asg.RefreshPreferences,
    extra: Partial<asg.StartInstanceRefreshCommandInput> = {},
  ) =>
    s.a.send(
      new asg.StartInstanceRefreshCommand({ AutoScalingGroupName: 'site-asg', Preferences, ...extra }),
    );
  const policy = (cfg: Partial<asg.PutScalingPolicyCommandInput>) =>
    s.a.send(
      new asg.PutScalingPolicyCommand({
        AutoScalingGroupName: 'site-asg',
        PolicyName: 'p',
        PolicyType: 'TargetTrackingScaling',
        ...cfg,
      }),
    );
  const cpu: asg.TargetTrackingConfiguration = {
    PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
    TargetValue: 50,
  };

  const cases: [string, () => Promise<unknown>, string, RegExp?][] = [
    [
      'a template named by id and name',
      () =>
        s.e.send(
          new ec2.DescribeLaunchTemplateVersionsCommand({
            LaunchTemplateId: s.lt.LaunchTemplateId,
            LaunchTemplateName: 'site-web',
          }),
        ),
      'InvalidParameterCombination',
    ],
    [
      'a template named by neither',
      () => s.e.send(new ec2.DescribeLaunchTemplateVersionsCommand({})),
      'MissingParameter',
    ],
    [
      'a default version that is not a number',
      () =>
        s.e.send(
          new ec2.ModifyLaunchTemplateCommand({ LaunchTemplateName: 'site-web', DefaultVersion: '$Latest' }),
        ),
      'InvalidParameterValue',
    ],
    [
      'a default version that does not exist',
      () =>
        s.e.send(
          new ec2.ModifyLaunchTemplateCommand({ LaunchTemplateName: 'site-web', DefaultVersion: '9' }),
        ),
      'InvalidLaunchTemplateId.VersionNotFound',
    ],
    [
      'template data tags on a resource type templates do not tag',
      () =>
        s.e.send(
          new ec2.CreateLaunchTemplateCommand({
            LaunchTemplateName: 'bad-tags',
            LaunchTemplateData: {
              TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'a', Value: 'b' }] }],
            },
          }),
        ),
      'InvalidParameterValue',
    ],
    [
      'DescribeLaunchTemplates MaxResults over 200',
      () => s.e.send(new ec2.DescribeLaunchTemplatesCommand({ MaxResults: 201 })),
      'InvalidParameterValue',
    ],
    ['a group name with a colon', () => group({ AutoScalingGroupName: 'a:b' }), 'ValidationError'],
    ['a group name over 255', () => group({ AutoScalingGroupName: 'g'.repeat(256) }), 'ValidationError'],
    [
      'two ways to launch',
      () => group({ LaunchConfigurationName: 'lc' }),
      'ValidationError',
      /either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy/,
    ],
    ['no way to launch', () => group({ LaunchTemplate: undefined }), 'ValidationError'],
    [
      'a launch configuration',
      () => group({ LaunchTemplate: undefined, LaunchConfigurationName: 'lc' }),
      'ValidationError',
      /launch templates only/,
    ],
    [
      'a template by id and name',
      () => group({ LaunchTemplate: { ...lt(), LaunchTemplateName: 'site-web' } }),
      'ValidationError',
    ],
    [
      'a template version that does not exist',
      () => group({ LaunchTemplate: { ...lt(), Version: '7' } }),
      'ValidationError',
      /^You must use a valid fully-formed launch template\. Could not find the specified version 7/,
    ],
    ['a negative size', () => group({ MinSize: -1 }), 'ValidationError'],
    [
      'max below min',
      () => group({ MinSize: 3, MaxSize: 2 }),
      'ValidationError',
      /^Max bound, 2, must be greater than or equal to min bound, 3$/,
    ],
    [
      'no subnet',
      () => group({ VPCZoneIdentifier: undefined }),
      'ValidationError',
      /At least one Availability Zone or VPC Subnet is required/,
    ],
    [
      'a zone that does not exist',
      () => group({ VPCZoneIdentifier: undefined, AvailabilityZones: ['mars-1a'] }),
      'ValidationError',
    ],
    ['an empty tag key', () => group({ Tags: [{ Key: '', Value: 'x' }] }), 'ValidationError'],
    [
      'a tag of another group',
      () => group({ Tags: [{ Key: 'k', Value: 'v', ResourceId: 'site-asg' }] }),
      'ValidationError',
    ],
    [
      'a tag value over 256',
      () => group({ Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] }),
      'ValidationError',
    ],
    [
      'changing a group that does not exist',
      () => s.a.send(new asg.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'nope', MaxSize: 3 })),
      'ValidationError',
      /^AutoScalingGroup name not found/,
    ],
    [
      'an unknown health check type on update',
      () =>
        s.a.send(
          new asg.UpdateAutoScalingGroupCommand({
            AutoScalingGroupName: 'site-asg',
            HealthCheckType: 'PING',
          }),
        ),
      'ValidationError',
    ],
    [
      'MaxHealthyPercentage without MinHealthyPercentage',
      () => refresh({ MaxHealthyPercentage: 150 }),
      'ValidationError',
    ],
    [
      'healthy percentages more than 100 apart',
      () => refresh({ MinHealthyPercentage: 0, MaxHealthyPercentage: 150 }),
      'ValidationError',
    ],
    [
      'both healthy percentages at 100',
      () => refresh({ MinHealthyPercentage: 100, MaxHealthyPercentage: 100 }),
      'ValidationError',
    ],
    ['MinHealthyPercentage over 100', () => refresh({ MinHealthyPercentage: 101 }), 'ValidationError'],
    [
      'a strategy that does not exist',
      () => refresh({}, { Strategy: 'Blue' as asg.RefreshStrategy }),
      'ValidationError',
    ],
    [
      'a refresh to a template that does not exist',
      () => refresh({}, { DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: 'nope' } } }),
      'ValidationError',
    ],
    [
      'a simple scaling policy',
      () => policy({ PolicyType: 'SimpleScaling', ScalingAdjustment: 1 }),
      'ValidationError',
    ],
    ['target tracking without its configuration', () => policy({}), 'ValidationError'],
    [
      'a metric type that does not exist',
      () =>
        policy({
          TargetTrackingConfiguration: {
            ...cpu,
            PredefinedMetricSpecification: { PredefinedMetricType: 'Bogus' as asg.MetricType },
          },
        }),
      'ValidationError',
    ],
    [
      'a resource label on the CPU metric',
      () =>
        policy({
          TargetTrackingConfiguration: {
            ...cpu,
            PredefinedMetricSpecification: {
              PredefinedMetricType: 'ASGAverageCPUUtilization',
              ResourceLabel: 'x',
            },
          },
        }),
      'ValidationError',
    ],
    [
      'a request-count label of a target group the group does not use',
      () =>
        policy({
          TargetTrackingConfiguration: {
            TargetValue: 10,
            PredefinedMetricSpecification: {
              PredefinedMetricType: 'ALBRequestCountPerTarget',
              ResourceLabel: 'app/site-alb/0123456789abcdef/targetgroup/other/0123456789abcdef',
            },
          },
        }),
      'ValidationError',
      /not attached/,
    ],
    [
      'a policy for a group that does not exist',
      () => policy({ AutoScalingGroupName: 'nope', TargetTrackingConfiguration: cpu }),
      'ValidationError',
    ],
    [
      'deleting a policy that does not exist',
      () => s.a.send(new asg.DeletePolicyCommand({ AutoScalingGroupName: 'site-asg', PolicyName: 'never' })),
      'ValidationError',
    ],
    [
      'tagging a group that does not exist',
      () =>
        s.a.send(
          new asg.CreateOrUpdateTagsCommand({
            Tags: [{ ResourceId: 'nope', ResourceType: 'auto-scaling-group', Key: 'k', Value: 'v' }],
          }),
        ),
      'ValidationError',
    ],
    [
      'tagging with no tags',
      () => s.a.send(new asg.CreateOrUpdateTagsCommand({ Tags: [] })),
      'ValidationError',
    ],
    [
      'a reserved tag key',
      () =>
        s.a.send(
          new asg.CreateOrUpdateTagsCommand({
            Tags: [{ ResourceId: 'site-asg', ResourceType: 'auto-scaling-group', Key: 'aws:x', Value: 'v' }],
          }),
        ),
      'ValidationError',
    ],
    [
      'DescribeAutoScalingInstances MaxRecords over 50',
      () => s.a.send(new asg.DescribeAutoScalingInstancesCommand({ MaxRecords: 51 })),
      'ValidationError',
    ],
    [
      'a bad page token',
      () => s.a.send(new asg.DescribeAutoScalingGroupsCommand({ NextToken: 'garbage' })),
      'InvalidNextToken',
    ],
    [
      'refreshes of a group that does not exist',
      () => s.a.send(new asg.DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'nope' })),
      'ValidationError',
    ],
  ];
  for (const [what, call, code, message] of cases)
    it(`refuses ${what}: ${code}`, async () => {
      const e = await failure(call);
      // The SDK names a modelled error by its shape (…Fault) and any other by its code.
      assert.equal(e.name.replace(/Fault$/, '').replace(/Exception$/, ''), code.replace(/Exception$/, ''));
      if (message) assert.match(e.message, message);
    });

  it('takes no change to a group being deleted', async () => {
    await s.a.send(
      new asg.DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'site-asg', ForceDelete: true }),
    );
    const e = await failure(() =>
      s.a.send(new asg.SetDesiredCapacityCommand({ AutoScalingGroupName: 'site-asg', DesiredCapacity: 3 })),
    );
    assert.equal(e.name, 'ScalingActivityInProgressFault');
  });
});

describe('EC2 Auto Scaling between calls', () => {
  it('heals a group with no one calling: the engine runs on the simulator’s own time', async () => {
    const sim = await startSimulator({ profile: 'fast' });
    try {
      const { ec2: e } = clients(sim);
      const a = new asg.AutoScalingClient({
        endpoint: sim.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
      });
      const image = await al2023Image(e);
      const lt = await e.send(
        new ec2.CreateLaunchTemplateCommand({
          LaunchTemplateName: 'quiet',
          LaunchTemplateData: { ImageId: image.ImageId, InstanceType: 't3.micro' },
        }),
      );
      const subnet = (await e.send(new ec2.DescribeSubnetsCommand({}))).Subnets![0]!.SubnetId!;
      await a.send(
        new asg.CreateAutoScalingGroupCommand({
          AutoScalingGroupName: 'quiet',
          LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate!.LaunchTemplateId },
          MinSize: 1,
          MaxSize: 1,
          VPCZoneIdentifier: subnet,
        }),
      );
      const [first] = (sim.snapshot() as any).autoScaling.groups[0].instances.map((m: any) => m.id);
      await e.send(new ec2.TerminateInstancesCommand({ InstanceIds: [first] }));
      const calls = sim.calls.length;
      const members = await until(
        async () => (sim.snapshot() as any).autoScaling.groups[0].instances.map((m: any) => m.id) as string[],
        (ids) => ids.length === 1 && ids[0] !== first,
      );
      assert.notEqual(members[0], first);
      assert.equal(sim.calls.length, calls);
    } finally {
      await sim.stop();
    }
  });
});

describe('EC2 Auto Scaling in a state file', () => {
  it('goes on in a later simulator: what a group did while none ran is there when one looks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-sim-asg-'));
    const stateFile = join(dir, 'state.json');
    const clock = new ManualClock();
    try {
      const first = await startSimulator({ profile: 'realistic', clock, stateFile });
      const s = await site(first, clock);
      await createGroup(s);
      await first.stop();
      clock.advance(100_000); // no simulator runs meanwhile
      const later = await startSimulator({ profile: 'realistic', clock, stateFile });
      try {
        const a = new asg.AutoScalingClient({
          endpoint: later.endpoint,
          region: 'us-east-1',
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
          maxAttempts: 1,
        });
        const g = (await a.send(new asg.DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups![0]!;
        assert.deepEqual(
          g.Instances!.map((i) => i.LifecycleState),
          ['InService', 'InService'],
        );
        const { elb: l } = clients(later);
        const health = await l.send(
          new elb.DescribeTargetHealthCommand({ TargetGroupArn: s.tg.TargetGroupArn }),
        );
        assert.deepEqual(
          health.TargetHealthDescriptions!.map((d) => d.TargetHealth!.State),
          ['healthy', 'healthy'],
        );
      } finally {
        await later.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
