import { strict as assert } from 'node:assert';
import { createAwsClients, type AwsClients, type ResourceContext } from '@site-cli/core';
import { createTestContext } from '@site-cli/core/testing';
import { startSimulator, type Simulator } from '@site-cli/aws-sim';
import { listenerResource } from '../src/resources/listener.js';
import { loadBalancerResource } from '../src/resources/load-balancer.js';
import { siteHealthResource } from '../src/resources/site-health.js';
import { targetGroupResource } from '../src/resources/target-group.js';
import { targetsResource } from '../src/resources/targets.js';

/** Behaviour against aws-sim: the whole ALB side, from nothing to a site answering 200, and back to nothing. */
describe('alb against aws-sim', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let aws: AwsClients;
  const base = new Map<string, unknown>();

  before(async () => {
    sim = await startSimulator({ profile: 'fast' });
    aws = createAwsClients({
      region: 'us-east-1',
      endpoint: sim.endpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 2,
    });
    const ec2 = await aws.ec2();
    const { Vpcs = [] } = await ec2.describeVpcs({ Filters: [{ Name: 'is-default', Values: ['true'] }] });
    const vpcId = Vpcs[0].VpcId as string;
    const { Subnets = [] } = await ec2.describeSubnets({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] });
    const albSg = await ec2.createSecurityGroup({
      GroupName: 'sim-alb-sg',
      Description: 'alb',
      VpcId: vpcId,
    });
    const instanceSg = await ec2.createSecurityGroup({
      GroupName: 'sim-instance-sg',
      Description: 'instance',
      VpcId: vpcId,
    });
    await ec2.authorizeSecurityGroupIngress({
      GroupId: instanceSg.GroupId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: albSg.GroupId }] },
      ],
    });
    const { Images = [] } = await ec2.describeImages({
      Owners: ['amazon'],
      Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }],
    });
    const run = await ec2.runInstances({
      ImageId: Images[0].ImageId,
      InstanceType: 't2.micro',
      MinCount: 1,
      MaxCount: 1,
      SubnetId: Subnets[0].SubnetId,
      SecurityGroupIds: [instanceSg.GroupId as string],
      UserData: Buffer.from(
        "#!/bin/bash\ndnf install -y httpd unzip\nSITE_URL='https://www.tooplate.com/zip-templates/2137_barista_cafe.zip'\n",
      ).toString('base64'),
    });
    const instance = run.Instances?.[0];
    // As the output below says: running (AWS registers no pending instance as a target).
    while (
      (await ec2.describeInstances({ InstanceIds: [instance!.InstanceId!] })).Reservations?.[0]
        ?.Instances?.[0]?.State?.Name !== 'running'
    )
      await new Promise((resolve) => setTimeout(resolve, 50));
    base.set('network.vpc', {
      vpcId,
      cidrBlock: '172.31.0.0/16',
      subnets: Subnets.map((s) => ({ subnetId: s.SubnetId, availabilityZone: s.AvailabilityZone })),
    });
    base.set('network.alb-security-group', { groupId: albSg.GroupId, groupName: 'sim-alb-sg', vpcId });
    base.set('compute.instances', {
      instances: [
        {
          instanceId: instance?.InstanceId,
          availabilityZone: Subnets[0].AvailabilityZone,
          subnetId: Subnets[0].SubnetId,
          state: 'running',
        },
      ],
      retiring: [],
    });
  });
  after(async () => sim?.stop());

  function context(outputs: Map<string, unknown>, name = 'sim-cafe'): ResourceContext {
    const options = { endpoint: sim.endpoint, maxAttempts: 2, outputs, timeScale: 0.05 };
    return createTestContext({ name }, { ...options, simulator: { endpoint: sim.endpoint } }).ctx;
  }

  const resources = [
    targetGroupResource(),
    loadBalancerResource(),
    listenerResource(),
    targetsResource(),
    siteHealthResource(),
  ];

  it('creates everything until the site answers 200, finds it again with no diff, then destroys it', async () => {
    const outputs = new Map(base);
    const ctx = context(outputs);
    for (const resource of resources) {
      // A check always answers (for status); managed resources are absent at first.
      if (resource.kind !== 'check')
        assert.equal(await resource.discover(ctx), undefined, `${resource.id} absent at first`);
      outputs.set(resource.id, await resource.create(ctx));
    }
    const health = outputs.get('alb.site-health') as {
      http: { status?: number };
      targets: { state: string }[];
    };
    assert.equal(health.http.status, 200);
    assert.deepEqual(
      health.targets.map((t) => t.state),
      ['healthy'],
    );

    const seen = new Map(base);
    const again = context(seen);
    for (const resource of resources) {
      const found = await resource.discover(again);
      assert.ok(found, `${resource.id} found by discovery`);
      seen.set(resource.id, found);
      if (resource.diff)
        assert.deepEqual(await resource.diff(again, found as never), [], `${resource.id} has no diff`);
    }

    for (const resource of [...resources].reverse())
      await resource.destroy(again, seen.get(resource.id) as never);
    const after = context(new Map(base));
    assert.equal(await targetGroupResource().discover(after), undefined);
    assert.equal(await loadBalancerResource().discover(after), undefined);
  });

  it('stops at a same-named target group that is not ours', async () => {
    const elbv2 = await aws.elbv2();
    const vpc = base.get('network.vpc') as { vpcId: string };
    await elbv2.createTargetGroup({
      Name: 'theirs-tg',
      Protocol: 'HTTP',
      Port: 80,
      VpcId: vpc.vpcId,
      TargetType: 'instance',
    });
    const ctx = context(new Map(base), 'theirs');
    await assert.rejects(
      targetGroupResource().discover(ctx),
      (error: any) => error.code === 'TARGET_GROUP_CONFLICT',
    );
    await assert.rejects(
      targetGroupResource().create(ctx),
      (error: any) => error.code === 'TARGET_GROUP_CONFLICT',
    );
    const { TargetGroups = [] } = await elbv2.describeTargetGroups({ Names: ['theirs-tg'] });
    assert.equal(TargetGroups.length, 1, 'left alone');
  });
});

describe('alb preflight against aws-sim', () => {
  let sim: Simulator;
  afterEach(async () => sim?.stop());

  function context() {
    return createTestContext({ name: 'quota-cafe' }, { endpoint: sim.endpoint, maxAttempts: 1 });
  }

  it('stops a load balancer the account quota has no room for, and reads the quotas once', async () => {
    sim = await startSimulator({ profile: 'fast', limits: { 'application-load-balancers': 0 } });
    const { ctx } = context();
    const error = await loadBalancerResource().preflight!(ctx, { action: 'create' }).catch((e: unknown) => e);
    assert.equal((error as { code?: string }).code, 'QUOTA_REACHED');
    assert.deepEqual((error as { details?: unknown }).details, {
      quota: 'application-load-balancers',
      max: 0,
      used: 0,
      region: 'us-east-1',
    });
    await targetGroupResource().preflight!(ctx, { action: 'create' });
    assert.equal(sim.callCounts().DescribeAccountLimits, 1);
    assert.deepEqual(sim.mutatingCalls(), []);
  });

  it('goes on with a warning when the quotas cannot be read', async () => {
    sim = await startSimulator({
      profile: 'fast',
      faults: { deny: { 'elasticloadbalancing:DescribeAccountLimits': 'AccessDenied' } },
    });
    const { ctx, log } = context();
    await loadBalancerResource().preflight!(ctx, { action: 'create' });
    assert.match(
      log.warnings.join('\n'),
      /Could not read the Elastic Load Balancing quotas \(AccessDenied\)/,
    );
  });
});
