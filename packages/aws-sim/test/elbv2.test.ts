import assert from 'node:assert/strict';
import * as ec2 from '@aws-sdk/client-ec2';
import * as elb from '@aws-sdk/client-elastic-load-balancing-v2';
import { startSimulator, type Simulator } from '../src/index.js';
import { clients, failure, HTTPD_USER_DATA, until, httpForwardListener, al2023Image } from './helpers.js';

describe('ELBv2 via the AWS SDK v3', () => {
  let sim: Simulator;
  let e: ec2.EC2Client;
  let l: elb.ElasticLoadBalancingV2Client;
  let vpcId: string;
  let subnets: string[];
  let sgId: string;
  before(async () => {
    sim = await startSimulator();
    ({ ec2: e, elb: l } = clients(sim));
    vpcId = (await e.send(new ec2.DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
    subnets = (await e.send(new ec2.DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId!);
    sgId = (
      await e.send(new ec2.CreateSecurityGroupCommand({ GroupName: 'alb', Description: 'alb', VpcId: vpcId }))
    ).GroupId!;
  });
  after(() => sim.stop());

  it('creates, describes, modifies and deletes target groups', async () => {
    const tg = (
      await l.send(
        new elb.CreateTargetGroupCommand({
          Name: 'site-tg',
          Protocol: 'HTTP',
          Port: 80,
          VpcId: vpcId,
          HealthCheckPath: '/',
          HealthCheckIntervalSeconds: 10,
          HealthyThresholdCount: 2,
          Tags: [{ Key: 'app', Value: 'site' }],
        }),
      )
    ).TargetGroups![0]!;
    assert.match(
      tg.TargetGroupArn!,
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/site-tg\/[0-9a-f]{16}$/,
    );
    assert.equal(tg.HealthCheckIntervalSeconds, 10);
    assert.equal(tg.UnhealthyThresholdCount, 2);
    // Same settings: AWS returns the existing group.
    const again = await l.send(
      new elb.CreateTargetGroupCommand({
        Name: 'site-tg',
        Protocol: 'HTTP',
        Port: 80,
        VpcId: vpcId,
        HealthCheckIntervalSeconds: 10,
        HealthyThresholdCount: 2,
      }),
    );
    assert.equal(again.TargetGroups![0]!.TargetGroupArn, tg.TargetGroupArn);
    const dup = await failure(() =>
      l.send(
        new elb.CreateTargetGroupCommand({ Name: 'site-tg', Protocol: 'HTTP', Port: 8080, VpcId: vpcId }),
      ),
    );
    assert.equal(dup.name, 'DuplicateTargetGroupNameException');
    assert.equal(dup.Code, 'DuplicateTargetGroupName');
    assert.equal(dup.$metadata.httpStatusCode, 400);
    for (const bad of ['a'.repeat(33), 'bad_name', '-lead', 'trail-']) {
      const v = await failure(() =>
        l.send(new elb.CreateTargetGroupCommand({ Name: bad, Protocol: 'HTTP', Port: 80, VpcId: vpcId })),
      );
      assert.equal(v.name, 'ValidationError', bad);
    }
    const mod = await l.send(
      new elb.ModifyTargetGroupCommand({
        TargetGroupArn: tg.TargetGroupArn,
        HealthCheckPath: '/health',
        Matcher: { HttpCode: '200-299' },
      }),
    );
    assert.equal(mod.TargetGroups![0]!.HealthCheckPath, '/health');
    const byName = await l.send(new elb.DescribeTargetGroupsCommand({ Names: ['site-tg'] }));
    assert.equal(byName.TargetGroups![0]!.Matcher!.HttpCode, '200-299');
    const nf = await failure(() => l.send(new elb.DescribeTargetGroupsCommand({ Names: ['nope'] })));
    assert.equal(nf.name, 'TargetGroupNotFoundException');
    const tags = await l.send(new elb.DescribeTagsCommand({ ResourceArns: [tg.TargetGroupArn!] }));
    assert.deepEqual(tags.TagDescriptions![0]!.Tags, [{ Key: 'app', Value: 'site' }]);
    await l.send(new elb.DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn }));
    assert.equal((await l.send(new elb.DescribeTargetGroupsCommand({}))).TargetGroups!.length, 0);
  });

  it('paginates target groups with Marker / PageSize', async () => {
    for (let i = 0; i < 5; i++)
      await l.send(
        new elb.CreateTargetGroupCommand({ Name: `pg-${i}`, Protocol: 'HTTP', Port: 80, VpcId: vpcId }),
      );
    const sizes: number[] = [];
    for await (const p of elb.paginateDescribeTargetGroups({ client: l }, { PageSize: 2 }))
      sizes.push(p.TargetGroups!.length);
    assert.deepEqual(sizes, [2, 2, 1]);
    for (const tg of (await l.send(new elb.DescribeTargetGroupsCommand({}))).TargetGroups!)
      await l.send(new elb.DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn }));
  });

  it('runs the whole ALB lifecycle with its errors', async () => {
    const ami = await al2023Image(e);
    const inst = (
      await e.send(
        new ec2.RunInstancesCommand({
          ImageId: ami.ImageId,
          InstanceType: 't3.micro',
          MinCount: 1,
          MaxCount: 1,
          UserData: HTTPD_USER_DATA,
        }),
      )
    ).Instances![0]!;
    // AWS registers only running instances.
    await until(
      () => e.send(new ec2.DescribeInstancesCommand({ InstanceIds: [inst.InstanceId!] })),
      (r) => r.Reservations![0]!.Instances![0]!.State!.Name === 'running',
    );
    const tgArn = (
      await l.send(
        new elb.CreateTargetGroupCommand({
          Name: 'life-tg',
          Protocol: 'HTTP',
          Port: 80,
          VpcId: vpcId,
          HealthCheckIntervalSeconds: 10,
          HealthyThresholdCount: 2,
        }),
      )
    ).TargetGroups![0]!.TargetGroupArn!;

    const oneAz = await failure(() =>
      l.send(
        new elb.CreateLoadBalancerCommand({ Name: 'one-az', Subnets: [subnets[0]!], SecurityGroups: [sgId] }),
      ),
    );
    assert.equal(oneAz.name, 'ValidationError');
    const internal = await failure(() =>
      l.send(
        new elb.CreateLoadBalancerCommand({ Name: 'internal-x', Subnets: subnets, SecurityGroups: [sgId] }),
      ),
    );
    assert.equal(internal.name, 'ValidationError');
    const lb = (
      await l.send(
        new elb.CreateLoadBalancerCommand({
          Name: 'site-alb',
          Subnets: subnets,
          SecurityGroups: [sgId],
          Scheme: 'internet-facing',
          Tags: [{ Key: 'app', Value: 'site' }],
        }),
      )
    ).LoadBalancers![0]!;
    assert.match(lb.DNSName!, /^site-alb-\d+\.us-east-1\.elb\.aws-sim\.invalid$/);
    assert.equal(lb.State!.Code, 'provisioning');
    assert.equal(lb.Type, 'application');
    const dupLb = await failure(() =>
      l.send(
        new elb.CreateLoadBalancerCommand({
          Name: 'site-alb',
          Subnets: subnets.slice(0, 2),
          SecurityGroups: [sgId],
        }),
      ),
    );
    assert.equal(dupLb.name, 'DuplicateLoadBalancerNameException');
    const lbNf = await failure(() => l.send(new elb.DescribeLoadBalancersCommand({ Names: ['nope'] })));
    assert.equal(lbNf.name, 'LoadBalancerNotFoundException');

    const attrs = await l.send(
      new elb.DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn }),
    );
    assert.equal(attrs.Attributes!.find((a) => a.Key === 'idle_timeout.timeout_seconds')!.Value, '60');
    await l.send(
      new elb.ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '120' }],
      }),
    );
    const badAttr = await failure(() =>
      l.send(
        new elb.ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Attributes: [{ Key: 'nope', Value: '1' }],
        }),
      ),
    );
    assert.equal(badAttr.name, 'ValidationError');

    // Not in use yet: unused / Target.NotInUse.
    await l.send(
      new elb.RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: inst.InstanceId }] }),
    );
    let h = await l.send(new elb.DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
    assert.equal(h.TargetHealthDescriptions![0]!.TargetHealth!.Reason, 'Target.NotInUse');
    const badTarget = await failure(() =>
      l.send(
        new elb.RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: 'i-0123456789abcdef0' }] }),
      ),
    );
    assert.equal(badTarget.name, 'InvalidTargetException');

    const listener = await httpForwardListener(l, lb.LoadBalancerArn, tgArn);
    assert.equal(listener.DefaultActions![0]!.TargetGroupArn, tgArn);
    const dupL = await failure(() =>
      l.send(
        new elb.CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }],
        }),
      ),
    );
    assert.equal(dupL.name, 'DuplicateListenerException');
    const inUse = await failure(() => l.send(new elb.DeleteTargetGroupCommand({ TargetGroupArn: tgArn })));
    assert.equal(inUse.name, 'ResourceInUseException');
    assert.equal(
      (await l.send(new elb.DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn })))
        .TargetGroups!.length,
      1,
    );

    await until(
      () => l.send(new elb.DescribeLoadBalancersCommand({ Names: ['site-alb'] })),
      (r) => r.LoadBalancers![0]!.State!.Code === 'active',
    );
    h = await until(
      () => l.send(new elb.DescribeTargetHealthCommand({ TargetGroupArn: tgArn })),
      (r) => r.TargetHealthDescriptions![0]!.TargetHealth!.State === 'healthy',
    );
    assert.equal(h.TargetHealthDescriptions![0]!.Target!.Port, 80);
    const url = sim.dataPlaneUrl(lb.DNSName!)!;
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /2137_barista_cafe/);

    // Listener management.
    const mod = await l.send(
      new elb.ModifyListenerCommand({
        ListenerArn: listener.ListenerArn,
        DefaultActions: [
          { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
        ],
      }),
    );
    assert.equal(mod.Listeners![0]!.DefaultActions![0]!.RedirectConfig!.Host, '#{host}');
    const redirect = await fetch(url + 'menu?x=1', { redirect: 'manual' });
    assert.equal(redirect.status, 301);
    // Reached by its loopback URL, the data plane stands for the DNS name; the ALB always names the port.
    assert.equal(redirect.headers.get('location'), `https://${lb.DNSName}:443/menu?x=1`);
    await l.send(
      new elb.ModifyListenerCommand({
        ListenerArn: listener.ListenerArn,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
      }),
    );
    const ls = await l.send(new elb.DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    assert.equal(ls.Listeners!.length, 1);
    const lnf = await failure(() =>
      l.send(
        new elb.DescribeListenersCommand({
          ListenerArns: [listener.ListenerArn!.replace(/[0-9a-f]{16}$/, '0000000000000000')],
        }),
      ),
    );
    assert.equal(lnf.name, 'ListenerNotFoundException');

    // Tags.
    await l.send(
      new elb.AddTagsCommand({ ResourceArns: [lb.LoadBalancerArn!], Tags: [{ Key: 'env', Value: 'test' }] }),
    );
    await l.send(new elb.RemoveTagsCommand({ ResourceArns: [lb.LoadBalancerArn!], TagKeys: ['app'] }));
    const t = await l.send(new elb.DescribeTagsCommand({ ResourceArns: [lb.LoadBalancerArn!] }));
    assert.deepEqual(t.TagDescriptions![0]!.Tags, [{ Key: 'env', Value: 'test' }]);

    // Deregistration drains.
    await l.send(
      new elb.DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: inst.InstanceId }] }),
    );
    h = await l.send(new elb.DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
    assert.deepEqual(
      [
        h.TargetHealthDescriptions![0]!.TargetHealth!.State,
        h.TargetHealthDescriptions![0]!.TargetHealth!.Reason,
      ],
      ['draining', 'Target.DeregistrationInProgress'],
    );
    const notReg = await failure(() =>
      l.send(new elb.DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: inst.InstanceId }] })),
    );
    assert.equal(notReg.name, 'InvalidTargetException');

    // Teardown in the usual order.
    await l.send(new elb.DeleteListenerCommand({ ListenerArn: listener.ListenerArn }));
    assert.equal(
      (await failure(() => l.send(new elb.DeleteListenerCommand({ ListenerArn: listener.ListenerArn }))))
        .name,
      'ListenerNotFoundException',
    );
    await l.send(new elb.DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    await l.send(new elb.DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn })); // idempotent
    assert.equal(sim.dataPlaneUrl(lb.DNSName!), undefined);
    await l.send(new elb.DeleteTargetGroupCommand({ TargetGroupArn: tgArn }));
    const dv = await failure(() => e.send(new ec2.DeleteSecurityGroupCommand({ GroupId: sgId })));
    assert.equal(dv.name, 'DependencyViolation');
    await until(
      () =>
        e.send(new ec2.DeleteSecurityGroupCommand({ GroupId: sgId })).then(
          () => true,
          () => false,
        ),
      (ok) => ok,
    );
    const malformed = await failure(() =>
      l.send(new elb.DescribeLoadBalancersCommand({ LoadBalancerArns: ['nope'] })),
    );
    assert.equal(malformed.name, 'ValidationError');
  });
});
