import { strict as assert } from 'node:assert';
import type { ResourceContext } from '@site-cli/core/plugin';
import { createTestContext } from '@site-cli/core/testing';
import { startSimulator, type Simulator } from '@site-cli/aws-sim';
import hook from '../src/hooks/resources.js';
import type { AlbSecurityGroupOutput, InstanceSecurityGroupOutput, VpcOutput } from '../src/outputs.js';

/** Behaviour against aws-sim (real wire protocol on loopback): what a user would check. */
describe('network resources against aws-sim', function () {
  this.timeout(60_000);
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ profile: 'fast' });
  });
  after(async () => {
    await sim?.stop();
  });

  function context(
    config: Record<string, unknown> = {},
    outputs = new Map<string, unknown>(),
  ): ResourceContext {
    const input = { name: 'simsite', ssh: { cidr: '203.0.113.7/32' }, ...config };
    return createTestContext(input, { endpoint: sim.endpoint, maxAttempts: 3, outputs, timeScale: 0.05 }).ctx;
  }

  async function resources() {
    const list = await hook({} as never);
    return Object.fromEntries(list.map((resource) => [resource.id, resource]));
  }

  /** Discover (and create what is missing) in dependency order, as the core's graph would. */
  async function deploy(config: Record<string, unknown> = {}) {
    const r = await resources();
    const outputs = new Map<string, unknown>();
    const ctx = context(config, outputs);
    for (const id of [
      'network.vpc',
      'network.public-ip',
      'network.alb-security-group',
      'network.instance-security-group',
    ]) {
      const found = await r[id].discover(ctx);
      outputs.set(id, found ?? (await r[id].create(ctx)));
    }
    return { outputs, r };
  }

  it('create → discover finds both groups → no drift → destroy → nothing left', async () => {
    const { outputs, r } = await deploy();
    const vpc = outputs.get('network.vpc') as VpcOutput;
    assert.ok(vpc.subnets.length >= 2);
    const albGroup = outputs.get('network.alb-security-group') as AlbSecurityGroupOutput;
    const instanceGroup = outputs.get('network.instance-security-group') as InstanceSecurityGroupOutput;
    assert.equal(instanceGroup.sshCidr, '203.0.113.7/32');

    // A second run (any machine) discovers everything and creates nothing.
    const mutating = sim.mutatingCalls().length;
    const again = await deploy();
    assert.equal(sim.mutatingCalls().length, mutating);
    assert.deepEqual(again.outputs.get('network.alb-security-group'), albGroup);
    assert.deepEqual(again.outputs.get('network.instance-security-group'), instanceGroup);
    const ctx = context({}, again.outputs);
    assert.deepEqual(await r['network.alb-security-group'].diff!(ctx, albGroup), []);
    assert.deepEqual(await r['network.instance-security-group'].diff!(ctx, instanceGroup), []);

    // The rules as AWS reports them.
    const ec2 = await ctx.aws.ec2();
    const described = await ec2.describeSecurityGroups({ GroupIds: [instanceGroup.groupId] });
    const permissions = described.SecurityGroups?.[0].IpPermissions ?? [];
    const http = permissions.find((p) => p.FromPort === 80);
    assert.deepEqual(
      http?.UserIdGroupPairs?.map((pair) => pair.GroupId),
      [albGroup.groupId],
    );
    assert.deepEqual(http?.IpRanges ?? [], []);
    assert.deepEqual(
      permissions.find((p) => p.FromPort === 22)?.IpRanges?.map((range) => range.CidrIp),
      ['203.0.113.7/32'],
    );

    // A new address is an update, not a replacement.
    const moved = context({ ssh: { cidr: '198.51.100.23/32' } }, again.outputs);
    const movedPublicIp = await r['network.public-ip'].discover(moved);
    again.outputs.set('network.public-ip', movedPublicIp);
    const changes = await r['network.instance-security-group'].diff!(
      context({}, again.outputs),
      instanceGroup,
    );
    assert.deepEqual(changes, [
      { field: 'SSH ingress (tcp/22)', from: ['203.0.113.7/32'], to: ['198.51.100.23/32'] },
    ]);
    const updated = await r['network.instance-security-group'].update!(
      context({}, again.outputs),
      instanceGroup,
      changes,
    );
    assert.equal((updated as InstanceSecurityGroupOutput).sshCidr, '198.51.100.23/32');

    // Destroy in reverse order; both are idempotent.
    await r['network.instance-security-group'].destroy(ctx, instanceGroup);
    await r['network.alb-security-group'].destroy(ctx, albGroup);
    await r['network.alb-security-group'].destroy(ctx, albGroup);
    const fresh = context({}, new Map([['network.vpc', vpc]]));
    assert.equal(await r['network.alb-security-group'].discover(fresh), undefined);
    assert.equal(await r['network.instance-security-group'].discover(fresh), undefined);
  });

  it('preflights creating a group and changing its rules with DryRun, changing nothing', async () => {
    const r = await resources();
    const outputs = new Map<string, unknown>();
    const ctx = context({ name: 'preflight' }, outputs);
    outputs.set('network.vpc', await r['network.vpc'].discover(ctx));
    const mutating = sim.mutatingCalls().length;
    const dryRuns = () =>
      sim.calls.filter((c) => (c.params as { DryRun?: boolean }).DryRun).map((c) => `${c.action} ${c.error}`);
    let seen = dryRuns().length;
    await r['network.alb-security-group'].preflight!(ctx, { action: 'create' });
    assert.deepEqual(dryRuns().slice(seen), ['CreateSecurityGroup DryRunOperation']);
    assert.equal(sim.mutatingCalls().length, mutating);

    // A group that exists but was not in the plan (not listed yet after a stopped run): create's to resume.
    const existing = await r['network.alb-security-group'].create(ctx);
    await r['network.alb-security-group'].preflight!(ctx, { action: 'create' });
    assert.deepEqual(dryRuns().slice(-1), ['CreateSecurityGroup InvalidGroup.Duplicate']);
    await r['network.alb-security-group'].destroy(ctx, existing);

    // Another listener port: the update would authorize the new port and revoke the old one.
    const group = await r['network.alb-security-group'].create(ctx);
    const moved = context({ name: 'preflight', alb: { port: 8080 } }, outputs);
    const before = sim.mutatingCalls().length;
    seen = dryRuns().length;
    await r['network.alb-security-group'].preflight!(moved, { action: 'update', found: group });
    assert.deepEqual(dryRuns().slice(seen).sort(), [
      'AuthorizeSecurityGroupIngress DryRunOperation',
      'RevokeSecurityGroupIngress DryRunOperation',
    ]);
    sim.setFaults({ deny: { 'ec2:AuthorizeSecurityGroupIngress': 'UnauthorizedOperation' } });
    try {
      const error = await r['network.alb-security-group'].preflight!(moved, {
        action: 'update',
        found: group,
      }).catch((e: unknown) => e);
      assert.equal((error as { code?: string }).code, 'PREFLIGHT_DENIED');
      assert.match((error as Error).message, /ec2:AuthorizeSecurityGroupIngress/);
    } finally {
      sim.setFaults({});
    }
    assert.equal(sim.mutatingCalls().length, before, 'nothing changed');
    await r['network.alb-security-group'].destroy(ctx, group);
  });

  it('refuses a same-named group without our tags and leaves it alone', async () => {
    const r = await resources();
    const ctx = context();
    const vpc = (await r['network.vpc'].discover(ctx)) as VpcOutput;
    const ec2 = await ctx.aws.ec2();
    const theirs = await ec2.createSecurityGroup({
      GroupName: 'simsite-alb-sg',
      Description: 'not ours',
      VpcId: vpc.vpcId,
    });
    const before = sim.mutatingCalls().length;
    await assert.rejects(r['network.alb-security-group'].discover(context()), {
      code: 'SECURITY_GROUP_CONFLICT',
    });
    await assert.rejects(
      r['network.alb-security-group'].create(context({}, new Map([['network.vpc', vpc]]))),
      { code: 'SECURITY_GROUP_CONFLICT' },
    );
    // Nothing was changed: no successful mutating call.
    assert.deepEqual(
      sim
        .mutatingCalls()
        .slice(before)
        .filter((call) => !call.error && call.status < 400),
      [],
    );
    await ec2.deleteSecurityGroup({ GroupId: theirs.GroupId });
  });
  it('a group an interrupted or concurrent run made a moment ago, not listed yet, is adopted on Duplicate', async () => {
    const r = await resources();
    const vpc = (await r['network.vpc'].discover(context({ name: 'simsite2' }))) as VpcOutput;
    const outputs = () => new Map<string, unknown>([['network.vpc', vpc]]);
    const first = (await r['network.alb-security-group'].create(
      context({ name: 'simsite2' }, outputs()),
    )) as AlbSecurityGroupOutput;
    sim.setFaults({ consistencyWindowMs: 1000 });
    try {
      // Made just now: the resumed run's discovery misses it, so it creates, and AWS says Duplicate.
      const resumed = createTestContext(
        { name: 'simsite2', ssh: { cidr: '203.0.113.7/32' } },
        { endpoint: sim.endpoint, maxAttempts: 3, outputs: outputs(), timeScale: 0.2 },
      ).ctx;
      const before = sim.calls.length;
      const adopted = await r['network.alb-security-group'].create(resumed);
      assert.deepEqual(adopted, first);
      assert.deepEqual(
        sim.calls
          .slice(before)
          .filter((call) => /^(Create|Authorize|Revoke)/.test(call.action))
          .map((call) => `${call.action} ${call.error ?? 'ok'}`),
        ['CreateSecurityGroup InvalidGroup.Duplicate'],
        'no second group, and no rule added twice',
      );
    } finally {
      sim.setFaults({});
    }
    await r['network.alb-security-group'].destroy(context({ name: 'simsite2' }), first);
  });
});
