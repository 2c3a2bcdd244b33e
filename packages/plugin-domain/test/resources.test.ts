import { strict as assert } from 'node:assert';
import type { PluginApi } from '@site-cli/core/plugin';
import { z } from '@site-cli/core/testing';
import resourcesHook from '../src/hooks/resources.js';
import { classify, markerName, markerValue } from '../src/ownership.js';
import { covers, idempotencyToken, validationRecordsOf } from '../src/resources/certificate.js';
import { hostGroups } from '../src/resources/http-redirect.js';
import { candidateZones, pickZone } from '../src/resources/zone.js';
import { redirectsToHttps } from '../src/site-https.js';
import { context } from './helpers.js';

const runtime = { z } as unknown as PluginApi;
const LB = 'cafe-alb-1429235379.us-east-1.elb.amazonaws.com';

describe('plugin-domain resources', () => {
  it('without domain.name: only what a dropped section left, unwanted, found without an AWS call when alb saw no 443', async () => {
    const outputs = new Map<string, unknown>([
      [
        'alb.load-balancer',
        { loadBalancerArn: 'arn:lb', loadBalancerName: 'cafe-alb', dnsName: LB, state: 'active' },
      ],
      ['alb.listener', { listenerArn: 'arn:listener', port: 80, protocol: 'HTTP', otherPorts: [] }],
    ]);
    const ctx = context({}, { outputs });
    const resources = await resourcesHook({ runtime, siteConfig: ctx.config } as never);
    assert.deepEqual(resources.map((r) => r.id).sort(), [
      'domain.certificate',
      'domain.http-redirect',
      'domain.https-listener',
      'domain.ingress',
      'domain.records',
      'domain.validation-records',
    ]);
    for (const resource of resources) {
      assert.equal(resource.wanted?.(ctx), false, resource.id);
      assert.ok(resource.dependsOn.includes('alb.listener'), resource.id);
      assert.ok(!resource.dependsOn.includes('domain.zone'), resource.id);
      assert.ok(!resource.iam.some((a) => /:(Create|Request|Authorize|Modify)/.test(a)), resource.id);
      // The test endpoint answers nothing: any AWS call would throw.
      assert.equal(await resource.discover(ctx), undefined, resource.id);
    }
  });

  it('plan: the certificate depends on nothing of the load balancer, so both start at once', async () => {
    const siteConfig = context({ domain: { name: 'www.example-cafe.com' } }).config;
    const resources = await resourcesHook({ runtime, siteConfig } as never);
    const graph = Object.fromEntries(resources.map((r) => [r.id, [...r.dependsOn]]));
    assert.deepEqual(graph['domain.certificate'], []);
    assert.deepEqual(graph['domain.validation-records'], ['domain.zone', 'domain.certificate']);
    // HTTPS waits for an issued certificate; the records are published once HTTPS is there; the check comes last.
    assert.ok(graph['domain.https-listener'].includes('domain.validation-records'));
    assert.ok(graph['domain.records'].includes('domain.https-listener'));
    assert.ok(
      graph['domain.site-https'].includes('domain.records') &&
        graph['domain.site-https'].includes('domain.http-redirect'),
    );
    // The redirect is a rule on alb's listener, not a change of alb's resource.
    assert.deepEqual(graph['domain.http-redirect'], ['alb.listener', 'domain.https-listener']);
    const kinds = Object.fromEntries(resources.map((r) => [r.id, r.kind]));
    assert.equal(kinds['domain.zone'], 'data');
    assert.equal(kinds['domain.site-https'], 'check');
  });

  it('with certificateArn: the user’s certificate is only looked up — no request, no validation records', async () => {
    const siteConfig = context({
      domain: {
        name: 'www.example-cafe.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
      },
    }).config;
    const resources = await resourcesHook({ runtime, siteConfig } as never);
    const certificate = resources.find((r) => r.id === 'domain.certificate')!;
    assert.equal(certificate.kind, 'data');
    assert.deepEqual(certificate.iam, ['acm:DescribeCertificate']);
    assert.equal(
      resources.some((r) => r.id === 'domain.validation-records'),
      false,
    );
  });

  it('finds the zone from the name: the longest suffix first, never the top-level domain', () => {
    assert.deepEqual(candidateZones('www.shop.example-cafe.com'), [
      'www.shop.example-cafe.com',
      'shop.example-cafe.com',
      'example-cafe.com',
    ]);
    const ctx = context({ domain: { name: 'www.example-cafe.com' } });
    const zone = (id: string, privateZone = false) => ({
      Id: `/hostedzone/${id}`,
      Name: 'example-cafe.com.',
      CallerReference: id,
      Config: { PrivateZone: privateZone },
    });
    assert.equal(
      pickZone(ctx, 'example-cafe.com', [zone('Z1', true), zone('Z2')], false).Id,
      '/hostedzone/Z2',
    );
    assert.throws(
      () => pickZone(ctx, 'example-cafe.com', [zone('Z1'), zone('Z2')], false),
      /2 public hosted zones are named example-cafe\.com \(Z1, Z2\)/,
    );
    assert.throws(
      () => pickZone(ctx, 'example-cafe.com', [zone('Z1', true)], true),
      (e: { code: string; exitCode: number }) => e.code === 'DOMAIN_ZONE_PRIVATE' && e.exitCode === 2,
    );
  });

  describe('ownership of records', () => {
    const host = 'www.example-cafe.com';
    const alias = (dns: string, type = 'A') => ({
      Name: `${host}.`,
      Type: type as 'A',
      AliasTarget: { DNSName: `${dns}.`, HostedZoneId: 'Z35SXDOTRQ7X7K', EvaluateTargetHealth: true },
    });
    const marker = (site: string) => ({
      Name: `${markerName(host)}.`,
      Type: 'TXT' as const,
      TTL: 300,
      ResourceRecords: [{ Value: markerValue(site) }],
    });

    it('an alias to this site’s load balancer is ours, with or without dualstack. and letter case', () => {
      const result = classify(
        { host, sets: [alias(`dualstack.${LB.toUpperCase()}`)], markerSets: [] },
        'cafe',
        LB,
      );
      assert.equal(result.ours.length, 1);
      assert.equal(result.foreign.length, 0);
    });

    it('an alias elsewhere is ours only with our marker (the load balancer was replaced)', () => {
      const elsewhere = alias('old-alb-1.us-east-1.elb.amazonaws.com');
      assert.equal(
        classify({ host, sets: [elsewhere], markerSets: [marker('cafe')] }, 'cafe', LB).ours.length,
        1,
      );
      assert.equal(
        classify({ host, sets: [elsewhere], markerSets: [marker('other-site')] }, 'cafe', LB).foreign.length,
        1,
      );
      assert.equal(classify({ host, sets: [elsewhere], markerSets: [] }, 'cafe', LB).foreign.length, 1);
    });

    it('an address record or a CNAME is never ours, marker or not; other types at the name do not matter', () => {
      const a = { Name: `${host}.`, Type: 'A' as const, TTL: 60, ResourceRecords: [{ Value: '192.0.2.10' }] };
      const cname = {
        Name: `${host}.`,
        Type: 'CNAME' as const,
        TTL: 60,
        ResourceRecords: [{ Value: 'shop.example.net' }],
      };
      const mx = {
        Name: `${host}.`,
        Type: 'MX' as const,
        TTL: 60,
        ResourceRecords: [{ Value: '10 mail.example.net' }],
      };
      const result = classify({ host, sets: [a, cname, mx], markerSets: [marker('cafe')] }, 'cafe', LB);
      assert.deepEqual(
        result.foreign.map((s) => s.Type),
        ['A', 'CNAME'],
      );
      assert.equal(result.ours.length, 0);
    });
  });

  it('the redirect rules take five hosts each (ELB’s condition-value quota): two at most for ten names', () => {
    const names = Array.from({ length: 10 }, (_, i) => `h${i}.example-cafe.com`);
    assert.deepEqual(
      hostGroups(names).map((g) => g.length),
      [5, 5],
    );
    assert.deepEqual(hostGroups(names.slice(0, 2)), [names.slice(0, 2)]);
  });

  it('a certificate’s validation records are deduplicated; wildcards cover one level', () => {
    const record = {
      Name: '_abc.example-cafe.com.',
      Type: 'CNAME' as const,
      Value: '_def.acm-validations.aws.',
    };
    const records = validationRecordsOf({
      DomainValidationOptions: [
        { DomainName: 'example-cafe.com', ResourceRecord: record },
        { DomainName: '*.example-cafe.com', ResourceRecord: record },
        { DomainName: 'www.example-cafe.com' },
      ],
    });
    assert.deepEqual(records, [
      { name: '_abc.example-cafe.com', type: 'CNAME', value: '_def.acm-validations.aws.' },
    ]);
    assert.ok(covers(['*.example-cafe.com'], 'www.example-cafe.com'));
    assert.ok(!covers(['*.example-cafe.com'], 'a.www.example-cafe.com'));
    assert.ok(!covers(['*.example-cafe.com'], 'example-cafe.com'));
  });

  it('the idempotency token is \\w{1,32}, stable for the same request and different for another', () => {
    const token = idempotencyToken('cafe', 'us-east-1', ['www.example-cafe.com']);
    assert.match(token, /^\w{1,32}$/);
    assert.equal(token, idempotencyToken('cafe', 'us-east-1', ['www.example-cafe.com']));
    assert.notEqual(
      token,
      idempotencyToken('cafe', 'us-east-1', ['www.example-cafe.com', 'example-cafe.com']),
    );
  });

  it('http:// passes when it is a 301 to https:// on the same host (ELB spells out :443)', () => {
    const host = 'www.example-cafe.com';
    assert.ok(redirectsToHttps({ status: 301, location: `https://${host}:443/` }, host));
    assert.ok(redirectsToHttps({ status: 301, location: `https://${host}/` }, host));
    assert.ok(!redirectsToHttps({ status: 302, location: `https://${host}/` }, host));
    assert.ok(!redirectsToHttps({ status: 301, location: `http://${host}/` }, host));
    assert.ok(!redirectsToHttps({ status: 301, location: 'https://evil.example/' }, host));
  });
});

describe('the HTTPS check’s request', () => {
  it('asks the address it is given for the site’s name (Host), as a browser on that name would', async () => {
    const { createServer } = await import('node:http');
    const { get } = await import('../src/site-https.js');
    const server = createServer((request, response) => {
      response.writeHead(301, { location: `https://${request.headers.host}:443/` }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const answer = await get('http', 'www.example-cafe.com', { hostname: '127.0.0.1', port });
      assert.equal(answer.status, 301);
      assert.equal(answer.location, 'https://www.example-cafe.com:443/');
      assert.ok(redirectsToHttps(answer, 'www.example-cafe.com'));
    } finally {
      server.close();
    }
  });
});
