import { strict as assert } from 'node:assert';
import { createAwsClients, type ResourceContext } from '@site-cli/core';
import { createTestContext } from '@site-cli/core/testing';
import { startSimulator, type Simulator } from '@site-cli/aws-sim';
import { amiResource } from '../src/resources/ami.js';
import { instancesResource } from '../src/resources/instances.js';

/** Behaviour against aws-sim: create → discover finds it → no diff → replace on change → destroy → nothing left. */
describe('compute against aws-sim', function () {
  this.timeout(60_000);
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ profile: 'fast' });
  });
  after(async () => sim?.stop());

  /** `fresh`: as before a first deploy, when neither the key pair nor the instance group exist yet. */
  async function context(
    configInput: Record<string, unknown> = {},
    options: { fresh?: boolean } = {},
  ): Promise<ResourceContext> {
    const aws = createAwsClients({
      region: 'us-east-1',
      endpoint: sim.endpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 2,
    });
    const ec2 = await aws.ec2();
    const { Vpcs = [] } = await ec2.describeVpcs({ Filters: [{ Name: 'is-default', Values: ['true'] }] });
    const vpcId = Vpcs[0].VpcId as string;
    const { Subnets = [] } = await ec2.describeSubnets({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] });
    const groups = await ec2.describeSecurityGroups({
      Filters: [{ Name: 'group-name', Values: ['sim-cafe-instance-sg'] }],
    });
    const groupId =
      groups.SecurityGroups?.[0]?.GroupId ??
      (
        await ec2.createSecurityGroup({
          GroupName: 'sim-cafe-instance-sg',
          Description: 'test',
          VpcId: vpcId,
        })
      ).GroupId;
    const keys = await ec2.describeKeyPairs({}).catch(() => ({ KeyPairs: [] }));
    if (!keys.KeyPairs?.some((k) => k.KeyName === 'sim-cafe-key'))
      await ec2.createKeyPair({ KeyName: 'sim-cafe-key' });
    const outputs = new Map<string, unknown>([
      [
        'keypair.key-pair',
        { keyName: 'sim-cafe-key', keyPairId: 'key-1', pemPath: '/tmp/sim-cafe-key.pem', pemPresent: false },
      ],
      [
        'network.instance-security-group',
        { groupId, groupName: 'sim-cafe-instance-sg', vpcId, sshCidr: null },
      ],
      [
        'network.vpc',
        {
          vpcId,
          cidrBlock: '172.31.0.0/16',
          subnets: Subnets.map((s) => ({ subnetId: s.SubnetId, availabilityZone: s.AvailabilityZone })),
        },
      ],
    ]);
    if (options.fresh) {
      outputs.delete('keypair.key-pair');
      outputs.delete('network.instance-security-group');
    }
    const { ctx } = createTestContext(
      { name: 'sim-cafe', ...configInput },
      { endpoint: sim.endpoint, maxAttempts: 2, outputs, timeScale: 0.05 },
    );
    outputs.set('compute.ami', await amiResource().discover(ctx));
    return ctx;
  }

  it('launches, finds, keeps, replaces and destroys instances', async () => {
    const resource = instancesResource();
    const ctx = await context({ instance: { count: 2 } });
    assert.equal(await resource.discover(ctx), undefined);
    const created = await resource.create(ctx);
    assert.equal(created.instances.length, 2);
    assert.equal(new Set(created.instances.map((i) => i.availabilityZone)).size, 2, 'spread over two AZs');

    const again = await context({ instance: { count: 2 } });
    const found = await resource.discover(again);
    assert.deepEqual(
      found?.instances.map((i) => i.instanceId).sort(),
      created.instances.map((i) => i.instanceId).sort(),
    );
    assert.deepEqual(await resource.diff!(again, found!), []);
    // Creating again (a resumed deploy) launches nothing new.
    const before = sim.callCounts().RunInstances ?? 0;
    await resource.create(again);
    assert.equal(sim.callCounts().RunInstances ?? 0, before);

    const changed = await context({ instance: { count: 2, type: 't3.micro' } });
    const stale = await resource.discover(changed);
    assert.deepEqual(
      (await resource.diff!(changed, stale!)).map((c) => c.field),
      ['instance type'],
    );
    const updated = await resource.update!(changed, stale!, []);
    assert.equal(updated.retiring.length, 2);
    const final = await resource.finalize!(changed, updated);
    assert.deepEqual(final.retiring, []);

    const last = await context({ instance: { count: 2, type: 't3.micro' } });
    const current = await resource.discover(last);
    assert.equal(current?.instances.length, 2);
    assert.deepEqual(current?.retiring, []);
    await resource.destroy(last, current!);
    assert.equal(await resource.discover(await context()), undefined);
  });

  it('preflights a launch with DryRun and the launch’s own parameters, creating nothing', async () => {
    const resource = instancesResource();
    const ctx = await context();
    const fresh = await context({}, { fresh: true });
    const mutating = sim.mutatingCalls().length;
    const dryRuns = () => sim.calls.filter((c) => c.action === 'RunInstances' && (c.params as any).DryRun);
    const seen = dryRuns().length;

    await resource.preflight!(ctx, { action: 'create' });
    await resource.preflight!(fresh, { action: 'create' });
    const [existing, first] = dryRuns().slice(seen) as { params: any; error?: string }[];
    assert.equal(existing!.error, 'DryRunOperation');
    // Not the launch's own token (a sha256): the SDK fills in a random one, so it never stands for the launch.
    assert.doesNotMatch(existing!.params.ClientToken ?? '', /^[0-9a-f]{64}$/);
    assert.equal(existing!.params.KeyName, 'sim-cafe-key');
    assert.equal(existing!.params.SecurityGroupIds.length, 1);
    assert.equal(existing!.params.MetadataOptions.HttpTokens, 'required');
    assert.equal(existing!.params.BlockDeviceMappings[0].Ebs.Encrypted, true);
    const tags = existing!.params.TagSpecifications[0].Tags;
    assert.ok(tags.some((t: any) => t.Key === 'site:name' && t.Value === 'sim-cafe'));
    // Before a first deploy the key pair and the group do not exist: AWS checks the rest.
    assert.equal(first!.error, 'DryRunOperation');
    assert.equal(first!.params.KeyName, undefined);
    assert.equal(first!.params.SecurityGroupIds, undefined);

    sim.setFaults({ deny: { 'ec2:RunInstances': 'UnauthorizedOperation' } });
    try {
      const error = await resource.preflight!(ctx, { action: 'create' }).catch((e) => e);
      assert.equal(error.code, 'PREFLIGHT_DENIED');
      assert.equal(error.details.action, 'ec2:RunInstances');
    } finally {
      sim.setFaults({});
    }
    assert.equal(sim.mutatingCalls().length, mutating, 'nothing was created');
  });
});
