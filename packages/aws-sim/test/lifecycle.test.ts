import assert from 'node:assert/strict';
import * as ec2 from '@aws-sdk/client-ec2';
import * as elb from '@aws-sdk/client-elastic-load-balancing-v2';
import { ManualClock, startSimulator, type Simulator } from '../src/index.js';
import {
  clients,
  failure,
  HTTPD_USER_DATA,
  until,
  userData,
  httpForwardListener,
  al2023Image,
} from './helpers.js';

/**
 * The seed's deployment, in AWS's order: the instance must be running before it is registered (AWS refuses a
 * pending one), so `untilRunning` waits for it — by polling, or by moving a manual clock.
 */
async function deploy(
  sim: Simulator,
  opts: { userData?: string; interval?: number; untilRunning?: (instanceId: string) => Promise<void> } = {},
) {
  const { ec2: e, elb: l } = clients(sim);
  const vpcId = (await e.send(new ec2.DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
  const subnets = (await e.send(new ec2.DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId!);
  const ami = await al2023Image(e);
  const albSg = (
    await e.send(new ec2.CreateSecurityGroupCommand({ GroupName: 'alb', Description: 'alb', VpcId: vpcId }))
  ).GroupId!;
  const inst = (
    await e.send(
      new ec2.RunInstancesCommand({
        ImageId: ami.ImageId,
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        UserData: opts.userData ?? HTTPD_USER_DATA,
      }),
    )
  ).Instances![0]!;
  await (
    opts.untilRunning ??
    ((id) =>
      until(
        () => instState(e, id),
        (s) => s === 'running',
      ).then(() => {}))
  )(inst.InstanceId!);
  const tgArn = (
    await l.send(
      new elb.CreateTargetGroupCommand({
        Name: 'tg',
        Protocol: 'HTTP',
        Port: 80,
        VpcId: vpcId,
        HealthCheckIntervalSeconds: opts.interval ?? 10,
        HealthyThresholdCount: 2,
      }),
    )
  ).TargetGroups![0]!.TargetGroupArn!;
  const lb = (
    await l.send(
      new elb.CreateLoadBalancerCommand({ Name: 'alb', Subnets: subnets, SecurityGroups: [albSg] }),
    )
  ).LoadBalancers![0]!;
  await l.send(new elb.RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: inst.InstanceId }] }));
  const listener = await httpForwardListener(l, lb.LoadBalancerArn, tgArn);
  return { e, l, vpcId, albSg, inst, tgArn, lb, listener };
}

const health = (l: elb.ElasticLoadBalancingV2Client, tgArn: string) =>
  l
    .send(new elb.DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))
    .then((r) => r.TargetHealthDescriptions![0]!.TargetHealth!);
const instState = (e: ec2.EC2Client, id: string) =>
  e
    .send(new ec2.DescribeInstancesCommand({ InstanceIds: [id] }))
    .then((r) => r.Reservations![0]!.Instances![0]!.State!.Name);

describe('state transitions', () => {
  it('follows the realistic profile, scaled 100x down', async function () {
    const sim = await startSimulator({ profile: 'realistic', timeScale: 0.01 });
    try {
      const t0 = Date.now();
      const { e, l, albSg, inst, tgArn, lb, listener } = await deploy(sim);
      assert.ok(Date.now() - t0 >= 140, 'instance should take ~150 ms to run');
      assert.equal((await health(l, tgArn)).Reason, 'Elb.RegistrationInProgress');
      const url = sim.dataPlaneUrl(lb.DNSName!)!;
      assert.equal((await fetch(url)).status, 503);
      const lbs = await l.send(
        new elb.DescribeLoadBalancersCommand({ LoadBalancerArns: [lb.LoadBalancerArn!] }),
      );
      assert.equal(lbs.LoadBalancers![0]!.State!.Code, 'provisioning');
      await until(
        () => l.send(new elb.DescribeLoadBalancersCommand({ LoadBalancerArns: [lb.LoadBalancerArn!] })),
        (r) => r.LoadBalancers![0]!.State!.Code === 'active',
      );
      assert.ok(Date.now() - t0 >= 1450, 'ALB should take ~1.5 s to become active');
      const seen = new Set<string>();
      await until(
        () => health(l, tgArn),
        (h) => (seen.add(`${h.State}/${h.Reason ?? ''}`), h.State === 'healthy'),
      );
      assert.ok(
        seen.has('initial/Elb.InitialHealthChecking') || seen.has('initial/Elb.RegistrationInProgress'),
        [...seen].join(),
      );
      const res = await fetch(url);
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /2137_barista_cafe/);
      assert.match(html, new RegExp(inst.InstanceId!));

      // Teardown: SG stays in use until the ALB's interfaces are released (~600 ms).
      await l.send(new elb.DeleteListenerCommand({ ListenerArn: listener.ListenerArn }));
      await l.send(new elb.DeleteTargetGroupCommand({ TargetGroupArn: tgArn }));
      await l.send(new elb.DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
      const deletedAt = Date.now();
      const dv = await failure(() => e.send(new ec2.DeleteSecurityGroupCommand({ GroupId: albSg })));
      assert.equal(dv.name, 'DependencyViolation');
      await until(
        () =>
          e.send(new ec2.DeleteSecurityGroupCommand({ GroupId: albSg })).then(
            () => true,
            () => false,
          ),
        (ok) => ok,
      );
      assert.ok(Date.now() - deletedAt >= 550);

      await e.send(new ec2.TerminateInstancesCommand({ InstanceIds: [inst.InstanceId!] }));
      assert.equal(await instState(e, inst.InstanceId!), 'shutting-down');
      await until(
        () => instState(e, inst.InstanceId!),
        (s) => s === 'terminated',
      );
    } finally {
      await sim.stop();
    }
  });

  it('derives every timed state from a manual clock', async () => {
    const clock = new ManualClock();
    const sim = await startSimulator({ profile: 'realistic', clock });
    try {
      const { ec2: e } = clients(sim);
      const { l, inst, tgArn, lb } = await deploy(sim, {
        interval: 30,
        async untilRunning(id) {
          assert.equal(await instState(e, id), 'pending');
          clock.advance(15_000);
          assert.equal(await instState(e, id), 'running');
        },
      });
      assert.equal((await health(l, tgArn)).Reason, 'Elb.RegistrationInProgress');
      clock.advance(150_000); // ALB (created at 15 s) active at 165 s; httpd has been up since 60 s
      const lbs = await l.send(new elb.DescribeLoadBalancersCommand({}));
      assert.equal(lbs.LoadBalancers![0]!.State!.Code, 'active');
      clock.advance(30_000);
      assert.deepEqual(await health(l, tgArn), {
        State: 'initial',
        Reason: 'Elb.InitialHealthChecking',
        Description: 'Initial health checks in progress',
      });
      clock.advance(30_000); // second passing check, healthy threshold 2
      assert.equal((await health(l, tgArn)).State, 'healthy');
      const url = sim.dataPlaneUrl(lb.DNSName!)!;
      assert.equal((await fetch(url)).status, 200);
      await l.send(
        new elb.DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: inst.InstanceId }] }),
      );
      assert.equal((await health(l, tgArn)).State, 'draining');
      assert.equal((await fetch(url)).status, 503);
      clock.advance(300_000); // default deregistration delay
      assert.equal(
        (await l.send(new elb.DescribeTargetHealthCommand({ TargetGroupArn: tgArn })))
          .TargetHealthDescriptions!.length,
        0,
      );
    } finally {
      await sim.stop();
    }
  });

  it('refuses to register an instance that is pending or shutting down, as AWS does', async () => {
    const clock = new ManualClock();
    const sim = await startSimulator({ profile: 'realistic', clock });
    try {
      const { ec2: e, elb: l } = clients(sim);
      const vpcId = (await e.send(new ec2.DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
      const ami = await al2023Image(e);
      const tgArn = (
        await l.send(
          new elb.CreateTargetGroupCommand({ Name: 'tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId }),
        )
      ).TargetGroups![0]!.TargetGroupArn!;
      const id = (
        await e.send(
          new ec2.RunInstancesCommand({
            ImageId: ami.ImageId,
            InstanceType: 't3.micro',
            MinCount: 1,
            MaxCount: 1,
          }),
        )
      ).Instances![0]!.InstanceId!;
      const register = () =>
        failure(() =>
          l.send(new elb.RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: id }] })),
        );
      assert.equal(await instState(e, id), 'pending');
      const pending = await register();
      assert.equal(pending.name, 'InvalidTargetException');
      assert.equal(
        pending.message,
        `The following targets are not in a running state and cannot be registered: '${id}'`,
      );
      clock.advance(15_000);
      await l.send(new elb.RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: id }] }));
      await l.send(new elb.DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: id }] }));
      await e.send(new ec2.TerminateInstancesCommand({ InstanceIds: [id] }));
      assert.equal(await instState(e, id), 'shutting-down');
      assert.equal((await register()).name, 'InvalidTargetException');
    } finally {
      await sim.stop();
    }
  });

  it('marks targets whose user data never starts httpd unhealthy, and terminated ones unused', async () => {
    const sim = await startSimulator();
    try {
      const { e, l, inst, tgArn } = await deploy(sim, { userData: userData('#!/bin/bash\necho hello\n') });
      const h = await until(
        () => health(l, tgArn),
        (x) => x.State === 'unhealthy',
      );
      assert.equal(h.Reason, 'Target.FailedHealthChecks');
      await e.send(new ec2.TerminateInstancesCommand({ InstanceIds: [inst.InstanceId!] }));
      assert.deepEqual(await health(l, tgArn).then((x) => [x.State, x.Reason]), [
        'unused',
        'Target.InvalidState',
      ]);
      const other = await l.send(
        new elb.DescribeTargetHealthCommand({
          TargetGroupArn: tgArn,
          Targets: [{ Id: inst.InstanceId, Port: 8080 }],
        }),
      );
      assert.equal(other.TargetHealthDescriptions![0]!.TargetHealth!.Reason, 'Target.NotRegistered');
      await until(
        () => instState(e, inst.InstanceId!),
        (s) => s === 'terminated',
      );
      const reg = await failure(() =>
        l.send(new elb.RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: inst.InstanceId }] })),
      );
      assert.equal(reg.name, 'InvalidTargetException');
    } finally {
      await sim.stop();
    }
  });

  it('hides just-created resources for the consistency window', async () => {
    const clock = new ManualClock();
    const sim = await startSimulator({ clock, faults: { consistencyWindowMs: 1000 } });
    try {
      const { ec2: e } = clients(sim);
      const sg = await e.send(new ec2.CreateSecurityGroupCommand({ GroupName: 'fresh', Description: 'f' }));
      const nf = await failure(() =>
        e.send(new ec2.DescribeSecurityGroupsCommand({ GroupIds: [sg.GroupId!] })),
      );
      assert.equal(nf.name, 'InvalidGroup.NotFound');
      const filtered = await e.send(
        new ec2.DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['fresh'] }] }),
      );
      assert.equal(filtered.SecurityGroups!.length, 0);
      clock.advance(1000);
      assert.equal(
        (await e.send(new ec2.DescribeSecurityGroupsCommand({ GroupIds: [sg.GroupId!] }))).SecurityGroups!
          .length,
        1,
      );
    } finally {
      await sim.stop();
    }
  });

  it('keeps security-group deletes failing for dependencyViolationMs after the instance is gone', async () => {
    const clock = new ManualClock();
    const sim = await startSimulator({ clock, faults: { dependencyViolationMs: 5000 } });
    try {
      const { ec2: e } = clients(sim);
      const sg = (await e.send(new ec2.CreateSecurityGroupCommand({ GroupName: 'dv', Description: 'd' })))
        .GroupId!;
      const ami = await al2023Image(e);
      const id = (
        await e.send(
          new ec2.RunInstancesCommand({
            ImageId: ami.ImageId,
            MinCount: 1,
            MaxCount: 1,
            SecurityGroupIds: [sg],
          }),
        )
      ).Instances![0]!.InstanceId!;
      await e.send(new ec2.TerminateInstancesCommand({ InstanceIds: [id] }));
      clock.advance(300); // terminated
      assert.equal(await instState(e, id), 'terminated');
      assert.equal(
        (await failure(() => e.send(new ec2.DeleteSecurityGroupCommand({ GroupId: sg })))).name,
        'DependencyViolation',
      );
      clock.advance(5000);
      await e.send(new ec2.DeleteSecurityGroupCommand({ GroupId: sg }));
    } finally {
      await sim.stop();
    }
  });
});
