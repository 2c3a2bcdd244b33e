import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  buildSnapshot,
  createAwsClients,
  ExitCode,
  findPrice,
  HOURS_PER_MONTH,
  loadSnapshot,
  priceListProducts,
  priceUsage,
  refreshSnapshot,
  saveSnapshot,
  SiteError,
  translateError,
  type PriceSnapshot,
} from '../src/index.js';
import { testPriceList } from '../src/testing/index.js';

const snapshotOf = (region = 'us-east-1'): PriceSnapshot =>
  buildSnapshot(priceListProducts(testPriceList(region)), {
    source: 'test-only',
    createdAt: '2026-02-01T00:00:00Z',
  });

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'site-cost-'));
const noShipped = path.join(tmpdir(), 'site-no-shipped-snapshot.json');

describe('price snapshot from the Price List', () => {
  it("keeps the prices a site uses, with the Price List's sku, region, usagetype, unit and USD price", () => {
    const snapshot = snapshotOf();
    const kinds = snapshot.prices.map((p) => `${p.kind} ${JSON.stringify(p.attributes)}`).sort();
    assert.deepEqual(kinds, [
      'alb-hour {}',
      'alb-lcu {}',
      'ebs-volume {"volumeType":"gp3"}',
      'ec2-instance {"instanceType":"t2.micro"}',
      'ec2-instance {"instanceType":"t3.micro"}',
      'public-ipv4 {}',
      's3-storage {"storageClass":"STANDARD"}',
    ]);
    const t3 = findPrice(snapshot, 'us-east-1', { kind: 'ec2-instance', instanceType: 't3.micro' })!;
    // The Linux shared-tenancy price, not the Windows or dedicated look-alikes of the same type.
    assert.equal(t3.pricePerUnit, '0.0300000000');
    assert.equal(t3.unit, 'Hrs');
    assert.equal(t3.usagetype, 'BoxUsage:t3.micro');
    assert.match(t3.sku, /^TESTONLY/);
    // Not the Outposts LCU nor the idle address; S3's first tier.
    assert.equal(findPrice(snapshot, 'us-east-1', { kind: 'alb-lcu' })!.pricePerUnit, '0.0070000000');
    assert.equal(
      findPrice(snapshot, 'us-east-1', { kind: 'public-ipv4' })!.usagetype,
      'PublicIPv4:InUseAddress',
    );
    assert.equal(findPrice(snapshot, 'us-east-1', { kind: 's3-storage' })!.beginRange, '0');
    assert.equal(snapshot.publicationDate, '2026-01-15T00:00:00Z');
    assert.equal(findPrice(snapshot, 'eu-west-1', { kind: 'alb-hour' }), undefined);
  });

  it('reads a bulk offer file the same as GetProducts items', () => {
    const items = priceListProducts(testPriceList('eu-west-1'));
    const offer = {
      formatVersion: 'v1.0',
      offerCode: 'AWSELB',
      publicationDate: '2026-01-20T00:00:00Z',
      products: Object.fromEntries(
        items.filter((i) => i.serviceCode === 'AWSELB').map((i) => [i.product!.sku!, i.product]),
      ),
      terms: {
        OnDemand: Object.fromEntries(
          items.filter((i) => i.serviceCode === 'AWSELB').map((i) => [i.product!.sku!, i.terms!.OnDemand]),
        ),
      },
    };
    const snapshot = buildSnapshot(priceListProducts(JSON.stringify(offer)), {
      source: 'offer',
      createdAt: 'x',
    });
    assert.deepEqual(snapshot.prices.map((p) => `${p.regionCode} ${p.kind} ${p.usagetype}`).sort(), [
      'eu-west-1 alb-hour EU-LoadBalancerUsage',
      'eu-west-1 alb-lcu EU-LCUUsage',
    ]);
    assert.equal(snapshot.publicationDate, '2026-01-20T00:00:00Z');
  });

  it("a refresh of one region replaces that region's prices and keeps the others", () => {
    const base = snapshotOf('us-west-2');
    const merged = buildSnapshot(priceListProducts(testPriceList('eu-west-1')), {
      source: 'refresh',
      createdAt: 'y',
      base,
      replaceRegions: ['eu-west-1'],
    });
    assert.deepEqual([...new Set(merged.prices.map((p) => p.regionCode))].sort(), ['eu-west-1', 'us-west-2']);
    assert.equal(merged.prices.length, 2 * base.prices.length);
  });
});

describe('cost lines', () => {
  it('recomputes a line from the snapshot: rate × quantity, quantity = instances × 730 hours', () => {
    const snapshot = snapshotOf();
    const loaded = { snapshot, file: 'prices.json', origin: 'refreshed' as const };
    const estimate = priceUsage(loaded, 'us-east-1', [
      {
        resourceId: 'compute.instances',
        item: '2 instances, t3.micro',
        price: { kind: 'ec2-instance', instanceType: 't3.micro' },
        units: 2,
        per: 'hour',
      },
      {
        resourceId: 'compute.instances',
        item: 'volumes',
        price: { kind: 'ebs-volume', volumeType: 'gp3' },
        units: 16,
        per: 'month',
      },
      {
        resourceId: 'compute.instances',
        item: 'a type the snapshot lacks',
        price: { kind: 'ec2-instance', instanceType: 'm7i.large' },
        units: 1,
        per: 'hour',
      },
    ]);
    const [instances, volumes, missing] = estimate.lines;
    const rate = Number(
      findPrice(snapshot, 'us-east-1', { kind: 'ec2-instance', instanceType: 't3.micro' })!.pricePerUnit,
    );
    assert.equal(instances.rate, rate);
    assert.equal(instances.quantity, 2 * HOURS_PER_MONTH);
    assert.equal(instances.monthly, Math.round(rate * 2 * HOURS_PER_MONTH * 10_000) / 10_000);
    assert.equal(volumes.quantity, 16);
    assert.equal(volumes.unit, 'GB-Mo');
    assert.equal(missing.rate, null);
    assert.deepEqual(estimate.unpriced, ['ec2-instance m7i.large in us-east-1']);
    assert.equal(estimate.total, Math.round((instances.monthly! + volumes.monthly!) * 10_000) / 10_000);
    assert.equal(estimate.pricesAsOf, '2026-01-15');
  });
});

describe('snapshot files', () => {
  it("the user's refreshed snapshot wins over the shipped one; none at all is undefined", async () => {
    const dataDir = tempDir();
    assert.equal(await loadSnapshot(dataDir, noShipped), undefined);
    const shipped = path.join(tempDir(), 'prices.json');
    writeFileSync(shipped, JSON.stringify(snapshotOf('us-west-2')));
    assert.equal((await loadSnapshot(dataDir, shipped))!.origin, 'shipped');
    await saveSnapshot(dataDir, snapshotOf('eu-west-1'));
    const loaded = (await loadSnapshot(dataDir, shipped))!;
    assert.equal(loaded.origin, 'refreshed');
    assert.equal(loaded.snapshot.prices[0].regionCode, 'eu-west-1');
  });

  it('a file that is not a snapshot: PRICE_SNAPSHOT_INVALID naming it, exit 2', async () => {
    const dataDir = tempDir();
    writeFileSync(path.join(dataDir, 'prices.json'), '{"hello": 1}');
    await assert.rejects(loadSnapshot(dataDir, noShipped), (error: SiteError) => {
      assert.equal(error.code, 'PRICE_SNAPSHOT_INVALID');
      assert.equal(error.exitCode, ExitCode.usage);
      assert.match(error.message, /prices\.json/);
      return true;
    });
  });
});

describe('refresh from the Price List Query API', () => {
  let server: Server;
  let endpoint: string;
  const requests: { target?: string; body: Record<string, unknown> }[] = [];

  before(async () => {
    // Answers GetProducts as the API does (JSON 1.1, PriceList items as JSON strings), two items a page.
    const items = testPriceList('eu-west-1').PriceList;
    server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        const body = JSON.parse(text) as {
          ServiceCode: string;
          NextToken?: string;
          Filters?: { Field: string; Value: string }[];
        };
        requests.push({ target: request.headers['x-amz-target'] as string, body });
        const matching = items.filter((item) => {
          const { serviceCode, product } = JSON.parse(item);
          const attributes = { ...product.attributes, productFamily: product.productFamily };
          return (
            serviceCode === body.ServiceCode &&
            (body.Filters ?? []).every((filter) => attributes[filter.Field] === filter.Value)
          );
        });
        const start = Number(body.NextToken ?? 0);
        const page = matching.slice(start, start + 2);
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(
          JSON.stringify({
            FormatVersion: 'aws_v1',
            PriceList: page,
            ...(start + 2 < matching.length ? { NextToken: String(start + 2) } : {}),
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('asks GetProducts with TERM_MATCH filters on the region, page by page, and keeps the prices a site uses', async () => {
    const aws = createAwsClients({
      region: 'eu-west-1',
      endpoint,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    });
    const base = snapshotOf('us-west-2');
    const { snapshot, products } = await refreshSnapshot(aws, ['eu-west-1'], { base });
    // The filters leave Windows, dedicated tenancy and Glacier at AWS's side: 12 products, 9 sent.
    assert.equal(products, testPriceList('eu-west-1').PriceList.length - 3);
    assert.equal(snapshot.prices.filter((p) => p.regionCode === 'eu-west-1').length, 7);
    assert.ok(requests.every((r) => r.target === 'AWSPriceListService.GetProducts'));
    assert.ok(
      requests.some((r) => r.body.NextToken),
      'followed NextToken',
    );
    const ec2 = requests.find((r) => r.body.ServiceCode === 'AmazonEC2')!.body.Filters as {
      Type: string;
      Field: string;
      Value: string;
    }[];
    assert.ok(ec2.every((f) => f.Type === 'TERM_MATCH'));
    assert.ok(ec2.some((f) => f.Field === 'regionCode' && f.Value === 'eu-west-1'));
    assert.equal(findPrice(snapshot, 'eu-west-1', { kind: 'alb-hour' })!.usagetype, 'EU-LoadBalancerUsage');
    assert.ok(findPrice(snapshot, 'us-west-2', { kind: 'alb-hour' }), 'other regions kept');
    assert.match(snapshot.source, /Price List Query API/);
  });

  it('without credentials: AWS_NO_CREDENTIALS naming pricing:GetProducts', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
      delete process.env[name];
    try {
      const aws = createAwsClients({ region: 'us-east-1', endpoint, maxAttempts: 1 });
      const error = await refreshSnapshot(aws, ['us-east-1']).then(
        () => assert.fail('refresh without credentials succeeded'),
        (e: unknown) => translateError(e) as SiteError,
      );
      assert.equal(error.code, 'AWS_NO_CREDENTIALS');
      assert.match(error.message, /pricing:GetProducts/);
    } finally {
      process.env = saved;
    }
  });
});
