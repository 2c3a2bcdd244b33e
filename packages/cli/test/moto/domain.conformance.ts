import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runSite, tempProject } from '../run-site.js';
import { awsCli, recordingProxy, startMoto, type Moto } from './moto.js';

/**
 * Conformance of @site-cli/plugin-domain against moto: a hosted zone made with the AWS CLI, a site with a domain
 * deployed into it, the certificate, listeners, redirect rule and records read back with the AWS CLI v2, a
 * user's record refused, then destroy leaves the zone exactly as it was found. moto issues every certificate
 * after MOTO_ACM_VALIDATION_WAIT seconds whatever DNS holds (see docs/compatibility.md); a moto started here
 * waits 5 s, a shared one (MOTO_URL) its own 60 s.
 */

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.MOTO_ACM_VALIDATION_WAIT ??= '5';

type RecordSet = {
  Name: string;
  Type: string;
  AliasTarget?: { DNSName: string };
  ResourceRecords?: { Value: string }[];
};

describe('plugin-domain against moto (conformance)', function () {
  this.timeout(300_000);
  let moto: Moto;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let aws: Awaited<ReturnType<typeof awsCli>>;
  let project: ReturnType<typeof tempProject>;
  let zoneId: string;
  const id = randomBytes(3).toString('hex');
  const name = `motodom-${id}`;
  const zone = `cafe-${id}.example`;
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
  const writeConfig = (domain: string) =>
    writeFileSync(
      path.join(project.dir, 'site.config.yaml'),
      `name: ${name}\nssh: { cidr: 203.0.113.7/32 }\ndomain: ${domain}\n`,
    );
  const recordSets = async (): Promise<RecordSet[]> =>
    (await aws('route53', 'list-resource-record-sets', '--hosted-zone-id', zoneId)).ResourceRecordSets;
  const ourCertificates = async () => {
    const arns = (await aws('acm', 'list-certificates')).CertificateSummaryList.map(
      (c: any) => c.CertificateArn,
    );
    const ours = [];
    for (const arn of arns) {
      const { Tags = [] } = await aws('acm', 'list-tags-for-certificate', '--certificate-arn', arn);
      if (Tags.some((t: any) => t.Key === 'site:name' && t.Value === name)) ours.push(arn);
    }
    return ours;
  };

  before(async () => {
    moto = await startMoto();
    proxy = await recordingProxy(moto.url);
    aws = await awsCli(moto.url);
    project = tempProject();
    zoneId = (
      await aws('route53', 'create-hosted-zone', '--name', zone, '--caller-reference', `site-test-${id}`)
    ).HostedZone.Id.replace('/hostedzone/', '');
    // The user's own record, which the site must leave as it is.
    await aws(
      'route53',
      'change-resource-record-sets',
      '--hosted-zone-id',
      zoneId,
      '--change-batch',
      JSON.stringify({
        Changes: [
          {
            Action: 'CREATE',
            ResourceRecordSet: {
              Name: `mail.${zone}`,
              Type: 'A',
              TTL: 300,
              ResourceRecords: [{ Value: '192.0.2.25' }],
            },
          },
        ],
      }),
    );
  });
  after(async () => {
    await proxy?.close();
    await moto?.stop();
  });

  it('refuses a name that already has a record of the user (exit 2, nothing created)', async () => {
    writeConfig(`{ name: mail.${zone} }`);
    const pathsBefore = proxy.paths.length;
    const run = await site('deploy', '--yes', '--json');
    assert.equal(run.code, 2, run.stdout + run.stderr);
    const envelope = JSON.parse(run.stdout);
    assert.equal(envelope.error.code, 'DOMAIN_RECORDS_CONFLICT');
    assert.match(
      envelope.error.message,
      new RegExp(`A mail\\.${zone.replace('.', '\\.')} → 192\\.0\\.2\\.25`),
    );
    assert.match(
      [envelope.error.message, ...envelope.error.suggestions].join('\n'),
      /domain\.takeOver: true/,
    );
    assert.deepEqual(await ourCertificates(), [], 'no certificate requested');
    // (EC2's preflight sends its creates with DryRun: true, so the proxy's list of actions would not tell.)
    const groups = (
      await aws('ec2', 'describe-security-groups', '--filters', `Name=tag:site:name,Values=${name}`)
    ).SecurityGroups;
    assert.deepEqual(groups, [], 'no security group created');
    assert.ok(!proxy.paths.slice(pathsBefore).some((p) => p.endsWith('/rrset')), 'no Route 53 change');
  });

  it('deploys a domain site, reads it back with the AWS CLI, and destroys it leaving the zone as found', async () => {
    const found = await recordSets();
    writeConfig(`{ name: www.${zone}, aliases: [${zone}] }`);
    const deploy = await site('deploy', '--yes', '--json');
    assert.equal(deploy.code, 0, deploy.stdout + deploy.stderr);
    const result = JSON.parse(deploy.stdout).result;
    assert.match(
      result.resources['domain.site-https'].url,
      new RegExp(`^https://www\\.${zone.replace('.', '\\.')}/$`),
    );

    // The certificate: this site's (tagged), for both names, DNS-validated, issued.
    const [certificateArn] = await ourCertificates();
    assert.ok(certificateArn, 'a certificate tagged with the site');
    const { Certificate } = await aws('acm', 'describe-certificate', '--certificate-arn', certificateArn);
    assert.equal(Certificate.DomainName, `www.${zone}`);
    assert.deepEqual([...Certificate.SubjectAlternativeNames].sort(), [zone, `www.${zone}`].sort());
    assert.equal(Certificate.Status, 'ISSUED');
    const validation = Certificate.DomainValidationOptions.map((o: any) => o.ResourceRecord).filter(Boolean);
    const sets = await recordSets();
    for (const record of validation)
      assert.ok(
        sets.some(
          (s) =>
            s.Name === record.Name && s.Type === 'CNAME' && s.ResourceRecords?.[0]?.Value === record.Value,
        ),
        `validation record ${record.Name} in the zone`,
      );

    // HTTPS on 443 with the certificate and a TLS 1.3 policy; port 80 keeps forwarding, with a 301 rule for the names.
    const [lb] = (await aws('elbv2', 'describe-load-balancers')).LoadBalancers.filter(
      (l: any) => l.LoadBalancerName === `${name}-alb`,
    );
    const listeners = (await aws('elbv2', 'describe-listeners', '--load-balancer-arn', lb.LoadBalancerArn))
      .Listeners;
    const https = listeners.find((l: any) => l.Port === 443);
    assert.equal(https.Protocol, 'HTTPS');
    assert.equal(https.Certificates[0].CertificateArn, certificateArn);
    assert.equal(https.SslPolicy, 'ELBSecurityPolicy-TLS13-1-2-2021-06');
    const http = listeners.find((l: any) => l.Port === 80);
    assert.equal(http.DefaultActions[0].Type, 'forward');
    const rules = (await aws('elbv2', 'describe-rules', '--listener-arn', http.ListenerArn)).Rules.filter(
      (r: any) => !r.IsDefault,
    );
    assert.equal(rules.length, 1);
    assert.equal(rules[0].Priority, '1');
    assert.deepEqual(rules[0].Actions[0].RedirectConfig, {
      Protocol: 'HTTPS',
      Port: '443',
      StatusCode: 'HTTP_301',
      ...pickDefaults(rules[0].Actions[0].RedirectConfig),
    });
    assert.deepEqual(
      [...rules[0].Conditions[0].HostHeaderConfig.Values].sort(),
      [zone, `www.${zone}`].sort(),
    );

    // Alias records to the load balancer for both names, and the ownership markers.
    for (const host of [`www.${zone}.`, `${zone}.`]) {
      const a = sets.find((s) => s.Name === host && s.Type === 'A');
      assert.equal(a?.AliasTarget?.DNSName.replace(/\.$/, '').toLowerCase(), lb.DNSName.toLowerCase(), host);
      const marker = sets.find((s) => s.Name === `_site-owner.${host}` && s.Type === 'TXT');
      assert.equal(marker?.ResourceRecords?.[0]?.Value, `"site:name=${name}"`);
    }

    // status shows the certificate state and expiry and the records.
    const status = await site('status', '--json');
    assert.equal(status.code, 0, status.stderr);
    const rows = JSON.parse(status.stdout).result.resources.flatMap((g: any) =>
      g.rows.map((r: any) => ({ ...r, resource: g.resourceId })),
    );
    const certificateRow = rows.find((r: any) => r.resource === 'domain.certificate');
    assert.ok(certificateRow, JSON.stringify(rows.map((r: any) => [r.resource, r.state])));
    assert.equal(certificateRow.state, 'ISSUED');
    assert.match(certificateRow.detail, /^expires \d{4}-\d\d-\d\d/);
    assert.deepEqual(
      rows
        .filter((r: any) => r.resource === 'domain.records')
        .map((r: any) => r.name)
        .sort(),
      [`A ${zone}`, `A www.${zone}`].sort(),
    );

    // Again: nothing to do.
    const again = await site('deploy', '--yes', '--json');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).result.changed, false);

    // destroy: the zone as found (the user's record kept), the certificate gone.
    const destroy = await site('destroy', '--yes', '--json');
    assert.equal(destroy.code, 0, destroy.stdout + destroy.stderr);
    const after = await recordSets();
    const key = (s: RecordSet) => `${s.Name} ${s.Type} ${JSON.stringify(s.ResourceRecords ?? s.AliasTarget)}`;
    assert.deepEqual(after.map(key).sort(), found.map(key).sort());
    assert.deepEqual(await ourCertificates(), []);
    assert.ok((await aws('route53', 'get-hosted-zone', '--id', zoneId)).HostedZone, 'the zone stays');
  });
});

/** moto fills in ELB's redirect defaults (#{host}, /#{path}, #{query}); AWS answers with them too. */
function pickDefaults(config: Record<string, string>) {
  const { Protocol: _p, Port: _q, StatusCode: _s, ...rest } = config;
  return rest;
}
