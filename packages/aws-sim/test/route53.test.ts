import assert from 'node:assert/strict';
import * as acm from '@aws-sdk/client-acm';
import * as ec2 from '@aws-sdk/client-ec2';
import * as elb from '@aws-sdk/client-elastic-load-balancing-v2';
import * as r53 from '@aws-sdk/client-route-53';
import { ManualClock, profiles, startSimulator, type Simulator } from '../src/index.js';
import { clients, domainClients, failure, until } from './helpers.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const route53Client = (sim: Simulator) => domainClients(sim).route53;
const acmClient = (sim: Simulator) => domainClients(sim).acm;

describe('Route 53', () => {
  let sim: Simulator;
  let r: r53.Route53Client;
  let zoneId: string;
  before(async () => {
    sim = await startSimulator({ profile: 'fast' });
    r = route53Client(sim);
    const created = await r.send(
      new r53.CreateHostedZoneCommand({ Name: 'example-cafe.com', CallerReference: 'cafe-1' }),
    );
    zoneId = created.HostedZone!.Id!;
  });
  after(() => sim.stop());

  const change = (Changes: r53.Change[], id = zoneId) =>
    r.send(new r53.ChangeResourceRecordSetsCommand({ HostedZoneId: id, ChangeBatch: { Changes } }));
  const txt = (name: string, value: string, Action: r53.ChangeAction = 'CREATE'): r53.Change => ({
    Action,
    ResourceRecordSet: { Name: name, Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: `"${value}"` }] },
  });
  const list = async (id = zoneId) =>
    (await r.send(new r53.ListResourceRecordSetsCommand({ HostedZoneId: id }))).ResourceRecordSets!;

  it('creates a public zone with its SOA and NS, found by name and id; a caller reference only once', async () => {
    const got = await r.send(new r53.GetHostedZoneCommand({ Id: zoneId }));
    assert.match(got.HostedZone!.Id!, /^\/hostedzone\/Z[A-Z0-9]{20}$/);
    assert.equal(got.HostedZone!.Name, 'example-cafe.com.');
    assert.equal(got.HostedZone!.Config!.PrivateZone, false);
    assert.equal(got.DelegationSet!.NameServers!.length, 4);
    assert.deepEqual(
      (await list()).map((x) => x.Type),
      ['NS', 'SOA'],
    );
    const byName = await r.send(new r53.ListHostedZonesByNameCommand({ DNSName: 'example-cafe.com' }));
    assert.equal(byName.HostedZones![0]!.Id, zoneId);
    const again = await failure(() =>
      r.send(new r53.CreateHostedZoneCommand({ Name: 'example-cafe.com', CallerReference: 'cafe-1' })),
    );
    assert.equal(again.name, 'HostedZoneAlreadyExists');
    assert.equal(again.$metadata.httpStatusCode, 409);
    const bad = await failure(() =>
      r.send(new r53.CreateHostedZoneCommand({ Name: 'bad..name', CallerReference: 'x' })),
    );
    assert.equal(bad.name, 'InvalidDomainName');
  });

  it('applies a batch whole or not at all, with AWS messages for each refusal', async () => {
    const info = (await change([txt('a.example-cafe.com', 'one'), txt('b.example-cafe.com', 'two')]))
      .ChangeInfo!;
    assert.match(info.Id!, /^\/change\/C[A-Z0-9]{20}$/);
    assert.equal(info.Status, 'PENDING');
    await until(
      () => r.send(new r53.GetChangeCommand({ Id: info.Id })),
      (c) => c.ChangeInfo!.Status === 'INSYNC',
    );
    const exists = await failure(() =>
      change([txt('c.example-cafe.com', 'new'), txt('a.example-cafe.com', 'again')]),
    );
    assert.equal(exists.name, 'InvalidChangeBatch');
    assert.equal(
      exists.message,
      "[Tried to create resource record set [name='a.example-cafe.com.', type='TXT'] but it already exists]",
    );
    assert.ok(
      !(await list()).some((x) => x.Name === 'c.example-cafe.com.'),
      'the good half of the batch is not applied',
    );
    const missing = await failure(() => change([txt('nope.example-cafe.com', 'x', 'DELETE')]));
    assert.equal(
      missing.message,
      "[Tried to delete resource record set [name='nope.example-cafe.com.', type='TXT'] but it was not found]",
    );
    const mismatch = await failure(() => change([txt('a.example-cafe.com', 'other', 'DELETE')]));
    assert.equal(
      mismatch.message,
      "[Tried to delete resource record set [name='a.example-cafe.com.', type='TXT'] but the values provided do not match the current values]",
    );
    const outside = await failure(() => change([txt('www.other.org', 'x')]));
    assert.equal(
      outside.message,
      '[RRSet with DNS name www.other.org. is not permitted in zone example-cafe.com.]',
    );
    const apex = await failure(() =>
      change([
        {
          Action: 'CREATE',
          ResourceRecordSet: {
            Name: 'example-cafe.com',
            Type: 'CNAME',
            TTL: 60,
            ResourceRecords: [{ Value: 'x.org' }],
          },
        },
      ]),
    );
    assert.match(apex.message, /is not permitted at apex/);
    const noTtl = await failure(() =>
      change([
        {
          Action: 'CREATE',
          ResourceRecordSet: {
            Name: 'd.example-cafe.com',
            Type: 'A',
            ResourceRecords: [{ Value: '192.0.2.1' }],
          },
        },
      ]),
    );
    assert.equal(noTtl.name, 'InvalidInput');
    const badType = await failure(() =>
      change([
        {
          Action: 'CREATE',
          ResourceRecordSet: {
            Name: 'e.example-cafe.com',
            Type: 'BOGUS' as r53.RRType,
            TTL: 1,
            ResourceRecords: [{ Value: 'x' }],
          },
        },
      ]),
    );
    assert.equal(badType.name, 'InvalidInput');
    assert.match(badType.message, /Member must satisfy enum value set/);
    await change([
      txt('a.example-cafe.com', 'one', 'DELETE'),
      txt('a.example-cafe.com', 'upserted', 'UPSERT'),
    ]);
    const a = (await list()).find((x) => x.Name === 'a.example-cafe.com.')!;
    assert.deepEqual(a.ResourceRecords, [{ Value: '"upserted"' }]);
    const noZone = await failure(() => change([txt('a.example-cafe.com', 'x')], 'Z000000000000000000NO'));
    assert.equal(noZone.name, 'NoSuchHostedZone');
    assert.equal(noZone.$metadata.httpStatusCode, 404);
  });

  it('lists record sets in DNS order, page by page', async () => {
    await change(Array.from({ length: 5 }, (_, i) => txt(`p${i}.list.example-cafe.com`, `v${i}`)));
    // The SDK has no paginator for it (the model marks none): page by NextRecordName / NextRecordType.
    const names: string[] = [];
    let next: { StartRecordName?: string; StartRecordType?: r53.RRType } = {};
    for (;;) {
      const page = await r.send(
        new r53.ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: 2, ...next }),
      );
      assert.ok(page.ResourceRecordSets!.length <= 2);
      names.push(...page.ResourceRecordSets!.map((x) => `${x.Name} ${x.Type}`));
      if (!page.IsTruncated) break;
      next = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType };
    }
    assert.deepEqual(
      names,
      (await list()).map((x) => `${x.Name} ${x.Type}`),
    );
    assert.equal(names[0], 'example-cafe.com. NS', 'the apex first');
    const from = await r.send(
      new r53.ListResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        StartRecordName: 'p3.list.example-cafe.com',
        StartRecordType: 'TXT',
        MaxItems: 1,
      }),
    );
    assert.equal(from.ResourceRecordSets![0]!.Name, 'p3.list.example-cafe.com.');
    assert.equal(from.IsTruncated, true);
    assert.equal(from.NextRecordName, 'p4.list.example-cafe.com.');
  });

  it('aliases A and AAAA to a load balancer by its canonical zone, and nothing else', async () => {
    const { ec2: e, elb: l } = clients(sim);
    const subnets = (await e.send(new ec2.DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId!);
    const lb = (await l.send(new elb.CreateLoadBalancerCommand({ Name: 'cafe-alb', Subnets: subnets })))
      .LoadBalancers![0]!;
    assert.equal(lb.CanonicalHostedZoneId, 'Z35SXDOTRQ7X7K', "us-east-1's ALB zone (AWS General Reference)");
    const alias = (type: r53.RRType, dns = lb.DNSName!, zone = lb.CanonicalHostedZoneId!): r53.Change => ({
      Action: 'CREATE',
      ResourceRecordSet: {
        Name: 'www.example-cafe.com',
        Type: type,
        AliasTarget: { HostedZoneId: zone, DNSName: `dualstack.${dns}`, EvaluateTargetHealth: true },
      },
    });
    const wrongZone = await failure(() => change([alias('A', lb.DNSName!, 'Z32O12XQLNTSW2')]));
    assert.match(wrongZone.message, /but that target was not found/);
    const noLb = await failure(() => change([alias('A', 'gone-1.us-east-1.elb.aws-sim.invalid')]));
    assert.match(noLb.message, /but that target was not found/);
    await change([alias('A'), alias('AAAA')]);
    const records = (await list()).filter((x) => x.Name === 'www.example-cafe.com.');
    assert.deepEqual(
      records.map((x) => [x.Type, x.AliasTarget!.HostedZoneId, x.AliasTarget!.DNSName]),
      [
        ['A', 'Z35SXDOTRQ7X7K', `dualstack.${lb.DNSName!.toLowerCase()}.`],
        ['AAAA', 'Z35SXDOTRQ7X7K', `dualstack.${lb.DNSName!.toLowerCase()}.`],
      ],
    );
    const cname = await failure(() =>
      change([
        {
          Action: 'CREATE',
          ResourceRecordSet: {
            Name: 'www.example-cafe.com',
            Type: 'CNAME',
            TTL: 60,
            ResourceRecords: [{ Value: 'x.org' }],
          },
        },
      ]),
    );
    assert.match(cname.message, /conflicting RRSet of type A/);
  });

  it('refuses to delete a zone with records of its own, then deletes it once they are gone', async () => {
    const z = (
      await r.send(
        new r53.CreateHostedZoneCommand({ Name: 'sub.example-cafe.com', CallerReference: 'sub-1' }),
      )
    ).HostedZone!.Id!;
    await change([txt('x.sub.example-cafe.com', 'x')], z);
    const notEmpty = await failure(() => r.send(new r53.DeleteHostedZoneCommand({ Id: z })));
    assert.equal(notEmpty.name, 'HostedZoneNotEmpty');
    await change([txt('x.sub.example-cafe.com', 'x', 'DELETE')], z);
    await r.send(new r53.DeleteHostedZoneCommand({ Id: z }));
    const gone = await failure(() => r.send(new r53.GetHostedZoneCommand({ Id: z })));
    assert.equal(gone.name, 'NoSuchHostedZone');
  });
});

describe('ACM issues once its validation records resolve in Route 53', () => {
  let sim: Simulator;
  after(() => sim.stop());

  it('stays pending without the records, is issued after the delay with them, and stays issued when they go', async () => {
    sim = await startSimulator({ profile: 'fast' });
    const r = route53Client(sim);
    const c = acmClient(sim);
    const zone = (
      await r.send(new r53.CreateHostedZoneCommand({ Name: 'example-cafe.com', CallerReference: 'z' }))
    ).HostedZone!.Id!;
    const arn = (
      await c.send(
        new acm.RequestCertificateCommand({
          DomainName: 'www.example-cafe.com',
          SubjectAlternativeNames: ['example-cafe.com'],
          ValidationMethod: 'DNS',
        }),
      )
    ).CertificateArn!;
    const describe = () =>
      c.send(new acm.DescribeCertificateCommand({ CertificateArn: arn })).then((x) => x.Certificate!);
    const pending = await until(describe, (d) => d.DomainValidationOptions!.every((o) => o.ResourceRecord));
    // Only one of the two names validated: still pending.
    const [www, apex] = pending.DomainValidationOptions!.map((o) => o.ResourceRecord!);
    const cname = (rr: acm.ResourceRecord, Action: r53.ChangeAction = 'UPSERT'): r53.Change => ({
      Action,
      ResourceRecordSet: { Name: rr.Name, Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: rr.Value }] },
    });
    await r.send(
      new r53.ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: { Changes: [cname(www!)] },
      }),
    );
    await new Promise((res) => setTimeout(res, 800));
    const half = await describe();
    assert.equal(half.Status, 'PENDING_VALIDATION');
    assert.deepEqual(
      half.DomainValidationOptions!.map((o) => o.ValidationStatus),
      ['SUCCESS', 'PENDING_VALIDATION'],
    );
    const listener = await failure(async () => {
      const { ec2: e, elb: l } = clients(sim);
      const subnets = (await e.send(new ec2.DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId!);
      const lb = (await l.send(new elb.CreateLoadBalancerCommand({ Name: 'p-alb', Subnets: subnets })))
        .LoadBalancers![0]!;
      return l.send(
        new elb.CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: 'HTTPS',
          Port: 443,
          Certificates: [{ CertificateArn: arn }],
          DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }],
        }),
      );
    });
    assert.equal(
      listener.name,
      'CertificateNotFoundException',
      'a pending certificate cannot serve a listener',
    );

    await r.send(
      new r53.ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: { Changes: [cname(apex!)] },
      }),
    );
    const issued = await until(describe, (d) => d.Status === 'ISSUED');
    assert.equal(issued.Issuer, 'Amazon');
    assert.ok(issued.NotBefore! <= issued.IssuedAt!);
    assert.equal(
      Math.round((issued.NotAfter!.getTime() - issued.NotBefore!.getTime()) / 86_400_000),
      395,
      'valid for 395 days',
    );
    const pem = await c.send(new acm.GetCertificateCommand({ CertificateArn: arn }));
    assert.match(pem.Certificate!, /^-----BEGIN CERTIFICATE-----\n/);
    const x509 = new (await import('node:crypto')).X509Certificate(pem.Certificate!);
    assert.match(x509.subjectAltName!, /DNS:www\.example-cafe\.com, DNS:example-cafe\.com/);
    assert.ok(
      x509.verify(new (await import('node:crypto')).X509Certificate(pem.CertificateChain!).publicKey),
    );

    await r.send(
      new r53.ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: { Changes: [cname(www!, 'DELETE'), cname(apex!, 'DELETE')] },
      }),
    );
    assert.equal((await describe()).Status, 'ISSUED', 'ACM does not revoke when the records go');
    const listed = await c.send(new acm.ListCertificatesCommand({ CertificateStatuses: ['ISSUED'] }));
    assert.deepEqual(
      listed.CertificateSummaryList!.map((s) => s.CertificateArn),
      [arn],
    );
  });
});

describe('hosted zones a sandbox starts with', () => {
  it('makes each named zone once, keeps it in the state file, and again after a reset', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'aws-sim-zones-'));
    const stateFile = join(dir, 'state.json');
    const names = async (s: Simulator) =>
      (await domainClients(s).route53.send(new r53.ListHostedZonesCommand({}))).HostedZones!.map(
        (z) => z.Name,
      );
    try {
      const first = await startSimulator({ stateFile, hostedZones: ['example-cafe.com', 'Example.org.'] });
      assert.deepEqual(await names(first), ['example-cafe.com.', 'example.org.']);
      await first.stop();
      const second = await startSimulator({ stateFile, hostedZones: ['example-cafe.com'] });
      assert.deepEqual(await names(second), ['example-cafe.com.', 'example.org.'], 'none made twice');
      second.reset();
      assert.deepEqual(await names(second), ['example-cafe.com.']);
      await second.stop();
      const bad = await startSimulator({ hostedZones: ['not a zone'] }).then(
        (s) => s.stop().then(() => 'started'),
        (e: Error) => e.message,
      );
      assert.match(bad, /not a zone is not a valid domain name/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('ACM and Route 53 on the clock, in use, denied', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it('follows the realistic profile on a manual clock: records after seconds, issued minutes after INSYNC, timed out after 72 h', async () => {
    const clock = new ManualClock();
    sim = await startSimulator({ profile: 'realistic', clock, hostedZones: ['example-cafe.com'] });
    const { acm: c, route53: r } = domainClients(sim);
    const zone = (await r.send(new r53.ListHostedZonesCommand({}))).HostedZones![0]!.Id!;
    const request = (DomainName: string) =>
      c
        .send(new acm.RequestCertificateCommand({ DomainName, ValidationMethod: 'DNS' }))
        .then((x) => x.CertificateArn!);
    const describe = (arn: string) =>
      c.send(new acm.DescribeCertificateCommand({ CertificateArn: arn })).then((x) => x.Certificate!);
    const valid = await request('www.example-cafe.com');
    const never = await request('shop.example-cafe.com');
    assert.equal((await describe(valid)).DomainValidationOptions![0]!.ResourceRecord, undefined);
    clock.advance(profiles.realistic.acmValidationRecordMs);
    const rr = (await describe(valid)).DomainValidationOptions![0]!.ResourceRecord!;
    const { ChangeInfo } = await r.send(
      new r53.ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: {
          Changes: [
            {
              Action: 'CREATE',
              ResourceRecordSet: {
                Name: rr.Name,
                Type: 'CNAME',
                TTL: 300,
                ResourceRecords: [{ Value: rr.Value }],
              },
            },
          ],
        },
      }),
    );
    clock.advance(profiles.realistic.route53SyncMs - 1);
    assert.equal(
      (await r.send(new r53.GetChangeCommand({ Id: ChangeInfo!.Id }))).ChangeInfo!.Status,
      'PENDING',
    );
    clock.advance(1);
    assert.equal(
      (await r.send(new r53.GetChangeCommand({ Id: ChangeInfo!.Id }))).ChangeInfo!.Status,
      'INSYNC',
    );
    clock.advance(profiles.realistic.acmIssueMs - 1);
    assert.equal((await describe(valid)).Status, 'PENDING_VALIDATION');
    clock.advance(1);
    assert.equal((await describe(valid)).Status, 'ISSUED');
    clock.advance(profiles.realistic.acmValidationTimeoutMs);
    const late = await describe(never);
    assert.equal(late.Status, 'VALIDATION_TIMED_OUT');
    assert.equal(late.DomainValidationOptions![0]!.ValidationStatus, 'FAILED');
    assert.equal((await describe(valid)).Status, 'ISSUED');
  });

  it('refuses to delete a certificate a listener uses, and names the load balancer in InUseBy', async () => {
    sim = await startSimulator({ profile: 'fast', hostedZones: ['example-cafe.com'] });
    const { acm: c, route53: r } = domainClients(sim);
    const { ec2: e, elb: l } = clients(sim);
    const zone = (await r.send(new r53.ListHostedZonesCommand({}))).HostedZones![0]!.Id!;
    const arn = (
      await c.send(
        new acm.RequestCertificateCommand({ DomainName: 'www.example-cafe.com', ValidationMethod: 'DNS' }),
      )
    ).CertificateArn!;
    const describe = () =>
      c.send(new acm.DescribeCertificateCommand({ CertificateArn: arn })).then((x) => x.Certificate!);
    const rr = (await until(describe, (d) => !!d.DomainValidationOptions![0]!.ResourceRecord))
      .DomainValidationOptions![0]!.ResourceRecord!;
    await r.send(
      new r53.ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: {
          Changes: [
            {
              Action: 'UPSERT',
              ResourceRecordSet: {
                Name: rr.Name,
                Type: 'CNAME',
                TTL: 300,
                ResourceRecords: [{ Value: rr.Value }],
              },
            },
          ],
        },
      }),
    );
    await until(describe, (d) => d.Status === 'ISSUED');
    const subnets = (await e.send(new ec2.DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId!);
    const lb = (await l.send(new elb.CreateLoadBalancerCommand({ Name: 'in-use', Subnets: subnets })))
      .LoadBalancers![0]!;
    const listener = (
      await l.send(
        new elb.CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: 'HTTPS',
          Port: 443,
          Certificates: [{ CertificateArn: arn }],
          DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }],
        }),
      )
    ).Listeners![0]!;
    assert.deepEqual((await describe()).InUseBy, [lb.LoadBalancerArn]);
    const inUse = await failure(() => c.send(new acm.DeleteCertificateCommand({ CertificateArn: arn })));
    assert.equal(inUse.name, 'ResourceInUseException');
    assert.equal(inUse.message, `Certificate ${arn} in account 123456789012 is in use.`);
    await l.send(new elb.DeleteListenerCommand({ ListenerArn: listener.ListenerArn }));
    await c.send(new acm.DeleteCertificateCommand({ CertificateArn: arn }));
  });

  it('answers denials, throttling and rejected credentials in each service’s own words', async () => {
    sim = await startSimulator({
      profile: 'fast',
      faults: {
        deny: {
          'acm:RequestCertificate': 'AccessDeniedException',
          'route53:CreateHostedZone': 'AccessDenied',
        },
        rejectCredentials: { test: 'expired' },
      },
    });
    const { acm: c, route53: r } = domainClients(sim);
    const acmDenied = await failure(() =>
      c.send(new acm.RequestCertificateCommand({ DomainName: 'www.example-cafe.com' })),
    );
    assert.equal(acmDenied.name, 'ExpiredTokenException');
    sim.setFaults({
      deny: { 'acm:RequestCertificate': 'AccessDeniedException', 'route53:CreateHostedZone': 'AccessDenied' },
    });
    const denied = await failure(() =>
      c.send(new acm.RequestCertificateCommand({ DomainName: 'www.example-cafe.com' })),
    );
    assert.equal(denied.name, 'AccessDeniedException');
    assert.equal(denied.$metadata.httpStatusCode, 403);
    assert.match(denied.message, /not authorized to perform: acm:RequestCertificate/);
    const zoneDenied = await failure(() =>
      r.send(new r53.CreateHostedZoneCommand({ Name: 'example-cafe.com', CallerReference: 'x' })),
    );
    assert.equal(zoneDenied.name, 'AccessDenied');
    assert.match(zoneDenied.message, /route53:CreateHostedZone/);
    sim.setFaults({ throttleRate: 1 });
    const throttled = await failure(() => r.send(new r53.ListHostedZonesCommand({})));
    assert.equal(throttled.name, 'Throttling');
    assert.equal(
      (await failure(() => c.send(new acm.ListCertificatesCommand({})))).name,
      'ThrottlingException',
    );
  });
});

describe('the rest of the refusals of ACM and Route 53', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ profile: 'fast', hostedZones: ['example-cafe.com', 'example.org'] });
  });
  after(() => sim.stop());

  it('Route 53: unknown change, bad page size, private zones, other resource types, the zone’s own records', async () => {
    const { route53: r } = domainClients(sim);
    const zones = await r.send(new r53.ListHostedZonesCommand({ MaxItems: 1 }));
    assert.equal(zones.HostedZones!.length, 1);
    assert.equal(zones.IsTruncated, true);
    const rest = await r.send(new r53.ListHostedZonesCommand({ Marker: zones.NextMarker }));
    assert.equal(rest.HostedZones![0]!.Name, 'example.org.');
    const zone = zones.HostedZones![0]!.Id!;
    const expect = async (p: Promise<unknown>, name: string, message?: RegExp) => {
      const e = await failure(() => p);
      assert.equal(e.name, name, e.message);
      if (message) assert.match(e.message, message);
    };
    await expect(r.send(new r53.GetChangeCommand({ Id: 'C00000000000000000000' })), 'NoSuchChange');
    await expect(r.send(new r53.ListHostedZonesCommand({ MaxItems: 0 })), 'InvalidInput');
    await expect(
      r.send(
        new r53.CreateHostedZoneCommand({
          Name: 'internal.example',
          CallerReference: 'p',
          VPC: { VPCRegion: 'us-east-1', VPCId: 'vpc-1' },
        }),
      ),
      'InvalidInput',
      /private hosted zones/,
    );
    await expect(
      r.send(new r53.ListTagsForResourceCommand({ ResourceType: 'healthcheck', ResourceId: 'x' })),
      'InvalidInput',
    );
    await expect(
      r.send(new r53.ListResourceRecordSetsCommand({ HostedZoneId: zone, StartRecordType: 'A' })),
      'InvalidInput',
    );
    const [ns] = (await r.send(new r53.ListResourceRecordSetsCommand({ HostedZoneId: zone })))
      .ResourceRecordSets!;
    await expect(
      r.send(
        new r53.ChangeResourceRecordSetsCommand({
          HostedZoneId: zone,
          ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: ns }] },
        }),
      ),
      'InvalidChangeBatch',
      /at least one NS record/,
    );
    await expect(
      r.send(
        new r53.ChangeResourceRecordSetsCommand({
          HostedZoneId: zone,
          ChangeBatch: {
            Changes: [
              {
                Action: 'CREATE',
                ResourceRecordSet: {
                  Name: 'two.example-cafe.com',
                  Type: 'CNAME',
                  TTL: 60,
                  ResourceRecords: [{ Value: 'a.example.org' }, { Value: 'b.example.org' }],
                },
              },
            ],
          },
        }),
      ),
      'InvalidChangeBatch',
      /more than one resource record/,
    );
    await r.send(
      new r53.ChangeTagsForResourceCommand({
        ResourceType: 'hostedzone',
        ResourceId: zone.replace('/hostedzone/', ''),
        AddTags: [{ Key: 'site:name', Value: 'cafe' }],
      }),
    );
    const tags = await r.send(
      new r53.ListTagsForResourceCommand({
        ResourceType: 'hostedzone',
        ResourceId: zone.replace('/hostedzone/', ''),
      }),
    );
    assert.deepEqual(tags.ResourceTagSet!.Tags, [{ Key: 'site:name', Value: 'cafe' }]);
  });

  it('ACM: a first name over 64 characters, more than 50 tags', async () => {
    const { acm: c } = domainClients(sim);
    const long = `${'a'.repeat(60)}.example-cafe.com`;
    const e = await failure(() => c.send(new acm.RequestCertificateCommand({ DomainName: long })));
    assert.equal(e.name, 'ValidationException');
    assert.match(e.message, /64 characters/);
    const arn = (
      await c.send(
        new acm.RequestCertificateCommand({
          DomainName: 'www.example-cafe.com',
          SubjectAlternativeNames: [long],
          Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
        }),
      )
    ).CertificateArn!;
    const tooMany = await failure(() =>
      c.send(
        new acm.AddTagsToCertificateCommand({ CertificateArn: arn, Tags: [{ Key: 'one-more', Value: 'v' }] }),
      ),
    );
    assert.equal(tooMany.name, 'TooManyTagsException');
  });
});
