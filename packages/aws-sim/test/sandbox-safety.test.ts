import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ec2 from '@aws-sdk/client-ec2';
import * as elb from '@aws-sdk/client-elastic-load-balancing-v2';
import { startSimulator, type Simulator } from '../src/index.js';
import { al2023Image, clients, HTTPD_USER_DATA, until } from './helpers.js';

/** RFC 5737's three documentation blocks: never routed on the internet. */
const documentationIpv4 = /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/;

async function runningInstances(sim: Simulator, count: number) {
  const { ec2: e } = clients(sim);
  const image = await al2023Image(e);
  const run = await e.send(
    new ec2.RunInstancesCommand({
      ImageId: image.ImageId,
      MinCount: count,
      MaxCount: count,
      InstanceType: 't3.micro',
    }),
  );
  const ids = run.Instances!.map((i) => i.InstanceId!);
  const described = await until(
    () => e.send(new ec2.DescribeInstancesCommand({ InstanceIds: ids })),
    (r) => r.Reservations!.flatMap((x) => x.Instances!).every((i) => i.State!.Name === 'running'),
  );
  return described.Reservations!.flatMap((x) => x.Instances!);
}

describe('a sandbox that cannot hurt anyone: addresses', function () {
  this.timeout(20_000);
  let sim: Simulator;
  afterEach(async () => sim?.stop());

  it('gives instances public addresses only from the documentation ranges, each to one instance', async () => {
    sim = await startSimulator();
    const instances = await runningInstances(sim, 20);
    const ips = instances.map((i) => i.PublicIpAddress!);
    for (const ip of ips) {
      assert.equal(isIP(ip), 4);
      assert.match(ip, documentationIpv4);
      assert.notEqual(
        ip,
        '203.0.113.10',
        "the sandbox's checkip answer is the user's address, not an instance's",
      );
    }
    assert.equal(new Set(ips).size, ips.length, 'no two live instances share a public address');
    // Also as the network interface shows it, which the AWS CLI prints too.
    for (const i of instances)
      assert.match(i.NetworkInterfaces![0]!.Association!.PublicIp!, documentationIpv4);
  });

  it('names instances and load balancers under .invalid, which never resolves, and still serves the site', async () => {
    sim = await startSimulator();
    const { ec2: e, elb: l } = clients(sim);
    const image = await al2023Image(e);
    const [instance] = (
      await e.send(
        new ec2.RunInstancesCommand({
          ImageId: image.ImageId,
          MinCount: 1,
          MaxCount: 1,
          InstanceType: 't3.micro',
          UserData: HTTPD_USER_DATA,
        }),
      )
    ).Instances!;
    const running = await until(
      () => e.send(new ec2.DescribeInstancesCommand({ InstanceIds: [instance!.InstanceId!] })),
      (r) => r.Reservations![0]!.Instances![0]!.State!.Name === 'running',
    );
    const publicDns = running.Reservations![0]!.Instances![0]!.PublicDnsName!;
    assert.match(publicDns, /^ec2-(192-0-2|198-51-100|203-0-113)-\d+\.compute-1\.aws-sim\.invalid$/);

    const subnets = (await e.send(new ec2.DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId!);
    const lb = (await l.send(new elb.CreateLoadBalancerCommand({ Name: 'safe-alb', Subnets: subnets })))
      .LoadBalancers![0]!;
    assert.match(lb.DNSName!, /^safe-alb-\d+\.us-east-1\.elb\.aws-sim\.invalid$/);
    const vpcId = (await e.send(new ec2.DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
    const tg = (
      await l.send(
        new elb.CreateTargetGroupCommand({ Name: 'safe-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId }),
      )
    ).TargetGroups![0]!;
    await l.send(
      new elb.RegisterTargetsCommand({
        TargetGroupArn: tg.TargetGroupArn,
        Targets: [{ Id: instance!.InstanceId }],
      }),
    );
    await l.send(
      new elb.CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }],
      }),
    );
    // The name resolves nowhere; the data plane maps it to a loopback port, which answers.
    const url = sim.dataPlaneUrl(lb.DNSName!);
    assert.match(url ?? '', /^http:\/\/127\.0\.0\.1:\d+/);
    await until(
      () => l.send(new elb.DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn })),
      (r) => r.TargetHealthDescriptions![0]!.TargetHealth!.State === 'healthy',
    );
    assert.equal((await fetch(url!)).status, 200);
  });
});

describe('a sandbox that cannot hurt anyone: one state file, several simulators', function () {
  this.timeout(20_000);
  let dir: string;
  let stateFile: string;
  const sims: Simulator[] = [];
  const start = async () => {
    const sim = await startSimulator({ stateFile });
    sims.push(sim);
    return sim;
  };
  const onDisk = () => JSON.parse(readFileSync(stateFile, 'utf8'));
  const createGroup = (sim: Simulator, name: string) =>
    clients(sim).ec2.send(new ec2.CreateSecurityGroupCommand({ GroupName: name, Description: name }));
  const groupNames = async (sim: Simulator) =>
    (await clients(sim).ec2.send(new ec2.DescribeSecurityGroupsCommand({})))
      .SecurityGroups!.map((g) => g.GroupName!)
      .sort();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aws-sim-state-'));
    stateFile = join(dir, 'state.json');
  });
  afterEach(async () => {
    for (const sim of sims.splice(0)) await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes atomically: the file is always one whole state, no temporary file or lock is left', async () => {
    const sim = await start();
    for (let i = 0; i < 5; i++) {
      await createGroup(sim, `g${i}`);
      assert.equal(onDisk().generation, i + 1, 'each change is the next generation');
    }
    assert.deepEqual(readdirSync(dir), ['state.json']);
  });

  it('two simulators sharing the file see each other’s changes and lose none', async () => {
    const first = await start();
    const second = await start();
    await createGroup(first, 'from-first');
    await createGroup(second, 'from-second');
    await createGroup(first, 'again-first');
    const expected = ['again-first', 'default', 'from-first', 'from-second'];
    assert.deepEqual(await groupNames(first), expected);
    assert.deepEqual(await groupNames(second), expected);
    assert.deepEqual(
      onDisk()
        .securityGroups.map((g: { name: string }) => g.name)
        .sort(),
      expected,
    );
  });

  it('changes sent to two simulators at once all land, with distinct ids', async () => {
    const first = await start();
    const second = await start();
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) => createGroup(i % 2 ? first : second, `group-${i}`)),
    );
    assert.equal(new Set(made.map((g) => g.GroupId)).size, 20);
    const names = onDisk().securityGroups.map((g: { name: string }) => g.name);
    assert.equal(names.length, 21);
    assert.equal(onDisk().generation, 20);
  });

  it('a simulator started earlier never replaces a newer state with its older one', async () => {
    // The lost site of issue 11: a first simulator, a second one that deploys, then the first one writes.
    const first = await start();
    await createGroup(first, 'early');
    const second = await start();
    await createGroup(second, 'deployed-site');
    await second.stop();
    sims.splice(sims.indexOf(second), 1);
    await createGroup(first, 'late');
    await first.stop();
    sims.splice(sims.indexOf(first), 1);
    const later = await start();
    assert.deepEqual(await groupNames(later), ['default', 'deployed-site', 'early', 'late']);
  });

  it('adopts only a newer generation: an older file put back by hand is not taken up', async () => {
    const sim = await start();
    await createGroup(sim, 'one');
    const older = readFileSync(stateFile, 'utf8');
    await createGroup(sim, 'two');
    writeFileSync(stateFile, older);
    assert.deepEqual(await groupNames(sim), ['default', 'one', 'two']);
    await createGroup(sim, 'three');
    assert.equal(onDisk().generation, 3);
    assert.deepEqual(
      onDisk()
        .securityGroups.map((g: { name: string }) => g.name)
        .sort(),
      ['default', 'one', 'three', 'two'],
    );
  });

  it('a reset is a newer generation that the other simulators take up', async () => {
    const first = await start();
    const second = await start();
    await createGroup(first, 'doomed');
    second.reset();
    assert.deepEqual(await groupNames(first), ['default']);
    assert.equal(onDisk().generation, 2);
  });

  it('takes over a lock left by a process that is gone', async () => {
    const sim = await start();
    writeFileSync(`${stateFile}.lock`, '2147483646\n');
    await createGroup(sim, 'after-crash');
    assert.equal(existsSync(`${stateFile}.lock`), false);
    assert.ok((await groupNames(sim)).includes('after-crash'));
  });
});
