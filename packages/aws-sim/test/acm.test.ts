import assert from 'node:assert/strict';
import * as acm from '@aws-sdk/client-acm';
import { startSimulator, type Simulator } from '../src/index.js';
import { domainClients, failure, until } from './helpers.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const acmClient = (sim: Simulator, region?: string) => domainClients(sim, region).acm;

describe('ACM', () => {
  let sim: Simulator;
  let c: acm.ACMClient;
  before(async () => {
    sim = await startSimulator({ profile: 'fast' });
    c = acmClient(sim);
  });
  after(() => sim.stop());

  const request = (input: Partial<acm.RequestCertificateCommandInput> = {}) =>
    c.send(
      new acm.RequestCertificateCommand({
        DomainName: 'www.example-cafe.com',
        SubjectAlternativeNames: ['example-cafe.com'],
        ValidationMethod: 'DNS',
        ...input,
      }),
    );
  const describe_ = (arn: string) =>
    c.send(new acm.DescribeCertificateCommand({ CertificateArn: arn })).then((r) => r.Certificate!);

  it('requests a certificate pending DNS validation, its CNAMEs shortly after', async () => {
    const { CertificateArn: arn } = await request({ Tags: [{ Key: 'site:name', Value: 'cafe' }] });
    assert.match(
      arn!,
      /^arn:aws:acm:us-east-1:123456789012:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const first = await describe_(arn!);
    assert.equal(first.Status, 'PENDING_VALIDATION');
    assert.equal(first.Type, 'AMAZON_ISSUED');
    assert.deepEqual(first.SubjectAlternativeNames, ['www.example-cafe.com', 'example-cafe.com']);
    assert.equal(first.NotAfter, undefined, 'no validity before it is issued');
    const withRecords = await until(
      () => describe_(arn!),
      (d) => d.DomainValidationOptions!.every((o) => o.ResourceRecord),
    );
    const [www, apex] = withRecords.DomainValidationOptions!;
    assert.equal(www!.ValidationMethod, 'DNS');
    assert.equal(www!.ValidationStatus, 'PENDING_VALIDATION');
    assert.equal(www!.ResourceRecord!.Type, 'CNAME');
    assert.match(www!.ResourceRecord!.Name!, /^_[0-9a-f]{32}\.www\.example-cafe\.com\.$/);
    assert.match(www!.ResourceRecord!.Value!, /^_[0-9a-f]{32}\.[a-z]{10}\.acm-validations\.aws\.$/);
    assert.match(apex!.ResourceRecord!.Name!, /^_[0-9a-f]{32}\.example-cafe\.com\.$/);
    const tags = await c.send(new acm.ListTagsForCertificateCommand({ CertificateArn: arn }));
    assert.deepEqual(tags.Tags, [{ Key: 'site:name', Value: 'cafe' }]);
    const notYet = await failure(() => c.send(new acm.GetCertificateCommand({ CertificateArn: arn })));
    assert.equal(notYet.name, 'RequestInProgressException');
  });

  it('gives the same certificate for the same idempotency token, and a new one without', async () => {
    const a = await request({ IdempotencyToken: 'cafe1' });
    const b = await request({ IdempotencyToken: 'cafe1' });
    assert.equal(a.CertificateArn, b.CertificateArn);
    const other = await request();
    assert.notEqual(other.CertificateArn, a.CertificateArn);
  });

  it('lists certificates by status, page by page', async () => {
    for (let i = 0; i < 3; i++)
      await request({ DomainName: `page${i}.example.org`, SubjectAlternativeNames: undefined });
    const seen: string[] = [];
    for await (const page of acm.paginateListCertificates(
      { client: c, pageSize: 2 },
      { CertificateStatuses: ['PENDING_VALIDATION'] },
    )) {
      assert.ok(page.CertificateSummaryList!.length <= 2);
      seen.push(...page.CertificateSummaryList!.map((s) => s.DomainName!));
    }
    assert.ok(['page0.example.org', 'page1.example.org', 'page2.example.org'].every((d) => seen.includes(d)));
    const issued = await c.send(new acm.ListCertificatesCommand({ CertificateStatuses: ['ISSUED'] }));
    assert.deepEqual(issued.CertificateSummaryList, []);
  });

  it('refuses names that are not FQDNs, too many names, bad tokens and unknown ARNs', async () => {
    for (const bad of ['localhost', 'www..example.com', '-www.example.com', 'exa mple.com']) {
      const e = await failure(() => request({ DomainName: bad, SubjectAlternativeNames: undefined }));
      assert.equal(e.name, 'ValidationException', bad);
      assert.match(
        e.message,
        /at 'domainName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
      );
    }
    const san = await failure(() => request({ SubjectAlternativeNames: ['ok.example.com', 'not_a_name'] }));
    assert.equal(san.name, 'ValidationException');
    assert.match(san.message, /at 'subjectAlternativeNames\.2\.member'/);
    const tooMany = await failure(() =>
      request({ SubjectAlternativeNames: Array.from({ length: 10 }, (_, i) => `a${i}.example-cafe.com`) }),
    );
    assert.equal(tooMany.name, 'LimitExceededException');
    assert.match(tooMany.message, /11 domain names.*limit is 10/);
    const token = await failure(() => request({ IdempotencyToken: 'not a token!' }));
    assert.equal(token.name, 'ValidationException');
    const method = await failure(() =>
      request({ ValidationMethod: 'CARRIER_PIGEON' as acm.ValidationMethod }),
    );
    assert.match(method.message, /Member must satisfy enum value set/);
    const missing = await failure(() =>
      describe_('arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000'),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
    const notArn = await failure(() => describe_('certificate/1234567890abcdefghij'));
    assert.equal(notArn.name, 'ValidationException'); // the model's ARN pattern, before the action
    const reserved = await failure(async () =>
      c.send(
        new acm.AddTagsToCertificateCommand({
          CertificateArn: (await request()).CertificateArn,
          Tags: [{ Key: 'aws:owner', Value: 'me' }],
        }),
      ),
    );
    assert.equal(reserved.name, 'InvalidTagException');
    const before = (await c.send(new acm.ListCertificatesCommand({}))).CertificateSummaryList!.length;
    await failure(() => request({ DomainName: 'localhost', SubjectAlternativeNames: undefined }));
    assert.equal(
      (await c.send(new acm.ListCertificatesCommand({}))).CertificateSummaryList!.length,
      before,
      'nothing created',
    );
  });

  it('deletes a certificate nothing uses; it is gone after', async () => {
    const { CertificateArn: arn } = await request();
    await c.send(new acm.DeleteCertificateCommand({ CertificateArn: arn }));
    const gone = await failure(() => describe_(arn!));
    assert.equal(gone.name, 'ResourceNotFoundException');
    const again = await failure(() => c.send(new acm.DeleteCertificateCommand({ CertificateArn: arn })));
    assert.equal(again.name, 'ResourceNotFoundException');
  });

  it('is regional: a certificate of another region is not found', async () => {
    const { CertificateArn: arn } = await request();
    const west = acmClient(sim, 'eu-west-1');
    const other = arn!.replace('us-east-1', 'eu-west-1');
    const e = await failure(() => west.send(new acm.DescribeCertificateCommand({ CertificateArn: other })));
    assert.equal(e.name, 'ResourceNotFoundException');
  });
});
