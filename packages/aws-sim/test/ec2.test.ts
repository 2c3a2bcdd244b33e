import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import * as ec2 from '@aws-sdk/client-ec2';
import { startSimulator, type Simulator } from '../src/index.js';
import { clients, failure, HTTPD_USER_DATA, until, al2023Image } from './helpers.js';

describe('EC2 via the AWS SDK v3', () => {
  let sim: Simulator;
  let c: ec2.EC2Client;
  before(async () => {
    sim = await startSimulator();
    c = clients(sim).ec2;
  });
  after(() => sim.stop());

  async function latestAl2023(): Promise<ec2.Image> {
    const r = await c.send(
      new ec2.DescribeImagesCommand({
        Owners: ['amazon'],
        Filters: [
          { Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] },
          { Name: 'state', Values: ['available'] },
        ],
      }),
    );
    return [...r.Images!].sort((a, b) => b.CreationDate!.localeCompare(a.CreationDate!))[0]!;
  }

  it('describes the default VPC, its subnets and AZs', async () => {
    const vpcs = await c.send(
      new ec2.DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }),
    );
    assert.equal(vpcs.Vpcs!.length, 1);
    const vpc = vpcs.Vpcs![0]!;
    assert.equal(vpc.CidrBlock, '172.31.0.0/16');
    assert.equal(vpc.IsDefault, true);
    assert.equal(
      (await c.send(new ec2.DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['false'] }] })))
        .Vpcs!.length,
      0,
    );
    const subnets = await c.send(
      new ec2.DescribeSubnetsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpc.VpcId!] },
          { Name: 'default-for-az', Values: ['true'] },
        ],
      }),
    );
    // us-east-1 has six zones; us-east-1e is use1-az3 here, as in the accounts AWS users quote.
    assert.deepEqual(subnets.Subnets!.map((s) => [s.AvailabilityZone, s.AvailabilityZoneId]).sort(), [
      ['us-east-1a', 'use1-az6'],
      ['us-east-1b', 'use1-az1'],
      ['us-east-1c', 'use1-az2'],
      ['us-east-1d', 'use1-az4'],
      ['us-east-1e', 'use1-az3'],
      ['us-east-1f', 'use1-az5'],
    ]);
    const b = await c.send(
      new ec2.DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1b'] }] }),
    );
    assert.equal(b.Subnets!.length, 1);
    assert.equal(b.Subnets![0]!.MapPublicIpOnLaunch, true);
    const azs = await c.send(new ec2.DescribeAvailabilityZonesCommand({}));
    assert.equal(azs.AvailabilityZones!.length, 6);
    assert.equal(azs.AvailabilityZones![0]!.State, 'available');
    const e = await failure(() =>
      c.send(new ec2.DescribeSubnetsCommand({ SubnetIds: ['subnet-0123456789abcdef0'] })),
    );
    assert.equal(e.name, 'InvalidSubnetID.NotFound');
    assert.equal(e.$metadata.httpStatusCode, 400);
    const v = await failure(() =>
      c.send(new ec2.DescribeVpcsCommand({ Filters: [{ Name: 'bogus', Values: ['x'] }] })),
    );
    assert.equal(v.name, 'InvalidParameterValue');
  });

  it('finds the latest AL2023 x86_64 AMI owned by amazon, and only that family', async () => {
    const r = await c.send(
      new ec2.DescribeImagesCommand({
        Owners: ['amazon'],
        Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }],
      }),
    );
    assert.ok(r.Images!.length >= 3);
    for (const i of r.Images!) {
      assert.match(i.Name!, /^al2023-ami-2023\.[\d.]+-kernel-6\.1-x86_64$/);
      assert.equal(i.OwnerId, '137112412989');
      assert.equal(i.ImageOwnerAlias, 'amazon');
      assert.equal(i.Architecture, 'x86_64');
    }
    assert.equal((await latestAl2023()).Name, 'al2023-ami-2023.6.20250203.1-kernel-6.1-x86_64');
    // Without an owner filter a newer community copy matches too.
    const any = await c.send(
      new ec2.DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }] }),
    );
    assert.ok(any.Images!.some((i) => i.OwnerId !== '137112412989'));
    const byAlias = await c.send(
      new ec2.DescribeImagesCommand({
        Filters: [
          { Name: 'owner-alias', Values: ['amazon'] },
          { Name: 'architecture', Values: ['arm64'] },
        ],
      }),
    );
    assert.ok(byAlias.Images!.every((i) => i.Architecture === 'arm64' && i.OwnerId === '137112412989'));
    const e = await failure(() =>
      c.send(new ec2.DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })),
    );
    assert.equal(e.name, 'InvalidAMIID.NotFound');
    // Paginator over images.
    let n = 0;
    for await (const page of ec2.paginateDescribeImages({ client: c, pageSize: 5 }, { Owners: ['amazon'] })) {
      assert.ok(page.Images!.length <= 5);
      n += page.Images!.length;
    }
    assert.equal(n, (await c.send(new ec2.DescribeImagesCommand({ Owners: ['amazon'] }))).Images!.length);
  });

  it('creates, imports, describes and deletes key pairs', async () => {
    const rsa = await c.send(
      new ec2.CreateKeyPairCommand({
        KeyName: 'site-rsa',
        TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'app', Value: 'site' }] }],
      }),
    );
    assert.match(
      rsa.KeyMaterial!,
      /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----$/,
    );
    assert.match(rsa.KeyFingerprint!, /^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    assert.match(rsa.KeyPairId!, /^key-0[0-9a-f]{16}$/);
    assert.deepEqual(rsa.Tags, [{ Key: 'app', Value: 'site' }]);
    assert.ok(createPublicKey(rsa.KeyMaterial!));
    const ed = await c.send(new ec2.CreateKeyPairCommand({ KeyName: 'site-ed', KeyType: 'ed25519' }));
    assert.match(ed.KeyMaterial!, /^-----BEGIN OPENSSH PRIVATE KEY-----/);
    const pub = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBYi5Oz5GsJ0kyycUFAbsfK5w5k2pB0fJ6bq5f0Hk3uG me@host';
    const imp = await c.send(
      new ec2.ImportKeyPairCommand({ KeyName: 'imported', PublicKeyMaterial: Buffer.from(pub) }),
    );
    assert.equal(imp.KeyName, 'imported');
    const bad = await failure(() =>
      c.send(new ec2.ImportKeyPairCommand({ KeyName: 'bad', PublicKeyMaterial: Buffer.from('nope') })),
    );
    assert.equal(bad.name, 'InvalidKey.Format');

    const dup = await failure(() => c.send(new ec2.CreateKeyPairCommand({ KeyName: 'site-rsa' })));
    assert.equal(dup.name, 'InvalidKeyPair.Duplicate');
    assert.equal(dup.$metadata.httpStatusCode, 400);
    const byTag = await c.send(
      new ec2.DescribeKeyPairsCommand({ Filters: [{ Name: 'tag:app', Values: ['site'] }] }),
    );
    assert.deepEqual(
      byTag.KeyPairs!.map((k) => k.KeyName),
      ['site-rsa'],
    );
    const byName = await c.send(new ec2.DescribeKeyPairsCommand({ KeyNames: ['site-ed'] }));
    assert.equal(byName.KeyPairs![0]!.KeyType, 'ed25519');
    const nf = await failure(() => c.send(new ec2.DescribeKeyPairsCommand({ KeyNames: ['missing'] })));
    assert.equal(nf.name, 'InvalidKeyPair.NotFound');
    const dry = await failure(() =>
      c.send(new ec2.DeleteKeyPairCommand({ KeyName: 'site-ed', DryRun: true })),
    );
    assert.equal(dry.name, 'DryRunOperation');
    assert.equal(dry.$metadata.httpStatusCode, 412);
    for (const k of ['site-rsa', 'site-ed', 'imported'])
      await c.send(new ec2.DeleteKeyPairCommand({ KeyName: k }));
    await c.send(new ec2.DeleteKeyPairCommand({ KeyName: 'never-existed' })); // AWS: succeeds
    assert.equal((await c.send(new ec2.DescribeKeyPairsCommand({}))).KeyPairs!.length, 0);
  });

  it('manages security groups, rules and their errors', async () => {
    const vpcId = (await c.send(new ec2.DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
    const alb = await c.send(
      new ec2.CreateSecurityGroupCommand({
        GroupName: 'site-alb',
        Description: 'ALB',
        VpcId: vpcId,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'app', Value: 'site' }] }],
      }),
    );
    const web = await c.send(
      new ec2.CreateSecurityGroupCommand({ GroupName: 'site-web', Description: 'web', VpcId: vpcId }),
    );
    assert.match(alb.GroupId!, /^sg-0[0-9a-f]{16}$/);
    const dup = await failure(() =>
      c.send(new ec2.CreateSecurityGroupCommand({ GroupName: 'site-alb', Description: 'x', VpcId: vpcId })),
    );
    assert.equal(dup.name, 'InvalidGroup.Duplicate');
    await c.send(
      new ec2.AuthorizeSecurityGroupIngressCommand({
        GroupId: alb.GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const auth = await c.send(
      new ec2.AuthorizeSecurityGroupIngressCommand({
        GroupId: web.GroupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: '203.0.113.7/32', Description: 'me' }],
          },
          { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: alb.GroupId }] },
        ],
      }),
    );
    assert.equal(auth.Return, true);
    assert.equal(auth.SecurityGroupRules!.length, 2);
    const again = await failure(() =>
      c.send(
        new ec2.AuthorizeSecurityGroupIngressCommand({
          GroupId: alb.GroupId,
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
          ],
        }),
      ),
    );
    assert.equal(again.name, 'InvalidPermission.Duplicate');
    const d = await c.send(new ec2.DescribeSecurityGroupsCommand({ GroupIds: [web.GroupId!] }));
    const perms = d.SecurityGroups![0]!.IpPermissions!;
    assert.equal(perms.find((p) => p.FromPort === 22)!.IpRanges![0]!.CidrIp, '203.0.113.7/32');
    assert.equal(perms.find((p) => p.FromPort === 80)!.UserIdGroupPairs![0]!.GroupId, alb.GroupId);
    assert.equal(d.SecurityGroups![0]!.IpPermissionsEgress![0]!.IpProtocol, '-1');
    const byName = await c.send(
      new ec2.DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'group-name', Values: ['site-*'] },
          { Name: 'vpc-id', Values: [vpcId] },
        ],
      }),
    );
    assert.equal(byName.SecurityGroups!.length, 2);
    const byTag = await c.send(
      new ec2.DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:app', Values: ['site'] }] }),
    );
    assert.deepEqual(
      byTag.SecurityGroups!.map((g) => g.GroupId),
      [alb.GroupId],
    );
    const byId = await c.send(
      new ec2.DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: [web.GroupId!] }] }),
    );
    assert.equal(byId.SecurityGroups!.length, 1);
    const nf = await failure(() =>
      c.send(new ec2.DescribeSecurityGroupsCommand({ GroupIds: ['sg-0123456789abcdef0'] })),
    );
    assert.equal(nf.name, 'InvalidGroup.NotFound');
    const malformed = await failure(() =>
      c.send(new ec2.DescribeSecurityGroupsCommand({ GroupIds: ['nope'] })),
    );
    assert.equal(malformed.name, 'InvalidGroupId.Malformed');
    // Referenced by web's rule: cannot delete.
    const dv = await failure(() => c.send(new ec2.DeleteSecurityGroupCommand({ GroupId: alb.GroupId })));
    assert.equal(dv.name, 'DependencyViolation');
    const rv = await c.send(
      new ec2.RevokeSecurityGroupIngressCommand({
        GroupId: web.GroupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: alb.GroupId }] },
        ],
      }),
    );
    assert.equal(rv.Return, true);
    const dry = await failure(() =>
      c.send(new ec2.DeleteSecurityGroupCommand({ GroupId: alb.GroupId, DryRun: true })),
    );
    assert.equal(dry.name, 'DryRunOperation');
    await c.send(new ec2.DeleteSecurityGroupCommand({ GroupId: alb.GroupId }));
    await c.send(new ec2.DeleteSecurityGroupCommand({ GroupId: web.GroupId }));
    const gone = await failure(() => c.send(new ec2.DeleteSecurityGroupCommand({ GroupId: web.GroupId })));
    assert.equal(gone.name, 'InvalidGroup.NotFound');
    const def = (await c.send(new ec2.DescribeSecurityGroupsCommand({ GroupNames: ['default'] })))
      .SecurityGroups![0]!;
    assert.equal(
      (await failure(() => c.send(new ec2.DeleteSecurityGroupCommand({ GroupId: def.GroupId })))).name,
      'CannotDelete',
    );
  });

  it('runs, describes, filters, pages and terminates instances', async () => {
    const ami = await latestAl2023();
    const subnet = (
      await c.send(
        new ec2.DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1b'] }] }),
      )
    ).Subnets![0]!;
    const sg = await c.send(
      new ec2.CreateSecurityGroupCommand({ GroupName: 'inst', Description: 'i', VpcId: subnet.VpcId }),
    );
    await c.send(new ec2.CreateKeyPairCommand({ KeyName: 'inst-key' }));
    const run = await c.send(
      new ec2.RunInstancesCommand({
        ImageId: ami.ImageId,
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        KeyName: 'inst-key',
        SubnetId: subnet.SubnetId,
        SecurityGroupIds: [sg.GroupId!],
        UserData: HTTPD_USER_DATA,
        MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
        BlockDeviceMappings: [
          { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 16, VolumeType: 'gp3', Encrypted: true } },
        ],
        TagSpecifications: [
          {
            ResourceType: 'instance',
            Tags: [
              { Key: 'Name', Value: 'site-web' },
              { Key: 'app', Value: 'site' },
            ],
          },
          { ResourceType: 'volume', Tags: [{ Key: 'app', Value: 'site' }] },
        ],
      }),
    );
    const i = run.Instances![0]!;
    assert.match(run.ReservationId!, /^r-0[0-9a-f]{16}$/);
    assert.match(i.InstanceId!, /^i-0[0-9a-f]{16}$/);
    assert.deepEqual(i.State, { Code: 0, Name: 'pending' });
    assert.equal(i.StateReason?.Code, 'pending');
    assert.equal(i.Placement!.AvailabilityZone, 'us-east-1b');
    assert.equal(i.SubnetId, subnet.SubnetId);
    assert.equal(i.VpcId, subnet.VpcId);
    assert.equal(i.KeyName, 'inst-key');
    assert.deepEqual(i.SecurityGroups, [{ GroupId: sg.GroupId, GroupName: 'inst' }]);
    assert.equal(i.MetadataOptions!.HttpTokens, 'required');
    assert.match(i.PrivateIpAddress!, /^172\.31\.(1[6-9]|2\d|3[01])\.\d+$/);
    assert.ok(i.LaunchTime instanceof Date);

    const running = await until(
      () => c.send(new ec2.DescribeInstancesCommand({ InstanceIds: [i.InstanceId!] })),
      (r) => r.Reservations![0]!.Instances![0]!.State!.Name === 'running',
    );
    const ri = running.Reservations![0]!.Instances![0]!;
    assert.equal(ri.State!.Code, 16);
    assert.match(ri.PublicDnsName!, /^ec2-\d+-\d+-\d+-\d+\.compute-1\.aws-sim\.invalid$/);
    assert.equal(ri.ImageId, ami.ImageId);
    assert.equal(ri.InstanceType, 't3.micro');
    assert.equal(ri.BlockDeviceMappings![0]!.DeviceName, '/dev/xvda');
    assert.deepEqual(ri.Tags, [
      { Key: 'Name', Value: 'site-web' },
      { Key: 'app', Value: 'site' },
    ]);

    const volTags = await c.send(
      new ec2.DescribeTagsCommand({ Filters: [{ Name: 'resource-type', Values: ['volume'] }] }),
    );
    assert.equal(volTags.Tags![0]!.ResourceId, ri.BlockDeviceMappings![0]!.Ebs!.VolumeId);

    // Filters.
    const f = (Filters: ec2.Filter[]) =>
      c
        .send(new ec2.DescribeInstancesCommand({ Filters }))
        .then((r) => r.Reservations!.flatMap((x) => x.Instances!));
    assert.equal(
      (
        await f([
          { Name: 'tag:Name', Values: ['site-web'] },
          { Name: 'instance-state-name', Values: ['pending', 'running'] },
        ])
      ).length,
      1,
    );
    assert.equal((await f([{ Name: 'tag-key', Values: ['app'] }])).length, 1);
    assert.equal((await f([{ Name: 'key-name', Values: ['inst-key'] }])).length, 1);
    assert.equal((await f([{ Name: 'instance-state-name', Values: ['stopped'] }])).length, 0);
    assert.equal((await f([{ Name: 'availability-zone', Values: ['us-east-1a'] }])).length, 0);

    const st = await c.send(new ec2.DescribeInstanceStatusCommand({ InstanceIds: [i.InstanceId!] }));
    assert.equal(st.InstanceStatuses![0]!.InstanceState!.Name, 'running');

    // Errors.
    assert.equal(
      (
        await failure(() =>
          c.send(new ec2.DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })),
        )
      ).name,
      'InvalidInstanceID.NotFound',
    );
    assert.equal(
      (await failure(() => c.send(new ec2.DescribeInstancesCommand({ InstanceIds: ['bogus'] })))).name,
      'InvalidInstanceID.Malformed',
    );
    const badAmi = await failure(() =>
      c.send(new ec2.RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', MinCount: 1, MaxCount: 1 })),
    );
    assert.equal(badAmi.name, 'InvalidAMIID.NotFound');
    const badSubnet = await failure(() =>
      c.send(
        new ec2.RunInstancesCommand({
          ImageId: ami.ImageId,
          MinCount: 1,
          MaxCount: 1,
          SubnetId: 'subnet-0123456789abcdef0',
        }),
      ),
    );
    assert.equal(badSubnet.name, 'InvalidSubnetID.NotFound');
    const badKey = await failure(() =>
      c.send(
        new ec2.RunInstancesCommand({ ImageId: ami.ImageId, MinCount: 1, MaxCount: 1, KeyName: 'nope' }),
      ),
    );
    assert.equal(badKey.name, 'InvalidKeyPair.NotFound');
    const missing = await failure(() => c.send(new ec2.RunInstancesCommand({ ImageId: ami.ImageId } as any)));
    assert.equal(missing.name, 'MissingParameter');
    const dry = await failure(() =>
      c.send(new ec2.RunInstancesCommand({ ImageId: ami.ImageId, MinCount: 1, MaxCount: 1, DryRun: true })),
    );
    assert.equal(dry.name, 'DryRunOperation');
    assert.equal(dry.$metadata.httpStatusCode, 412);

    // Instance keeps its SG in use until it is terminated.
    assert.equal(
      (await failure(() => c.send(new ec2.DeleteSecurityGroupCommand({ GroupId: sg.GroupId })))).name,
      'DependencyViolation',
    );
    const term = await c.send(new ec2.TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    assert.deepEqual(term.TerminatingInstances![0]!.CurrentState, { Code: 32, Name: 'shutting-down' });
    assert.deepEqual(term.TerminatingInstances![0]!.PreviousState, { Code: 16, Name: 'running' });
    const t = await until(
      () => c.send(new ec2.DescribeInstancesCommand({ InstanceIds: [i.InstanceId!] })),
      (r) => r.Reservations![0]!.Instances![0]!.State!.Name === 'terminated',
    );
    assert.equal(t.Reservations![0]!.Instances![0]!.StateReason!.Code, 'Client.UserInitiatedShutdown');
    await c.send(new ec2.DeleteSecurityGroupCommand({ GroupId: sg.GroupId }));
    await c.send(new ec2.DeleteKeyPairCommand({ KeyName: 'inst-key' }));
  });

  it('paginates DescribeInstances with the SDK paginator', async () => {
    const ami = await latestAl2023();
    await c.send(
      new ec2.RunInstancesCommand({
        ImageId: ami.ImageId,
        InstanceType: 't3.micro',
        MinCount: 7,
        MaxCount: 7,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'batch', Value: 'p' }] }],
      }),
    );
    const pages: number[] = [];
    for await (const p of ec2.paginateDescribeInstances(
      { client: c, pageSize: 5 },
      { Filters: [{ Name: 'tag:batch', Values: ['p'] }] },
    ))
      pages.push(p.Reservations!.flatMap((r) => r.Instances!).length);
    assert.deepEqual(pages, [5, 2]);
    const bad = await failure(() => c.send(new ec2.DescribeInstancesCommand({ MaxResults: 2 })));
    assert.equal(bad.name, 'InvalidParameterValue');
  });

  it('offers instance types per zone as AWS does, and refuses a launch in a zone that lacks the type', async () => {
    const offered = async (type: string, locationType: ec2.LocationType = 'availability-zone') => {
      const zones: string[] = [];
      const pages = ec2.paginateDescribeInstanceTypeOfferings(
        { client: c, pageSize: 5 },
        { LocationType: locationType, Filters: [{ Name: 'instance-type', Values: [type] }] },
      );
      for await (const page of pages) zones.push(...page.InstanceTypeOfferings!.map((o) => o.Location!));
      return zones;
    };
    // use1-az3 (us-east-1e here) offers only previous-generation types: t2, not t3 or Graviton.
    assert.deepEqual(await offered('t3.micro'), [
      'us-east-1a',
      'us-east-1b',
      'us-east-1c',
      'us-east-1d',
      'us-east-1f',
    ]);
    assert.equal((await offered('t2.micro')).length, 6);
    assert.deepEqual(await offered('t3.micro', 'availability-zone-id'), [
      'use1-az6',
      'use1-az1',
      'use1-az2',
      'use1-az4',
      'use1-az5',
    ]);
    assert.deepEqual(await offered('t3.micro', 'region'), ['us-east-1']);
    const everything = await c.send(new ec2.DescribeInstanceTypeOfferingsCommand({ MaxResults: 5 }));
    assert.equal(everything.InstanceTypeOfferings!.length, 5);
    assert.ok(everything.NextToken);
    const badMax = await failure(() =>
      c.send(new ec2.DescribeInstanceTypeOfferingsCommand({ MaxResults: 2000 })),
    );
    assert.equal(badMax.name, 'InvalidParameterValue');

    const ami = await al2023Image(c);
    const zoneE = (
      await c.send(
        new ec2.DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1e'] }] }),
      )
    ).Subnets![0]!.SubnetId!;
    const launch = (InstanceType: ec2._InstanceType) =>
      c.send(
        new ec2.RunInstancesCommand({
          ImageId: ami.ImageId,
          InstanceType,
          MinCount: 1,
          MaxCount: 1,
          SubnetId: zoneE,
        }),
      );
    const refused = await failure(() => launch('t3.micro'));
    assert.equal(refused.name, 'Unsupported');
    assert.equal(
      refused.message,
      'Your requested instance type (t3.micro) is not supported in your requested Availability Zone (us-east-1e). ' +
        'Please retry your request by not specifying an Availability Zone or choosing us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1f.',
    );
    const t2 = await launch('t2.micro');
    await c.send(new ec2.TerminateInstancesCommand({ InstanceIds: [t2.Instances![0]!.InstanceId!] }));
  });

  it('is idempotent on ClientToken and rejects a changed request', async () => {
    const ami = await latestAl2023();
    const req: ec2.RunInstancesCommandInput = {
      ImageId: ami.ImageId,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      ClientToken: 'deploy-1',
    };
    const a = await c.send(new ec2.RunInstancesCommand(req));
    const b = await c.send(new ec2.RunInstancesCommand(req));
    assert.equal(b.ReservationId, a.ReservationId);
    assert.equal(b.Instances![0]!.InstanceId, a.Instances![0]!.InstanceId);
    const mismatch = await failure(() =>
      c.send(new ec2.RunInstancesCommand({ ...req, InstanceType: 't3.small' })),
    );
    assert.equal(mismatch.name, 'IdempotentParameterMismatch');
    assert.equal(mismatch.$metadata.httpStatusCode, 400);
    const runs = sim.calls.filter(
      (x) => x.action === 'RunInstances' && (x.params as any).ClientToken === 'deploy-1',
    );
    assert.deepEqual(
      runs.map((x) => x.mutating),
      [true, false, false],
    );
    assert.deepEqual(
      runs.map((x) => x.error),
      [undefined, undefined, 'IdempotentParameterMismatch'],
    );
  });

  it('creates, describes and deletes tags', async () => {
    const vpcId = (await c.send(new ec2.DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
    const sg = await c.send(
      new ec2.CreateSecurityGroupCommand({ GroupName: 'tagged', Description: 't', VpcId: vpcId }),
    );
    await c.send(
      new ec2.CreateTagsCommand({
        Resources: [sg.GroupId!],
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    const d = await c.send(
      new ec2.DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [sg.GroupId!] }] }),
    );
    assert.deepEqual(d.Tags, [
      { Key: 'a', Value: '1', ResourceId: sg.GroupId, ResourceType: 'security-group' },
      { Key: 'b', Value: '2', ResourceId: sg.GroupId, ResourceType: 'security-group' },
    ]);
    const byKey = await c.send(
      new ec2.DescribeTagsCommand({
        Filters: [
          { Name: 'key', Values: ['b'] },
          { Name: 'resource-type', Values: ['security-group'] },
        ],
      }),
    );
    assert.equal(byKey.Tags!.length, 1);
    await c.send(new ec2.DeleteTagsCommand({ Resources: [sg.GroupId!], Tags: [{ Key: 'a' }] }));
    const after = await c.send(
      new ec2.DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [sg.GroupId!] }] }),
    );
    assert.deepEqual(
      after.Tags!.map((t) => t.Key),
      ['b'],
    );
    const nf = await failure(() =>
      c.send(
        new ec2.CreateTagsCommand({ Resources: ['i-0123456789abcdef0'], Tags: [{ Key: 'x', Value: 'y' }] }),
      ),
    );
    assert.equal(nf.name, 'InvalidInstanceID.NotFound');
    await c.send(new ec2.DeleteSecurityGroupCommand({ GroupId: sg.GroupId }));
  });

  it('answers unknown actions with InvalidAction', async () => {
    const res = await fetch(sim.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=FlyToTheMoon&Version=2016-11-15',
    });
    assert.equal(res.status, 400);
    assert.match(
      await res.text(),
      /<Response><Errors><Error><Code>InvalidAction<\/Code>.*<\/Errors><RequestID>[0-9a-f-]+<\/RequestID><\/Response>/,
    );
  });
});
