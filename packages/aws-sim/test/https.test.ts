import assert from 'node:assert/strict';
import { get, type IncomingMessage } from 'node:http';
import * as ec2 from '@aws-sdk/client-ec2';
import * as elb from '@aws-sdk/client-elastic-load-balancing-v2';
import { startSimulator, type Simulator } from '../src/index.js';
import { clients, failure, HTTPD_USER_DATA, until, httpForwardListener, untilRunning } from './helpers.js';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/4f9b2c1e-8a7d-4e3f-9c2b-1a2b3c4d5e6f';
const OTHER_CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000001';

describe('HTTPS listeners, redirects and SSL policies', () => {
  let sim: Simulator;
  let e: ec2.EC2Client;
  let l: elb.ElasticLoadBalancingV2Client;
  let vpcId: string;
  let lb: elb.LoadBalancer;
  let tgArn: string;

  before(async () => {
    sim = await startSimulator({ profile: 'fast' });
    ({ ec2: e, elb: l } = clients(sim));
    vpcId = (await e.send(new ec2.DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
    const subnets = (await e.send(new ec2.DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId!);
    const sgId = (
      await e.send(new ec2.CreateSecurityGroupCommand({ GroupName: 'alb', Description: 'alb', VpcId: vpcId }))
    ).GroupId!;
    lb = (
      await l.send(
        new elb.CreateLoadBalancerCommand({ Name: 'tls-alb', Subnets: subnets, SecurityGroups: [sgId] }),
      )
    ).LoadBalancers![0]!;
    tgArn = (
      await l.send(
        new elb.CreateTargetGroupCommand({ Name: 'tls-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId }),
      )
    ).TargetGroups![0]!.TargetGroupArn!;
    await until(
      () => l.send(new elb.DescribeLoadBalancersCommand({ LoadBalancerArns: [lb.LoadBalancerArn!] })),
      (r) => r.LoadBalancers![0]!.State!.Code === 'active',
    );
  });
  after(() => sim.stop());

  const forward = [{ Type: 'forward' as const, TargetGroupArn: '' }];
  const https = (extra: Partial<elb.CreateListenerInput> = {}) =>
    new elb.CreateListenerCommand({
      LoadBalancerArn: lb.LoadBalancerArn,
      Protocol: 'HTTPS',
      Port: 443,
      DefaultActions: forward.map((a) => ({ ...a, TargetGroupArn: tgArn })),
      ...extra,
    });

  it('refuses HTTPS without a certificate, with a certificate that is not there, or an unknown policy', async () => {
    const none = await failure(() => l.send(https()));
    assert.equal(none.name, 'ValidationError');
    assert.equal(none.message, 'A certificate must be specified for HTTPS listeners');
    assert.equal(none.$metadata.httpStatusCode, 400);

    for (const arn of [
      'not-an-arn',
      'arn:aws:acm:eu-west-1:123456789012:certificate/4f9b2c1e', // ACM certificates are regional
    ]) {
      const missing = await failure(() => l.send(https({ Certificates: [{ CertificateArn: arn }] })));
      assert.equal(missing.name, 'CertificateNotFoundException', arn);
    }
    const policy = await failure(() =>
      l.send(https({ Certificates: [{ CertificateArn: CERT }], SslPolicy: 'ELBSecurityPolicy-Nope' })),
    );
    assert.equal(policy.name, 'SSLPolicyNotFoundException');
    const onHttp = await failure(() =>
      l.send(https({ Protocol: 'HTTP', Port: 8080, Certificates: [{ CertificateArn: CERT }] })),
    );
    assert.equal(onHttp.name, 'ValidationError');
    assert.equal(
      (await l.send(new elb.DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners!
        .length,
      0,
      'nothing was created',
    );
  });

  it('creates an HTTPS listener with the default policy, describes, modifies and deletes it', async () => {
    const created = (await l.send(https({ Certificates: [{ CertificateArn: CERT }] }))).Listeners![0]!;
    assert.equal(created.Protocol, 'HTTPS');
    assert.equal(created.SslPolicy, 'ELBSecurityPolicy-2016-08');
    assert.deepEqual(created.Certificates, [{ CertificateArn: CERT }]);
    // The same request again is an idempotent replay.
    const again = (await l.send(https({ Certificates: [{ CertificateArn: CERT }] }))).Listeners![0]!;
    assert.equal(again.ListenerArn, created.ListenerArn);

    const described = (
      await l.send(new elb.DescribeListenersCommand({ ListenerArns: [created.ListenerArn!] }))
    ).Listeners![0]!;
    assert.deepEqual(described.Certificates, [{ CertificateArn: CERT }]);
    assert.equal(described.SslPolicy, 'ELBSecurityPolicy-2016-08');

    const modified = (
      await l.send(
        new elb.ModifyListenerCommand({
          ListenerArn: created.ListenerArn,
          Certificates: [{ CertificateArn: OTHER_CERT }],
          SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        }),
      )
    ).Listeners![0]!;
    assert.deepEqual(modified.Certificates, [{ CertificateArn: OTHER_CERT }]);
    assert.equal(modified.SslPolicy, 'ELBSecurityPolicy-TLS13-1-2-2021-06');
    const badPolicy = await failure(() =>
      l.send(new elb.ModifyListenerCommand({ ListenerArn: created.ListenerArn, SslPolicy: 'Nope' })),
    );
    assert.equal(badPolicy.name, 'SSLPolicyNotFoundException');

    // To HTTP: the certificate and policy go; back to HTTPS needs a certificate again.
    const plain = (
      await l.send(
        new elb.ModifyListenerCommand({ ListenerArn: created.ListenerArn, Protocol: 'HTTP', Port: 8443 }),
      )
    ).Listeners![0]!;
    assert.equal(plain.Protocol, 'HTTP');
    assert.equal(plain.Port, 8443);
    assert.equal(plain.Certificates, undefined);
    assert.equal(plain.SslPolicy, undefined);
    const noCert = await failure(() =>
      l.send(new elb.ModifyListenerCommand({ ListenerArn: created.ListenerArn, Protocol: 'HTTPS' })),
    );
    assert.equal(noCert.message, 'A certificate must be specified for HTTPS listeners');
    const back = (
      await l.send(
        new elb.ModifyListenerCommand({
          ListenerArn: created.ListenerArn,
          Protocol: 'HTTPS',
          Port: 443,
          Certificates: [{ CertificateArn: CERT }],
        }),
      )
    ).Listeners![0]!;
    assert.equal(back.SslPolicy, 'ELBSecurityPolicy-2016-08');

    await l.send(new elb.DeleteListenerCommand({ ListenerArn: created.ListenerArn }));
    const gone = await failure(() =>
      l.send(new elb.DeleteListenerCommand({ ListenerArn: created.ListenerArn })),
    );
    assert.equal(gone.name, 'ListenerNotFoundException');
  });

  it('validates redirect actions: a valid protocol and port, no loop, no HTTPS to HTTP', async () => {
    const listener = await httpForwardListener(l, lb.LoadBalancerArn, tgArn);
    const redirectTo = (RedirectConfig: elb.RedirectActionConfig) =>
      l.send(
        new elb.ModifyListenerCommand({
          ListenerArn: listener.ListenerArn,
          DefaultActions: [{ Type: 'redirect', RedirectConfig }],
        }),
      );
    assert.equal(
      (await failure(() => redirectTo({ StatusCode: 'HTTP_301' }))).name,
      'InvalidLoadBalancerActionException',
    );
    assert.equal(
      (await failure(() => redirectTo({ Protocol: 'HTTPS', Port: '70000', StatusCode: 'HTTP_301' }))).name,
      'ValidationError',
    );
    const ok = (await redirectTo({ Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_302' })).Listeners![0]!;
    assert.deepEqual(ok.DefaultActions![0]!.RedirectConfig, {
      Protocol: 'HTTPS',
      Port: '443',
      Host: '#{host}',
      Path: '/#{path}',
      Query: '#{query}',
      StatusCode: 'HTTP_302',
    });

    const secure = (await l.send(https({ Port: 8443, Certificates: [{ CertificateArn: CERT }] })))
      .Listeners![0]!;
    const down = await failure(() =>
      l.send(
        new elb.ModifyListenerCommand({
          ListenerArn: secure.ListenerArn,
          DefaultActions: [
            { Type: 'redirect', RedirectConfig: { Protocol: 'HTTP', StatusCode: 'HTTP_301' } },
          ],
        }),
      ),
    );
    assert.equal(down.name, 'InvalidLoadBalancerActionException');
    await l.send(new elb.DeleteListenerCommand({ ListenerArn: secure.ListenerArn }));
    await l.send(new elb.DeleteListenerCommand({ ListenerArn: listener.ListenerArn }));
  });

  it('answers on every listener port: port 80 redirects to https://<dns>:443, 443 serves plain HTTP', async () => {
    const http = (
      await l.send(
        new elb.CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: [
            { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
          ],
        }),
      )
    ).Listeners![0]!;
    const secure = (
      await l.send(
        https({
          Certificates: [{ CertificateArn: CERT }],
          DefaultActions: [
            {
              Type: 'fixed-response',
              FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'secure' },
            },
          ],
        }),
      )
    ).Listeners![0]!;

    const port80 = sim.dataPlaneUrl(lb.DNSName!, 80)!;
    assert.equal(sim.dataPlaneUrl(lb.DNSName!), sim.dataPlaneUrl(lb.DNSName!), 'the default URL is stable');
    const moved = await fetch(`${port80}menu/today?x=1&y=2`, { redirect: 'manual' });
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.get('location'), `https://${lb.DNSName}:443/menu/today?x=1&y=2`);
    // A Host header of the user's own domain is kept, as the ALB keeps it.
    const own = await new Promise<IncomingMessage>((resolve, reject) =>
      get(port80, { headers: { host: 'www.example.com' } }, resolve).on('error', reject),
    );
    own.resume();
    assert.equal(own.headers.location, 'https://www.example.com:443/');
    // Without a port the URL answers as the port-80 listener (the one the site's HTTP check uses).
    assert.equal((await fetch(sim.dataPlaneUrl(lb.DNSName!)!, { redirect: 'manual' })).status, 301);

    const port443 = sim.dataPlaneUrl(lb.DNSName!, 443)!;
    const page = await fetch(port443);
    assert.equal(page.status, 200);
    assert.equal(await page.text(), 'secure');
    const viaRoute = await fetch(
      `${sim.endpoint}/_sim/data-plane?dnsName=${encodeURIComponent(lb.DNSName!)}&port=443`,
    );
    assert.deepEqual(await viaRoute.json(), { url: port443 });

    await l.send(new elb.DeleteListenerCommand({ ListenerArn: secure.ListenerArn }));
    assert.equal(sim.dataPlaneUrl(lb.DNSName!, 443), undefined);
    await l.send(new elb.DeleteListenerCommand({ ListenerArn: http.ListenerArn }));
  });

  it('keeps health checks running while any listener of the load balancer forwards to the group', async () => {
    const image = (await e.send(new ec2.DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId;
    const id = (
      await e.send(
        new ec2.RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1, UserData: HTTPD_USER_DATA }),
      )
    ).Instances![0]!.InstanceId!;
    const http = await httpForwardListener(l, lb.LoadBalancerArn, tgArn);
    await untilRunning(e, id);
    await l.send(new elb.RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: id }] }));
    const health = () =>
      l
        .send(new elb.DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))
        .then((r) => r.TargetHealthDescriptions![0]!.TargetHealth!.State);
    await until(health, (state) => state === 'healthy');
    const secure = (await l.send(https({ Certificates: [{ CertificateArn: CERT }] }))).Listeners![0]!;
    await l.send(
      new elb.ModifyListenerCommand({
        ListenerArn: http.ListenerArn,
        DefaultActions: [
          { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
        ],
      }),
    );
    assert.equal(await health(), 'healthy', 'the group never left the load balancer');
    assert.equal((await fetch(sim.dataPlaneUrl(lb.DNSName!, 443)!)).status, 200);
    await l.send(new elb.DeleteListenerCommand({ ListenerArn: secure.ListenerArn }));
    assert.equal(await health(), 'unused', 'no listener forwards to it any more');
    await l.send(new elb.DeleteListenerCommand({ ListenerArn: http.ListenerArn }));
    await l.send(new elb.DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: id }] }));
  });

  it('describes SSL policies: a realistic few, by name, paged; an unknown name is an error', async () => {
    const all = (await l.send(new elb.DescribeSSLPoliciesCommand({}))).SslPolicies!.map((p) => p.Name);
    for (const name of [
      'ELBSecurityPolicy-2016-08',
      'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
    ])
      assert.ok(all.includes(name), name);
    const [tls13] = (
      await l.send(new elb.DescribeSSLPoliciesCommand({ Names: ['ELBSecurityPolicy-TLS13-1-2-2021-06'] }))
    ).SslPolicies!;
    assert.deepEqual(tls13!.SslProtocols, ['TLSv1.2', 'TLSv1.3']);
    assert.deepEqual(tls13!.Ciphers![0], { Name: 'TLS_AES_128_GCM_SHA256', Priority: 1 });
    const first = await l.send(new elb.DescribeSSLPoliciesCommand({ PageSize: 2 }));
    assert.equal(first.SslPolicies!.length, 2);
    const rest = await l.send(
      new elb.DescribeSSLPoliciesCommand({ PageSize: 400, Marker: first.NextMarker }),
    );
    assert.equal(first.SslPolicies!.length + rest.SslPolicies!.length, all.length);
    const unknown = await failure(() =>
      l.send(new elb.DescribeSSLPoliciesCommand({ Names: ['ELBSecurityPolicy-2016-08', 'Nope'] })),
    );
    assert.equal(unknown.name, 'SSLPolicyNotFoundException');
  });

  it('tags security group rules, finds them with DescribeSecurityGroupRules, and forgets them once revoked', async () => {
    const group = (
      await e.send(new ec2.CreateSecurityGroupCommand({ GroupName: 'rules', Description: 'r', VpcId: vpcId }))
    ).GroupId!;
    await e.send(
      new ec2.AuthorizeSecurityGroupIngressCommand({
        GroupId: group,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const added = await e.send(
      new ec2.AuthorizeSecurityGroupIngressCommand({
        GroupId: group,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            IpRanges: [{ CidrIp: '0.0.0.0/0' }],
            Ipv6Ranges: [{ CidrIpv6: '::/0' }],
          },
        ],
        TagSpecifications: [
          { ResourceType: 'security-group-rule', Tags: [{ Key: 'owner', Value: 'https' }] },
        ],
      }),
    );
    assert.deepEqual(added.SecurityGroupRules![0]!.Tags, [{ Key: 'owner', Value: 'https' }]);
    const tagged = await e.send(
      new ec2.DescribeSecurityGroupRulesCommand({
        Filters: [
          { Name: 'group-id', Values: [group] },
          { Name: 'tag:owner', Values: ['https'] },
        ],
      }),
    );
    assert.deepEqual(
      tagged.SecurityGroupRules!.map((r) => [r.FromPort, r.CidrIpv4 ?? r.CidrIpv6, r.IsEgress]),
      [
        [443, '0.0.0.0/0', false],
        [443, '::/0', false],
      ],
    );
    const everyRule = await e.send(
      new ec2.DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [group] }] }),
    );
    assert.equal(everyRule.SecurityGroupRules!.length, 4, 'two tagged, one untagged, the default egress');

    await e.send(
      new ec2.RevokeSecurityGroupIngressCommand({
        GroupId: group,
        SecurityGroupRuleIds: tagged.SecurityGroupRules!.map((r) => r.SecurityGroupRuleId!),
      }),
    );
    const left = await e.send(
      new ec2.DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [group] }] }),
    );
    assert.deepEqual(
      left.SecurityGroupRules!.filter((r) => !r.IsEgress).map((r) => r.FromPort),
      [80],
    );
    const state = sim.snapshot() as { tags: Record<string, unknown> };
    for (const rule of tagged.SecurityGroupRules!)
      assert.equal(state.tags[rule.SecurityGroupRuleId!], undefined);
    const missing = await failure(() =>
      e.send(new ec2.DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ['sgr-0123456789abcdef0'] })),
    );
    assert.equal(missing.name, 'InvalidSecurityGroupRuleId.NotFound');
  });
});
