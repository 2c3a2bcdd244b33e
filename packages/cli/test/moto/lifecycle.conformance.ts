import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runSite, tempProject } from '../run-site.js';
import { awsCli, isMutating, recordingProxy, startMoto, type Moto } from './moto.js';

/**
 * Conformance: the life cycle of lifecycle.e2e.test.ts, against moto (a third-party AWS emulator) instead of
 * aws-sim, each end state read back with the AWS CLI v2. `npm run test:moto` (see README, Development).
 */

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** A command's --json document: the {status, result} envelope, or (plugin commands before it) the result itself. */
const resultOf = (stdout: string) => {
  const doc = JSON.parse(stdout);
  return doc.result ?? doc;
};

/** The public key line of an OpenSSH private key, by ssh-keygen (when the machine has it). */
function publicKeyOfPem(pemPath: string): string | undefined {
  try {
    return execFileSync('ssh-keygen', ['-y', '-f', pemPath], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

const LIVE = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];

describe('site against moto (conformance)', function () {
  this.timeout(300_000);
  let moto: Moto;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let aws: Awaited<ReturnType<typeof awsCli>>;
  let project: ReturnType<typeof tempProject>;
  // One name per run, so a moto shared through MOTO_URL holds nothing of an earlier run under it.
  const name = `moto-${randomBytes(3).toString('hex')}`;
  const site = (...args: string[]) =>
    runSite([...args, '--endpoint-url', proxy.url], {
      cwd: project.dir,
      env: {
        ...project.env,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_REGION: 'us-east-1',
      },
    });
  const writeConfig = (template: string) =>
    writeFileSync(
      path.join(project.dir, 'site.config.yaml'),
      `name: ${name}\nssh: { cidr: 203.0.113.7/32 }\ntemplate: ${template}\n`,
    );

  const byTag = ['--filters', `Name=tag:site:name,Values=${name}`];
  const liveInstances = async () =>
    (
      await aws(
        'ec2',
        'describe-instances',
        '--filters',
        `Name=tag:site:name,Values=${name}`,
        `Name=instance-state-name,Values=${LIVE.join(',')}`,
      )
    ).Reservations.flatMap((r: any) => r.Instances);
  const userData = async (instanceId: string) =>
    Buffer.from(
      (
        await aws(
          'ec2',
          'describe-instance-attribute',
          '--instance-id',
          instanceId,
          '--attribute',
          'userData',
        )
      ).UserData?.Value ?? '',
      'base64',
    ).toString('utf8');
  const loadBalancers = async () =>
    (await aws('elbv2', 'describe-load-balancers')).LoadBalancers.filter(
      (lb: any) => lb.LoadBalancerName === `${name}-alb`,
    );
  const targetGroups = async () =>
    (await aws('elbv2', 'describe-target-groups')).TargetGroups.filter(
      (tg: any) => tg.TargetGroupName === `${name}-tg`,
    );

  before(async () => {
    moto = await startMoto();
    proxy = await recordingProxy(moto.url);
    aws = await awsCli(moto.url);
    project = tempProject();
    writeConfig('{ id: "2137", name: barista_cafe }');
  });
  after(async () => {
    await proxy?.close();
    await moto?.stop();
  });

  it('deploys, reports, re-deploys without a change, replaces, and destroys to nothing', async () => {
    // deploy
    const first = await site('deploy', '--yes', '--json');
    assert.equal(first.code, 0, first.stderr);
    const deployed = JSON.parse(first.stdout);
    assert.equal(deployed.status, 0);
    assert.match(deployed.result.url, new RegExp(`^http://${name}-alb-.*\\.elb\\.amazonaws\\.com/$`));
    // moto's DNS names resolve nowhere: the HTTP check is skipped with a notice, never sent to /_sim.
    assert.ok(
      deployed.warnings.some((w: string) => /HTTP check was skipped/.test(w)),
      JSON.stringify(deployed.warnings),
    );
    assert.deepEqual(
      proxy.paths.filter((p) => p.startsWith('/_sim')),
      [],
      'no simulator route was sent to moto',
    );
    const [instanceId] = deployed.result.resources['compute.instances'].instanceIds;

    // …as the AWS CLI sees it
    const instances = await liveInstances();
    assert.deepEqual(
      instances.map((i: any) => [i.InstanceId, i.State.Name, i.InstanceType, i.KeyName]),
      [[instanceId, 'running', 't2.micro', `${name}-key`]],
    );
    assert.equal(instances[0].MetadataOptions.HttpTokens, 'required', 'IMDSv2 required');
    assert.match(await userData(instanceId), /2137_barista_cafe\.zip/);
    const groups = (await aws('ec2', 'describe-security-groups', ...byTag)).SecurityGroups;
    const albGroup = groups.find((g: any) => g.GroupName === `${name}-alb-sg`);
    const instanceGroup = groups.find((g: any) => g.GroupName === `${name}-instance-sg`);
    assert.ok(albGroup && instanceGroup, groups.map((g: any) => g.GroupName).join(', '));
    const rule = (g: any, port: number) => g.IpPermissions.find((p: any) => p.FromPort === port);
    assert.deepEqual(
      rule(albGroup, 80).IpRanges.map((r: any) => r.CidrIp),
      ['0.0.0.0/0'],
    );
    assert.deepEqual(
      rule(instanceGroup, 80).UserIdGroupPairs.map((p: any) => p.GroupId),
      [albGroup.GroupId],
      'HTTP to the instance only from the load balancer',
    );
    assert.deepEqual(
      rule(instanceGroup, 22).IpRanges.map((r: any) => r.CidrIp),
      ['203.0.113.7/32'],
    );
    const [pair] = (
      await aws('ec2', 'describe-key-pairs', '--key-names', `${name}-key`, '--include-public-key')
    ).KeyPairs;
    assert.equal(pair.KeyType, 'ed25519');
    const pemPath = path.join(project.dir, `${name}-key.pem`);
    assert.ok(existsSync(pemPath));
    const derived = publicKeyOfPem(pemPath);
    if (derived) assert.equal(pair.PublicKey.split(' ')[1], derived.split(' ')[1], 'the .pem is the pair');
    const [lb] = await loadBalancers();
    assert.equal(lb.State.Code, 'active');
    assert.equal(lb.Scheme, 'internet-facing');
    assert.equal(`http://${lb.DNSName}/`, deployed.result.url);
    const [tg] = await targetGroups();
    const listeners = (await aws('elbv2', 'describe-listeners', '--load-balancer-arn', lb.LoadBalancerArn))
      .Listeners;
    assert.deepEqual(
      listeners.map((l: any) => [l.Port, l.Protocol, l.DefaultActions[0].TargetGroupArn]),
      [[80, 'HTTP', tg.TargetGroupArn]],
    );
    const health = async () =>
      (await aws('elbv2', 'describe-target-health', '--target-group-arn', tg.TargetGroupArn))
        .TargetHealthDescriptions;
    assert.deepEqual(
      (await health()).map((h: any) => [h.Target.Id, h.TargetHealth.State]),
      [[instanceId, 'healthy']],
    );

    // status
    const status = await site('status', '--json');
    assert.equal(status.code, 0, status.stderr);
    const states = resultOf(status.stdout).resources.flatMap((group: any) =>
      group.rows.map((row: any) => `${group.resourceId}=${row.state}`),
    );
    assert.ok(states.includes('alb.load-balancer=active'), states.join(' '));
    assert.ok(states.includes('keypair.key-pair=available'), states.join(' '));
    assert.ok(states.includes('compute.instances=running'), states.join(' '));

    // status --watch --until healthy: moto's load balancer resolves nowhere, so healthy targets end it
    const watch = await site(
      'status',
      '--watch',
      '--until',
      'healthy',
      '--interval',
      '0.5',
      '--timeout',
      '30s',
      '--json',
    );
    assert.equal(watch.code, 0, watch.stderr);
    assert.deepEqual((({ end, healthy }) => ({ end, healthy }))(resultOf(watch.stdout).watch), {
      end: 'healthy',
      healthy: true,
    });

    // alb status
    const alb = await site('alb', 'status', '--json');
    assert.equal(alb.code, 0, alb.stderr);
    const albStatus = resultOf(alb.stdout);
    assert.equal(albStatus.loadBalancer.state, 'active');
    assert.equal(albStatus.loadBalancer.arn, lb.LoadBalancerArn);
    assert.deepEqual(
      albStatus.targets.map((t: any) => [t.instanceId, t.state]),
      [[instanceId, 'healthy']],
    );

    // keypair list: the .pem here is proven the pair's (by its public key, whatever moto's fingerprint form)
    const keys = await site('keypair', 'list', '--json');
    assert.equal(keys.code, 0, keys.stderr);
    assert.deepEqual(
      resultOf(keys.stdout).keyPairs.map((k: any) => [k.keyName, k.keyPairId, k.pemPresent]),
      [[`${name}-key`, pair.KeyPairId, true]],
    );

    // doctor: every check passes on moto too (its identity, Date header, account limits and rules)
    const doctor = await site('doctor', '--json');
    assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
    const checks = resultOf(doctor.stdout).checks as { name: string; status: string }[];
    assert.deepEqual(
      checks.filter((c) => c.status !== 'pass'),
      [],
      'no doctor check warns or fails on a fresh site',
    );
    assert.ok(
      ['credentials', 'clock', 'region', 'drift', 'private key', 'ssh rule'].every((n) =>
        checks.some((c) => c.name === n),
      ),
    );

    // instance status
    const instanceStatus = await site('instance', 'status', '--json');
    assert.equal(instanceStatus.code, 0, instanceStatus.stderr);
    assert.deepEqual(
      resultOf(instanceStatus.stdout).instances.map((i: any) => [i.instanceId, i.state]),
      [[instanceId, 'running']],
    );

    // logs: moto answers GetConsoleOutput with canned kernel lines (no setup lines), and accepts Latest on
    // any type; the command reads it and reports no setup lines yet
    const logs = await site('logs', '--json');
    assert.equal(logs.code, 0, logs.stderr);
    assert.deepEqual(
      resultOf(logs.stdout).instances.map((i: any) => [i.instanceId, i.failure]),
      [[instanceId, undefined]],
    );

    // deploy again: not one mutating call reaches moto
    const before = proxy.actions.length;
    const again = await site('deploy', '--yes');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout + again.stderr, /No changes/);
    const noop = proxy.actions.slice(before);
    assert.deepEqual(noop.filter(isMutating), [], `a no-op deploy called ${noop.join(', ')}`);

    // a template change replaces the instance
    writeConfig('{ id: "2135", name: mini_finance }');
    const replaced = await site('deploy', '--yes', '--json');
    assert.equal(replaced.code, 0, replaced.stderr);
    const [newId] = resultOf(replaced.stdout).resources['compute.instances'].instanceIds;
    assert.notEqual(newId, instanceId);
    const after = await liveInstances();
    assert.deepEqual(
      after.map((i: any) => [i.InstanceId, i.State.Name]),
      [[newId, 'running']],
    );
    assert.match(await userData(newId), /2135_mini_finance\.zip/);
    const [old] = (await aws('ec2', 'describe-instances', '--instance-ids', instanceId)).Reservations[0]
      .Instances;
    assert.match(old.State.Name, /shutting-down|terminated/);
    assert.deepEqual(
      (await health()).filter((h: any) => h.TargetHealth.State !== 'draining').map((h: any) => h.Target.Id),
      [newId],
    );

    // destroy: nothing of the site is left, the .pem included
    const destroyed = await site('destroy', '--yes');
    assert.equal(destroyed.code, 0, destroyed.stderr);
    assert.match(destroyed.stdout, new RegExp(`Nothing of ${name} is left`));
    assert.deepEqual(await liveInstances(), []);
    assert.deepEqual((await aws('ec2', 'describe-security-groups', ...byTag)).SecurityGroups, []);
    assert.deepEqual(
      (await aws('ec2', 'describe-key-pairs', '--filters', `Name=key-name,Values=${name}-key`)).KeyPairs,
      [],
    );
    assert.deepEqual(await loadBalancers(), []);
    assert.deepEqual(await targetGroups(), []);
    assert.ok(!existsSync(pemPath), 'the private key went with its pair');
  });
});
