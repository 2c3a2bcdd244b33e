import assert from 'node:assert/strict';
import * as ec2 from '@aws-sdk/client-ec2';
import * as elb from '@aws-sdk/client-elastic-load-balancing-v2';
import { startSimulator, type Simulator } from '../src/index.js';
import { clients, failure, al2023Image } from './helpers.js';

const TAGS = [{ Key: 'site:name', Value: 'dry' }];
const ED25519_LINE = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAtSl1IzkYX+TWCpMuI5URgAQ2WlmDIEk8DnFQO2rapj site';
const DRY_RUN_MESSAGE = 'Request would have succeeded, but DryRun flag is set.';

/** What a permission check (DryRun) and a quota look-up need from the simulator, as AWS answers them. */
describe('DryRun permission checks and account limits', () => {
  let sim: Simulator;
  let e: ec2.EC2Client;
  let l: elb.ElasticLoadBalancingV2Client;
  let vpcId: string;
  let subnetIds: string[];
  let imageId: string;
  afterEach(() => sim?.stop());

  async function start(options: Parameters<typeof startSimulator>[0] = {}) {
    sim = await startSimulator(options);
    ({ ec2: e, elb: l } = clients(sim));
    vpcId = (await e.send(new ec2.DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
    subnetIds = (await e.send(new ec2.DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId!);
    imageId = (await al2023Image(e)).ImageId!;
  }

  const launch = (extra: Partial<ec2.RunInstancesCommandInput> = {}) =>
    new ec2.RunInstancesCommand({
      ImageId: imageId,
      InstanceType: 't2.micro',
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnetIds[0],
      MetadataOptions: { HttpTokens: 'required' },
      TagSpecifications: [{ ResourceType: 'instance', Tags: TAGS }],
      DryRun: true,
      ...extra,
    });

  it('answers a permitted DryRun with 412 DryRunOperation and creates nothing', async () => {
    await start();
    const before = JSON.stringify(sim.snapshot());
    const calls = [
      () =>
        e.send(
          new ec2.CreateKeyPairCommand({
            KeyName: 'dry-key',
            KeyType: 'ed25519',
            TagSpecifications: [{ ResourceType: 'key-pair', Tags: TAGS }],
            DryRun: true,
          }),
        ),
      () =>
        e.send(
          new ec2.ImportKeyPairCommand({
            KeyName: 'dry-import',
            PublicKeyMaterial: Buffer.from(ED25519_LINE),
            TagSpecifications: [{ ResourceType: 'key-pair', Tags: TAGS }],
            DryRun: true,
          }),
        ),
      () =>
        e.send(
          new ec2.CreateSecurityGroupCommand({
            GroupName: 'dry-sg',
            Description: 'dry',
            VpcId: vpcId,
            TagSpecifications: [{ ResourceType: 'security-group', Tags: TAGS }],
            DryRun: true,
          }),
        ),
      () => e.send(launch()),
      () => e.send(new ec2.DescribeVpcsCommand({ DryRun: true })),
      () => e.send(new ec2.DescribeImagesCommand({ Owners: ['amazon'], DryRun: true })),
    ];
    for (const call of calls) {
      const error = await failure(call);
      assert.equal(error.name, 'DryRunOperation');
      assert.equal(error.message, DRY_RUN_MESSAGE);
      assert.equal(error.$metadata.httpStatusCode, 412);
    }
    const group = (await e.send(new ec2.DescribeSecurityGroupsCommand({}))).SecurityGroups!.find(
      (g) => g.GroupName === 'default',
    )!;
    const authorize = await failure(() =>
      e.send(
        new ec2.AuthorizeSecurityGroupIngressCommand({
          GroupId: group.GroupId,
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
          ],
          DryRun: true,
        }),
      ),
    );
    assert.equal(authorize.name, 'DryRunOperation');
    assert.deepEqual(sim.mutatingCalls(), []);
    // The id generator may have moved; every resource list is as it was.
    const lists = (state: string) => {
      const { rng: _rng, ...rest } = JSON.parse(state);
      return rest;
    };
    assert.deepEqual(lists(JSON.stringify(sim.snapshot())), lists(before));
  });

  it('validates the parameters before answering DryRunOperation', async () => {
    await start();
    const error = await failure(() => e.send(launch({ ImageId: 'ami-0000000000000000f' })));
    assert.equal(error.name, 'InvalidAMIID.NotFound');
  });

  it('answers a denied DryRun with 403 UnauthorizedOperation, keyed by the IAM action', async () => {
    await start({ faults: { deny: { 'ec2:RunInstances': 'UnauthorizedOperation' } } });
    const error = await failure(() => e.send(launch()));
    assert.equal(error.name, 'UnauthorizedOperation');
    assert.equal(error.$metadata.httpStatusCode, 403);
    const other = await failure(() =>
      e.send(new ec2.CreateSecurityGroupCommand({ GroupName: 'x', Description: 'x', DryRun: true })),
    );
    assert.equal(other.name, 'DryRunOperation');
  });

  it('denies a create that tags at creation when the tagging action is denied, as IAM does', async () => {
    await start({
      faults: {
        deny: { 'ec2:CreateTags': 'UnauthorizedOperation', 'elasticloadbalancing:AddTags': 'AccessDenied' },
      },
    });
    assert.equal((await failure(() => e.send(launch()))).name, 'UnauthorizedOperation');
    assert.equal(
      (await failure(() => e.send(launch({ TagSpecifications: undefined })))).name,
      'DryRunOperation',
    );
    const tagged = await failure(() =>
      l.send(
        new elb.CreateTargetGroupCommand({
          Name: 'tg',
          Protocol: 'HTTP',
          Port: 80,
          VpcId: vpcId,
          Tags: TAGS,
        }),
      ),
    );
    assert.equal(tagged.name, 'AccessDenied');
    assert.equal(tagged.$metadata.httpStatusCode, 403);
    assert.match(tagged.message, /elasticloadbalancing:AddTags/);
    const untagged = await l.send(
      new elb.CreateTargetGroupCommand({ Name: 'tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId }),
    );
    assert.equal(untagged.TargetGroups?.length, 1);
  });

  it('reports the ELBv2 account limits and enforces them', async () => {
    await start({ limits: { 'application-load-balancers': 1, 'target-groups': 1 } });
    const { Limits = [] } = await l.send(new elb.DescribeAccountLimitsCommand({}));
    const limit = (name: string) => Limits.find((x) => x.Name === name)?.Max;
    assert.equal(limit('application-load-balancers'), '1');
    assert.equal(limit('target-groups'), '1');
    assert.equal(limit('listeners-per-application-load-balancer'), '50');

    const group = (await e.send(new ec2.DescribeSecurityGroupsCommand({}))).SecurityGroups![0]!.GroupId!;
    const createLb = (Name: string) =>
      l.send(
        new elb.CreateLoadBalancerCommand({ Name, Subnets: subnetIds.slice(0, 2), SecurityGroups: [group] }),
      );
    await createLb('one');
    const tooMany = await failure(() => createLb('two'));
    assert.equal(tooMany.name, 'TooManyLoadBalancersException');
    const createTg = (Name: string) =>
      l.send(new elb.CreateTargetGroupCommand({ Name, Protocol: 'HTTP', Port: 80, VpcId: vpcId }));
    await createTg('one');
    assert.equal((await failure(() => createTg('two'))).name, 'TooManyTargetGroupsException');
  });

  it('has the AWS default limits when none are set', async () => {
    await start();
    const { Limits = [] } = await l.send(new elb.DescribeAccountLimitsCommand({}));
    assert.equal(Limits.find((x) => x.Name === 'application-load-balancers')?.Max, '50');
    assert.equal(Limits.find((x) => x.Name === 'target-groups')?.Max, '3000');
  });
});
