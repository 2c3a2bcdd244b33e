import { strict as assert } from 'node:assert';
import type { ResourceContext } from '@site-cli/core/plugin';
import { startSimulator, type Simulator } from '@site-cli/aws-sim';
import { ingressResource } from '../src/resources/ingress.js';
import { httpsListenerResource } from '../src/resources/listener.js';
import { redirectResource } from '../src/resources/redirect.js';
import type { HttpsListenerOutput, IngressOutput, RedirectOutput } from '../src/outputs.js';
import { CERT, context, OTHER_CERT } from './helpers.js';

/** Wait (up to 10 s) for the simulator's timed states. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (const end = Date.now() + 10_000; !(await check());) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const SITE_TAGS = (resource: string) => [
  { Key: 'site:name', Value: 'cafe' },
  { Key: 'site:resource', Value: resource },
  { Key: 'ManagedBy', Value: 'site' },
];

/**
 * The plugin's resources against aws-sim, on top of what the built-in plugins would have made (made here
 * with plain SDK calls, tagged as theirs): create, find again with no drift, update, destroy.
 */
describe('https resources against aws-sim', function () {
  this.timeout(60_000);
  let sim: Simulator;
  const outputs = new Map<string, unknown>();
  const ingress = ingressResource();
  const listener = httpsListenerResource();
  const redirect = redirectResource();
  let dnsName: string;
  let groupId: string;
  let httpListenerArn: string;

  const ctx = (https: Record<string, unknown> = {}): ResourceContext =>
    context({ https: { certificateArn: CERT, ...https } }, { endpoint: sim.endpoint, outputs });
  /** discover as a plan does: dependencies' outputs present, one memo per discovery. */
  const discover = async <T>(resource: { discover(c: ResourceContext): Promise<T | undefined> }, c = ctx()) =>
    resource.discover(c);

  before(async () => {
    sim = await startSimulator({ profile: 'fast' });
    const c = ctx();
    const ec2 = await c.aws.ec2();
    const elbv2 = await c.aws.elbv2();
    const vpcId = (await ec2.describeVpcs({})).Vpcs![0].VpcId!;
    const subnets = (await ec2.describeSubnets({})).Subnets!.map((s) => s.SubnetId!);
    groupId = (
      await ec2.createSecurityGroup({
        GroupName: 'cafe-alb-sg',
        Description: 'alb',
        VpcId: vpcId,
        TagSpecifications: [
          { ResourceType: 'security-group', Tags: SITE_TAGS('network.alb-security-group') },
        ],
      })
    ).GroupId!;
    await ec2.authorizeSecurityGroupIngress({
      GroupId: groupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    });
    const tg = (await elbv2.createTargetGroup({ Name: 'cafe-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId }))
      .TargetGroups![0];
    const lb = (
      await elbv2.createLoadBalancer({ Name: 'cafe-alb', Subnets: subnets, SecurityGroups: [groupId] })
    ).LoadBalancers![0];
    dnsName = lb.DNSName!;
    const image = (await ec2.describeImages({ Owners: ['amazon'] })).Images![0].ImageId;
    const instance = (
      await ec2.runInstances({
        ImageId: image,
        MinCount: 1,
        MaxCount: 1,
        UserData: Buffer.from(
          '#!/bin/bash\ndnf install -y httpd\ncurl -O https://www.tooplate.com/zip-templates/2137_barista_cafe.zip\n',
        ).toString('base64'),
      })
    ).Instances![0].InstanceId!;
    const http = (
      await elbv2.createListener({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }],
        Tags: SITE_TAGS('alb.listener'),
      })
    ).Listeners![0];
    httpListenerArn = http.ListenerArn!;
    await until(async () => {
      const state = (await elbv2.describeLoadBalancers({ LoadBalancerArns: [lb.LoadBalancerArn!] }))
        .LoadBalancers![0].State?.Code;
      return state === 'active';
    });
    await elbv2.registerTargets({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: instance }] });
    await until(async () => {
      const health = await elbv2.describeTargetHealth({ TargetGroupArn: tg.TargetGroupArn });
      return health.TargetHealthDescriptions?.[0]?.TargetHealth?.State === 'healthy';
    });
    outputs.set('network.alb-security-group', { groupId, groupName: 'cafe-alb-sg' });
    outputs.set('alb.target-group', { targetGroupArn: tg.TargetGroupArn, targetGroupName: 'cafe-tg' });
    outputs.set('alb.load-balancer', {
      loadBalancerArn: lb.LoadBalancerArn,
      loadBalancerName: 'cafe-alb',
      dnsName,
    });
    outputs.set('alb.listener', {
      listenerArn: httpListenerArn,
      port: 80,
      protocol: 'HTTP',
      action: 'forward',
    });
  });
  after(() => sim.stop());

  it('finds nothing before the first deploy, and checks the TLS policy exists before creating anything', async () => {
    const changesBefore = sim.mutatingCalls().length;
    assert.equal(await discover(ingress), undefined);
    assert.equal(await discover(listener), undefined);
    assert.equal(await discover(redirect), undefined);
    await assert.rejects(
      discover(listener, ctx({ sslPolicy: 'ELBSecurityPolicy-Nope-2099' })),
      (error: any) => {
        assert.equal(error.code, 'HTTPS_SSL_POLICY_UNKNOWN');
        assert.equal(error.exitCode, 2);
        return true;
      },
    );
    assert.equal(sim.mutatingCalls().length, changesBefore, 'looking changes nothing');
  });

  it('opens 443, adds the HTTPS listener, turns port 80 into a redirect, all tagged; the data plane agrees', async () => {
    const opened = await ingress.create(ctx());
    outputs.set('https.ingress', opened);
    assert.deepEqual(
      opened.rules.map((r) => [r.port, r.source]),
      [
        [443, '0.0.0.0/0'],
        [443, '::/0'],
      ],
    );
    const authorize = sim.calls.filter((c) => c.action === 'AuthorizeSecurityGroupIngress').at(-1);
    assert.deepEqual((authorize?.params as any).TagSpecifications[0].ResourceType, 'security-group-rule');

    const created = await listener.create(ctx());
    outputs.set('https.listener', created);
    assert.deepEqual(
      { ...created, listenerArn: undefined },
      {
        listenerArn: undefined,
        port: 443,
        certificateArn: CERT,
        sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        targetGroupArn: (outputs.get('alb.target-group') as { targetGroupArn: string }).targetGroupArn,
      },
    );

    const redirected = await redirect.create(ctx());
    outputs.set('https.redirect', redirected);
    assert.deepEqual(redirected, {
      listenerArn: httpListenerArn,
      fromPort: 80,
      protocol: 'HTTPS',
      port: '443',
      statusCode: 'HTTP_301',
    });

    const elbv2 = await ctx().aws.elbv2();
    const tags = await elbv2.describeTags({ ResourceArns: [created.listenerArn, httpListenerArn] });
    const record = (arn: string) =>
      Object.fromEntries(
        tags.TagDescriptions!.find((d) => d.ResourceArn === arn)!.Tags!.map((t) => [t.Key, t.Value]),
      );
    assert.equal(record(created.listenerArn)['site:resource'], 'https.listener');
    assert.equal(record(created.listenerArn)['site:name'], 'cafe');
    // The port-80 listener stays alb.listener's; the redirect only claims its default action.
    assert.equal(record(httpListenerArn)['site:resource'], 'alb.listener');
    assert.equal(record(httpListenerArn)['site:default-action'], 'https.redirect');

    const moved = await fetch(`${sim.dataPlaneUrl(dnsName, 80)}menu?day=1`, { redirect: 'manual' });
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.get('location'), `https://${dnsName}:443/menu?day=1`);
    const secure = await fetch(sim.dataPlaneUrl(dnsName, 443)!);
    assert.equal(secure.status, 200);
    assert.match(await secure.text(), /2137_barista_cafe/);
  });

  it('finds all three again with no drift (a redeploy changes nothing)', async () => {
    const c = ctx();
    const before = sim.calls.length;
    const found = {
      ingress: (await discover(ingress, c))!,
      listener: (await discover(listener, c))!,
      redirect: (await discover(redirect, c))!,
    };
    assert.deepEqual(await ingress.diff!(c, found.ingress), []);
    assert.deepEqual(await listener.diff!(c, found.listener), []);
    assert.deepEqual(await redirect.diff!(c, found.redirect), []);
    const calls = sim.calls.slice(before).map((call) => call.action);
    // One describe of the rules, one of the listeners and one of their tags, shared by listener and redirect.
    assert.deepEqual(calls.sort(), ['DescribeListeners', 'DescribeSecurityGroupRules', 'DescribeTags']);
  });

  it('updates the certificate and policy in place with ModifyListener, and moves the port without a gap', async () => {
    const c = ctx({ certificateArn: OTHER_CERT, sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06' });
    const found = (await discover(listener, c)) as HttpsListenerOutput;
    const changes = await listener.diff!(c, found);
    assert.deepEqual(
      changes.map((change) => change.field),
      ['certificate', 'TLS policy'],
    );
    const updated = await listener.update!(c, found, changes);
    assert.equal(updated.listenerArn, found.listenerArn, 'the same listener, changed in place');
    assert.equal(updated.certificateArn, OTHER_CERT);
    assert.equal(updated.sslPolicy, 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06');

    const to8443 = ctx({ certificateArn: OTHER_CERT, port: 8443 });
    const rules = (await discover(ingress, to8443)) as IngressOutput;
    assert.deepEqual(
      (await ingress.diff!(to8443, rules)).map((change) => change.field),
      ['HTTPS ingress'],
    );
    const reopened = await ingress.update!(to8443, rules, []);
    assert.deepEqual(
      reopened.rules.map((r) => r.port),
      [8443, 8443],
    );
    const revoke = sim.calls.filter((call) => call.action === 'RevokeSecurityGroupIngress').at(-1);
    const authorize = sim.calls.filter((call) => call.action === 'AuthorizeSecurityGroupIngress').at(-1);
    assert.ok(authorize!.time <= revoke!.time && sim.calls.indexOf(authorize!) < sim.calls.indexOf(revoke!));
    outputs.set('https.ingress', await ingress.update!(ctx(), reopened, []));
    outputs.set('https.listener', await listener.update!(ctx(), updated, []));
  });

  it('destroys only its own: port 80 forwards again, 443 closes, the group and its port-80 rule stay', async () => {
    await redirect.destroy(ctx(), outputs.get('https.redirect') as RedirectOutput);
    const page = await fetch(sim.dataPlaneUrl(dnsName, 80)!, { redirect: 'manual' });
    assert.equal(page.status, 200);
    assert.equal(await discover(redirect), undefined);

    await listener.destroy(ctx(), outputs.get('https.listener') as HttpsListenerOutput);
    await ingress.destroy(ctx(), outputs.get('https.ingress') as IngressOutput);
    assert.equal(await discover(listener), undefined);
    assert.equal(await discover(ingress), undefined);

    const elbv2 = await ctx().aws.elbv2();
    const { TagDescriptions = [] } = await elbv2.describeTags({ ResourceArns: [httpListenerArn] });
    assert.ok(!TagDescriptions[0].Tags!.some((t) => t.Key === 'site:default-action'), 'the claim is gone');
    const ec2 = await ctx().aws.ec2();
    const group = (await ec2.describeSecurityGroups({ GroupIds: [groupId] })).SecurityGroups![0];
    assert.deepEqual(
      group.IpPermissions!.map((p) => p.FromPort),
      [80],
    );
    // Idempotent: destroying again is fine.
    await listener.destroy(ctx(), outputs.get('https.listener') as HttpsListenerOutput);
    await ingress.destroy(ctx(), outputs.get('https.ingress') as IngressOutput);
  });
});
