import assert from 'node:assert/strict';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { TLSSocket } from 'node:tls';
import * as acm from '@aws-sdk/client-acm';
import * as ec2 from '@aws-sdk/client-ec2';
import * as elb from '@aws-sdk/client-elastic-load-balancing-v2';
import * as r53 from '@aws-sdk/client-route-53';
import { startSimulator, type Simulator } from '../src/index.js';
import { clients, domainClients, HTTPD_USER_DATA, until, untilRunning } from './helpers.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const NAME = 'www.example-cafe.com';

/** A GET of `url` with the Host header (and, over TLS, the SNI name) of `host`, trusting `ca`. */
function request(url: string, host: string, ca?: string) {
  return new Promise<{
    res: IncomingMessage;
    body: string;
    peer?: ReturnType<TLSSocket['getPeerCertificate']>;
    authorized?: boolean;
  }>((resolve, reject) => {
    const u = new URL(url);
    const options = { headers: { host }, servername: host, ca };
    const done = (res: IncomingMessage) => {
      const socket = u.protocol === 'https:' ? (res.socket as TLSSocket) : undefined;
      const peer = socket?.getPeerCertificate();
      const authorized = socket?.authorized;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ res, body, peer, authorized }));
    };
    (u.protocol === 'https:' ? httpsGet(u, options, done) : httpGet(u, options, done)).on('error', reject);
  });
}

describe('a domain over HTTPS on the data plane (ACM + Route 53 + an HTTPS listener)', function () {
  this.timeout(60_000);
  let sim: Simulator;
  after(() => sim?.stop());

  it('serves https://www.example-cafe.com/ with its certificate by SNI, and http:// answers 301 to https', async () => {
    sim = await startSimulator({ profile: 'fast' });
    const { ec2: e, elb: l } = clients(sim);
    const { acm: c, route53: r } = domainClients(sim);

    // The user's zone, the site's certificate and its validation records (as the domain plugin does it).
    const zone = (
      await r.send(new r53.CreateHostedZoneCommand({ Name: 'example-cafe.com', CallerReference: 'tls-test' }))
    ).HostedZone!.Id!;
    const arn = (
      await c.send(
        new acm.RequestCertificateCommand({
          DomainName: NAME,
          SubjectAlternativeNames: ['example-cafe.com'],
          ValidationMethod: 'DNS',
        }),
      )
    ).CertificateArn!;
    const pending = await until(
      () => c.send(new acm.DescribeCertificateCommand({ CertificateArn: arn })),
      (d) => d.Certificate!.DomainValidationOptions!.every((o) => o.ResourceRecord),
    );
    await r.send(
      new r53.ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: {
          Changes: pending.Certificate!.DomainValidationOptions!.map((o) => ({
            Action: 'UPSERT' as const,
            ResourceRecordSet: {
              Name: o.ResourceRecord!.Name,
              Type: 'CNAME' as const,
              TTL: 300,
              ResourceRecords: [{ Value: o.ResourceRecord!.Value }],
            },
          })),
        },
      }),
    );

    // The site: an instance serving the template behind a load balancer.
    const vpcId = (await e.send(new ec2.DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
    const subnets = (await e.send(new ec2.DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId!);
    const image = (await e.send(new ec2.DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId;
    const instance = (
      await e.send(
        new ec2.RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1, UserData: HTTPD_USER_DATA }),
      )
    ).Instances![0]!.InstanceId!;
    const lb = (await l.send(new elb.CreateLoadBalancerCommand({ Name: 'cafe-alb', Subnets: subnets })))
      .LoadBalancers![0]!;
    const tg = (
      await l.send(
        new elb.CreateTargetGroupCommand({ Name: 'cafe-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId }),
      )
    ).TargetGroups![0]!.TargetGroupArn!;
    await untilRunning(e, instance);
    await l.send(new elb.RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: instance }] }));

    await until(
      () => c.send(new acm.DescribeCertificateCommand({ CertificateArn: arn })),
      (d) => d.Certificate!.Status === 'ISSUED',
    );
    await l.send(
      new elb.CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: 'HTTPS',
        Port: 443,
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        Certificates: [{ CertificateArn: arn }],
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }],
      }),
    );
    await l.send(
      new elb.CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [
          { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
        ],
      }),
    );
    await r.send(
      new r53.ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: {
          Changes: (['A', 'AAAA'] as const).map((Type) => ({
            Action: 'CREATE' as const,
            ResourceRecordSet: {
              Name: NAME,
              Type,
              AliasTarget: {
                HostedZoneId: lb.CanonicalHostedZoneId,
                DNSName: lb.DNSName,
                EvaluateTargetHealth: true,
              },
            },
          })),
        },
      }),
    );

    const secure = sim.dataPlaneUrl(lb.DNSName!, 443)!;
    assert.match(secure, /^https:\/\/127\.0\.0\.1:\d+\/$/);
    const ca = sim.certificateAuthority();
    const page = await until(
      () => request(secure, NAME, ca),
      (p) => p.res.statusCode === 200,
      10_000,
    );
    assert.match(page.body, /barista_cafe/);
    assert.equal(page.peer!.subject.CN, NAME);
    assert.match(page.peer!.subjectaltname!, /DNS:www\.example-cafe\.com/);
    assert.equal(page.peer!.issuer.CN, 'aws-sim Root CA');
    assert.equal(page.authorized, true, 'the chain verifies against the simulator CA');

    // Without the CA, a client refuses the certificate: it is not one the public trusts.
    await assert.rejects(request(secure, NAME), /self-signed|unable to verify|self signed/);
    // The CA is also served to other processes.
    assert.equal(await (await fetch(`${sim.endpoint}/_sim/ca`)).text(), ca);

    const plain = await request(sim.dataPlaneUrl(lb.DNSName!, 80)!, NAME);
    assert.equal(plain.res.statusCode, 301);
    assert.equal(plain.res.headers.location, `https://${NAME}:443/`);
  });
});
