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

  async function context(configInput: Record<string, unknown> = {}): Promise<ResourceContext> {
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
});
