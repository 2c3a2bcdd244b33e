import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ec2 from '@aws-sdk/client-ec2';
import * as elb from '@aws-sdk/client-elastic-load-balancing-v2';
import { ManualClock, startSimulator, type SimulatorOptions } from '../src/index.js';
import { clients, failure, HTTPD_USER_DATA, until, untilRunning } from './helpers.js';

async function scenario(opts: SimulatorOptions) {
  const sim = await startSimulator({ clock: new ManualClock(), ...opts });
  const { ec2: e, elb: l } = clients(sim);
  const out: string[] = [];
  const attempt = async (fn: () => Promise<string>) => {
    try {
      out.push(await fn());
    } catch (err: any) {
      out.push(`error:${err.name}:${err.$metadata?.httpStatusCode}`);
    }
  };
  for (let i = 0; i < 6; i++) {
    await attempt(
      async () =>
        (await e.send(new ec2.CreateSecurityGroupCommand({ GroupName: `g${i}`, Description: 'x' }))).GroupId!,
    );
    await attempt(
      async () =>
        (await e.send(new ec2.CreateKeyPairCommand({ KeyName: `k${i}`, KeyType: 'ed25519' }))).KeyPairId!,
    );
    await attempt(async () => {
      const ami = (await e.send(new ec2.DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId!;
      return (await e.send(new ec2.RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1 })))
        .Instances![0]!.InstanceId!;
    });
    await attempt(async () => {
      const vpc = (await e.send(new ec2.DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
      return (
        await l.send(
          new elb.CreateTargetGroupCommand({ Name: `tg${i}`, Protocol: 'HTTP', Port: 80, VpcId: vpc }),
        )
      ).TargetGroups![0]!.TargetGroupArn!;
    });
  }
  const calls = sim.calls.map((c) => `${c.action}:${c.error ?? 'ok'}`);
  await sim.stop();
  return { out, calls };
}

describe('determinism, faults and persistence', () => {
  it('gives the same ids for the same seed and different ids for another seed', async () => {
    const a = await scenario({ seed: 42 });
    const b = await scenario({ seed: 42 });
    const c = await scenario({ seed: 7 });
    assert.deepEqual(a.out, b.out);
    assert.notDeepEqual(a.out, c.out);
    assert.ok(a.out.every((x) => !x.startsWith('error')));
  });

  it('injects the same seeded faults run after run', async () => {
    const faults = { throttleRate: 0.2, serverErrorRate: 0.1 };
    const a = await scenario({ seed: 3, faults });
    const b = await scenario({ seed: 3, faults });
    assert.deepEqual(a.calls, b.calls);
    assert.deepEqual(a.out, b.out);
    const errors = a.calls.filter((c) => !c.endsWith(':ok'));
    assert.ok(
      errors.some((c) => /RequestLimitExceeded|Throttling/.test(c)),
      'some throttling expected',
    );
    assert.ok(
      errors.some((c) => /InternalError|Unavailable|InternalFailure|ServiceUnavailable/.test(c)),
      'some server errors expected',
    );
    assert.ok(a.out.some((o) => o === 'error:RequestLimitExceeded:503'));
  });

  it('loses answers on request: the change is made, the client hears 500, and a retry meets what it made', async () => {
    const sim = await startSimulator({ seed: 9, faults: { lostResponseRate: 1 } });
    try {
      const { ec2: e } = clients(sim);
      const lost = await failure(() =>
        e.send(new ec2.CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web' })),
      );
      assert.equal(lost.$metadata.httpStatusCode, 500);
      assert.deepEqual(
        sim.mutatingCalls().map((c) => `${c.action}:${c.error}`),
        ['CreateSecurityGroup:InternalError'],
        'the call changed state though it failed',
      );
      // Reads are never lost; the group is there.
      const listed = await e.send(
        new ec2.DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['web'] }] }),
      );
      assert.equal(listed.SecurityGroups?.length, 1);
      sim.setFaults({});
      const retried = await failure(() =>
        e.send(new ec2.CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web' })),
      );
      assert.equal(retried.name, 'InvalidGroup.Duplicate');
    } finally {
      await sim.stop();
    }
  });

  it('denies actions on request and records the call log', async () => {
    const sim = await startSimulator({
      faults: { deny: { RunInstances: 'UnauthorizedOperation', 'elbv2:CreateLoadBalancer': 'AccessDenied' } },
    });
    try {
      const { ec2: e, elb: l } = clients(sim);
      const r = await failure(() =>
        e.send(new ec2.RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', MinCount: 1, MaxCount: 1 })),
      );
      assert.equal(r.name, 'UnauthorizedOperation');
      assert.equal(r.$metadata.httpStatusCode, 403);
      const lb = await failure(() => l.send(new elb.CreateLoadBalancerCommand({ Name: 'x', Subnets: [] })));
      assert.equal(lb.Code, 'AccessDenied');
      assert.equal(lb.$metadata.httpStatusCode, 403);
      sim.setFaults({});
      await e.send(new ec2.CreateKeyPairCommand({ KeyName: 'k', KeyType: 'ed25519' }));
      assert.deepEqual(sim.callCounts(), { RunInstances: 1, CreateLoadBalancer: 1, CreateKeyPair: 1 });
      assert.deepEqual(
        sim.mutatingCalls().map((c) => c.action),
        ['CreateKeyPair'],
      );
      assert.equal(sim.calls[0]!.error, 'UnauthorizedOperation');
      assert.equal(sim.calls[1]!.service, 'elbv2');
      assert.deepEqual((sim.calls[2]!.params as any).KeyName, 'k');
      // Control routes are never faulted and are not logged.
      sim.setFaults({ throttleRate: 1 });
      const calls = (await (await fetch(`${sim.endpoint}/_sim/calls`)).json()) as any;
      assert.equal(calls.calls.length, 3);
      assert.equal(calls.counts.CreateKeyPair, 1);
      assert.equal(
        (await failure(() => e.send(new ec2.DescribeVpcsCommand({})))).name,
        'RequestLimitExceeded',
      );
      const st = (await (await fetch(`${sim.endpoint}/_sim/state`)).json()) as any;
      assert.equal(st.keyPairs.length, 1);
      assert.equal((await fetch(`${sim.endpoint}/_sim/reset`, { method: 'POST' })).status, 200);
      assert.equal(sim.calls.length, 0);
      assert.equal((sim.snapshot() as any).keyPairs.length, 0);
    } finally {
      await sim.stop();
    }
  });

  it('refuses expired or unknown access keys the way EC2 and ELBv2 do, and only those keys', async () => {
    const sim = await startSimulator({
      faults: { rejectCredentials: { AKIDEXPIRED: 'expired', AKIDUNKNOWN: 'invalid' } },
    });
    try {
      const as = (accessKeyId: string) => {
        const cfg = {
          endpoint: sim.endpoint,
          region: 'us-east-1',
          credentials: { accessKeyId, secretAccessKey: 'secret', sessionToken: 'token' },
          maxAttempts: 1,
        };
        return { e: new ec2.EC2Client(cfg), l: new elb.ElasticLoadBalancingV2Client(cfg) };
      };
      const expired = as('AKIDEXPIRED');
      const e1 = await failure(() => expired.e.send(new ec2.DescribeVpcsCommand({})));
      assert.equal(e1.name, 'RequestExpired');
      assert.equal(e1.$metadata.httpStatusCode, 400);
      const l1 = await failure(() => expired.l.send(new elb.DescribeLoadBalancersCommand({})));
      assert.equal(l1.Code ?? l1.name, 'ExpiredToken');
      assert.equal(l1.$metadata.httpStatusCode, 403);

      const unknown = as('AKIDUNKNOWN');
      const e2 = await failure(() => unknown.e.send(new ec2.CreateKeyPairCommand({ KeyName: 'k' })));
      assert.equal(e2.name, 'AuthFailure');
      assert.equal(e2.$metadata.httpStatusCode, 401);
      const l2 = await failure(() => unknown.l.send(new elb.DescribeTargetGroupsCommand({})));
      assert.equal(l2.Code ?? l2.name, 'InvalidClientTokenId');

      // Nothing was done for a refused key; other keys work.
      assert.equal((sim.snapshot() as any).keyPairs.length, 0);
      assert.deepEqual(sim.mutatingCalls(), []);
      await as('AKIDGOOD').e.send(new ec2.CreateKeyPairCommand({ KeyName: 'k' }));
      assert.equal((sim.snapshot() as any).keyPairs.length, 1);
    } finally {
      await sim.stop();
    }
  });

  it('a simulator that only read never writes the state file over one that changed it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-sim-'));
    const stateFile = join(dir, 'state.json');
    try {
      // Two processes on one sandbox: a status started before a deploy's last change, ending after it.
      const reader = await startSimulator({ stateFile });
      const writer = await startSimulator({ stateFile });
      await clients(writer).ec2.send(new ec2.CreateKeyPairCommand({ KeyName: 'k', KeyType: 'ed25519' }));
      await clients(reader).ec2.send(new ec2.DescribeKeyPairsCommand({}));
      await failure(() => clients(reader).ec2.send(new ec2.DescribeKeyPairsCommand({ KeyNames: ['nope'] })));
      await writer.stop();
      await reader.stop();
      assert.equal(JSON.parse(readFileSync(stateFile, 'utf8')).keyPairs.length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('persists state to a file and keeps evolving after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-sim-'));
    const stateFile = join(dir, 'state.json');
    try {
      let sim = await startSimulator({ stateFile });
      let { ec2: e, elb: l } = clients(sim);
      const vpcId = (await e.send(new ec2.DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
      const subnets = (await e.send(new ec2.DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId!);
      const ami = (await e.send(new ec2.DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId!;
      const id = (
        await e.send(
          new ec2.RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1, UserData: HTTPD_USER_DATA }),
        )
      ).Instances![0]!.InstanceId!;
      const tgArn = (
        await l.send(
          new elb.CreateTargetGroupCommand({
            Name: 'tg',
            Protocol: 'HTTP',
            Port: 80,
            VpcId: vpcId,
            HealthyThresholdCount: 2,
            HealthCheckIntervalSeconds: 10,
          }),
        )
      ).TargetGroups![0]!.TargetGroupArn!;
      const lb = (await l.send(new elb.CreateLoadBalancerCommand({ Name: 'alb', Subnets: subnets })))
        .LoadBalancers![0]!;
      await untilRunning(e, id);
      await l.send(new elb.RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: id }] }));
      await l.send(
        new elb.CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Port: 80,
          Protocol: 'HTTP',
          DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
        }),
      );
      // Saved after every mutating call.
      assert.equal(JSON.parse(readFileSync(stateFile, 'utf8')).instances.length, 1);
      await sim.stop();

      sim = await startSimulator({ stateFile });
      ({ ec2: e, elb: l } = clients(sim));
      const d = await e.send(new ec2.DescribeInstancesCommand({ InstanceIds: [id] }));
      assert.equal(d.Reservations![0]!.Instances![0]!.InstanceId, id);
      await until(
        () => l.send(new elb.DescribeTargetHealthCommand({ TargetGroupArn: tgArn })),
        (r) => r.TargetHealthDescriptions![0]!.TargetHealth!.State === 'healthy',
      );
      const url = sim.dataPlaneUrl(lb.DNSName!);
      assert.ok(url, 'data plane reopened after load');
      const viaRoute = (await (
        await fetch(`${sim.endpoint}/_sim/data-plane?dnsName=${lb.DNSName}`)
      ).json()) as any;
      assert.equal(viaRoute.url, url);
      assert.equal(
        (await fetch(`${sim.endpoint}/_sim/data-plane?dnsName=nope.elb.amazonaws.com`)).status,
        404,
      );
      assert.equal((await fetch(url!)).status, 200);
      // New ids continue the persisted PRNG rather than repeating old ones.
      const id2 = (await e.send(new ec2.RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1 })))
        .Instances![0]!.InstanceId!;
      assert.notEqual(id2, id);
      await sim.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
