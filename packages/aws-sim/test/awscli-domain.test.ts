import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { startSimulator, type Simulator } from '../src/index.js';
import { until } from './helpers.js';

const AWS = '/usr/bin/aws';
const run = promisify(execFile);

describe('AWS CLI v2: ACM and Route 53 of the simulator', function () {
  // Every call starts a Python process: generous for a loaded 2-core machine.
  this.timeout(180_000);
  let sim: Simulator;
  before(async function () {
    if (!existsSync(AWS)) this.skip(); // CI installs Debian's awscli; skip only where it is missing
    // A zone made at start, as `--sandbox` runs get theirs (hostedZones / AWS_SIM_HOSTED_ZONES).
    sim = await startSimulator({ hostedZones: ['example-cafe.com'] });
  });
  after(() => sim?.stop());

  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  async function aws(...args: string[]): Promise<any> {
    const { stdout } = await run(AWS, [...args, '--endpoint-url', sim.endpoint, '--output', 'json'], { env });
    return stdout.trim() ? JSON.parse(stdout) : {};
  }
  /** The AWS CLI's error line for a refused call. */
  async function refusal(...args: string[]): Promise<string> {
    try {
      await run(AWS, [...args, '--endpoint-url', sim.endpoint, '--output', 'json'], { env });
    } catch (e) {
      return String((e as { stderr?: string }).stderr).trim();
    }
    throw new Error(`expected aws ${args.join(' ')} to fail`);
  }

  it('requests a certificate, writes its validation records, and reads both back once issued', async () => {
    const zones = await aws('route53', 'list-hosted-zones-by-name', '--dns-name', 'example-cafe.com');
    const zone = zones.HostedZones[0];
    assert.equal(zone.Name, 'example-cafe.com.');
    const { CertificateArn: arn } = await aws(
      'acm',
      'request-certificate',
      '--domain-name',
      'www.example-cafe.com',
      '--subject-alternative-names',
      'example-cafe.com',
      '--validation-method',
      'DNS',
      '--idempotency-token',
      'cafe',
      '--tags',
      'Key=site:name,Value=cafe',
    );
    const pending = await until(
      () => aws('acm', 'describe-certificate', '--certificate-arn', arn),
      (d) => d.Certificate.DomainValidationOptions.every((o: any) => o.ResourceRecord),
      30_000,
      200,
    );
    assert.equal(pending.Certificate.Status, 'PENDING_VALIDATION');
    const changes = pending.Certificate.DomainValidationOptions.map((o: any) => ({
      Action: 'UPSERT',
      ResourceRecordSet: {
        Name: o.ResourceRecord.Name,
        Type: o.ResourceRecord.Type,
        TTL: 300,
        ResourceRecords: [{ Value: o.ResourceRecord.Value }],
      },
    }));
    const written = await aws(
      'route53',
      'change-resource-record-sets',
      '--hosted-zone-id',
      zone.Id,
      '--change-batch',
      JSON.stringify({ Comment: 'ACM validation', Changes: changes }),
    );
    assert.equal(written.ChangeInfo.Status, 'PENDING');
    await until(
      () => aws('route53', 'get-change', '--id', written.ChangeInfo.Id),
      (c) => c.ChangeInfo.Status === 'INSYNC',
      30_000,
      200,
    );
    const issued = await until(
      () => aws('acm', 'describe-certificate', '--certificate-arn', arn),
      (d) => d.Certificate.Status === 'ISSUED',
      30_000,
      200,
    );
    assert.ok(Date.parse(issued.Certificate.NotAfter) > Date.parse(issued.Certificate.NotBefore));
    assert.deepEqual(
      issued.Certificate.DomainValidationOptions.map((o: any) => o.ValidationStatus),
      ['SUCCESS', 'SUCCESS'],
    );
    const records = await aws('route53', 'list-resource-record-sets', '--hosted-zone-id', zone.Id);
    assert.deepEqual(records.ResourceRecordSets.map((r: any) => r.Type).sort(), [
      'CNAME',
      'CNAME',
      'NS',
      'SOA',
    ]);
    const listed = await aws('acm', 'list-certificates', '--certificate-statuses', 'ISSUED');
    assert.deepEqual(
      listed.CertificateSummaryList.map((s: any) => s.CertificateArn),
      [arn],
    );
    const tags = await aws('acm', 'list-tags-for-certificate', '--certificate-arn', arn);
    assert.deepEqual(tags.Tags, [{ Key: 'site:name', Value: 'cafe' }]);

    // Refusals, as the CLI prints them.
    assert.match(
      await refusal(
        'route53',
        'change-resource-record-sets',
        '--hosted-zone-id',
        zone.Id,
        '--change-batch',
        JSON.stringify({ Changes: changes.map((c: any) => ({ ...c, Action: 'CREATE' })) }),
      ),
      /InvalidChangeBatch.*Tried to create resource record set \[name='_[0-9a-f]{32}\.www\.example-cafe\.com\.', type='CNAME'\] but it already exists/,
    );
    assert.match(
      await refusal(
        'acm',
        'request-certificate',
        '--domain-name',
        'not_a_domain',
        '--validation-method',
        'DNS',
      ),
      /\(ValidationException\).*domainName/,
    );
    assert.match(await refusal('route53', 'delete-hosted-zone', '--id', zone.Id), /\(HostedZoneNotEmpty\)/);
    assert.match(
      await refusal(
        'acm',
        'get-certificate',
        '--certificate-arn',
        arn.replace(/[0-9a-f]{12}$/, '000000000000'),
      ),
      /\(ResourceNotFoundException\)/,
    );
    const pem = await aws('acm', 'get-certificate', '--certificate-arn', arn);
    assert.match(pem.Certificate, /BEGIN CERTIFICATE/);
    await aws('acm', 'delete-certificate', '--certificate-arn', arn);
  });
});
