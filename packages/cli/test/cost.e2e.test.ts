import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSnapshot, priceListProducts, type PriceSnapshot } from '@site-cli/core';
import { testPriceList } from '@site-cli/core/testing';
import { runSite, tempProject } from './run-site.js';

interface Line {
  resourceId: string;
  item: string;
  quantity: number;
  unit: string;
  rate: number | null;
  monthly: number | null;
  sku?: string;
  assumption?: string;
}

const cents = (value: number) => Math.round(value * 10_000) / 10_000;
const sum = (lines: Line[]) => cents(lines.reduce((total, line) => total + (line.monthly ?? 0), 0));

/**
 * Issue 15 item 3 on --sandbox: the plan's estimate, and `site cost --json` itemising a deployed site with a total
 * equal to the sum of its lines. The prices are a TEST-ONLY Price List (made-up skus and prices) turned into the
 * user's snapshot by the same code as `--refresh`.
 */
describe('site cost and the plan estimate on --sandbox', function () {
  this.timeout(120_000);
  const project = tempProject();
  const site = (...args: string[]) => runSite([...args, '--sandbox'], { cwd: project.dir, env: project.env });
  const snapshotFile = path.join(project.env.SITE_DATA_DIR!, 'prices.json');

  before(() => {
    writeFileSync(
      path.join(project.dir, 'site.config.yaml'),
      'name: priced\ninstance: { type: t3.micro, count: 2, volumeSize: 10 }\nssh: { cidr: none }\n',
    );
  });
  after(async () => {
    await site('destroy', '--yes');
  });

  it('without a price snapshot: cost says none is installed and how to get one; plan still plans', async () => {
    const cost = await site('cost', '--json');
    assert.equal(cost.code, 1, cost.stderr);
    const envelope = JSON.parse(cost.stdout);
    assert.equal(envelope.error.code, 'PRICE_SNAPSHOT_MISSING');
    assert.ok(envelope.error.suggestions.some((s: string) => s.includes('site cost --refresh')));

    const plan = await site('plan');
    assert.equal(plan.code, 3, plan.stderr);
    assert.match(
      plan.stdout,
      /Monthly estimate: none, no AWS price snapshot is installed\. Run `site cost --refresh`/,
    );
  });

  it('--refresh in the sandbox is refused before anything runs (exit 2): it has no Price List API', async () => {
    const refresh = await site('cost', '--refresh', '--json');
    assert.equal(refresh.code, 2, refresh.stderr);
    assert.equal(JSON.parse(refresh.stdout).error.code, 'PRICING_NOT_IN_SANDBOX');
  });

  it('plan ends with the monthly estimate after the change and the difference', async () => {
    mkdirSync(path.dirname(snapshotFile), { recursive: true });
    const snapshot = buildSnapshot(priceListProducts(testPriceList('us-east-1')), {
      source: 'TEST-ONLY Price List',
      createdAt: new Date().toISOString(),
    });
    writeFileSync(snapshotFile, JSON.stringify(snapshot));

    const human = await site('plan');
    assert.equal(human.code, 3, human.stderr);
    assert.match(
      human.stdout,
      /Monthly estimate after this change: \$\d+\.\d\d \(now \$0\.00; \+\$\d+\.\d\d a month\)\./,
    );
    assert.match(human.stdout, /AWS Price List prices of 2026-01-15/);
    assert.match(human.stdout, /Assumed: Load balancer capacity units \(LCU\): 1 LCU on average/);

    const json = await site('plan', '--json');
    const { estimate } = JSON.parse(json.stdout).result;
    assert.equal(estimate.available, true);
    assert.equal(estimate.now.total, 0);
    assert.equal(estimate.after.total, sum(estimate.after.lines));
    assert.equal(estimate.difference, estimate.after.total);
    const instances = estimate.after.lines.find((l: Line) => l.item.includes('t3.micro'));
    assert.equal(instances.quantity, 2 * 730, 'two instances, 730 hours each');
  });

  it('cost --json itemises the deployed site; total = sum of lines; a line recomputes from the snapshot', async () => {
    const deploy = await site('deploy', '--yes', '--json');
    assert.equal(deploy.code, 0, deploy.stderr);
    assert.equal(JSON.parse(deploy.stdout).result.estimate.available, true);

    const cost = await site('cost', '--json');
    assert.equal(cost.code, 0, cost.stderr);
    const { status, result, warnings } = JSON.parse(cost.stdout);
    assert.equal(status, 0);
    assert.deepEqual(warnings, []);
    assert.equal(result.site, 'priced');
    assert.equal(result.pricesAsOf, '2026-01-15');
    const lines = result.lines as Line[];
    const find = (pattern: RegExp) => {
      const line = lines.find((l) => pattern.test(l.item));
      assert.ok(line, `a line for ${pattern}: ${lines.map((l) => l.item).join(' | ')}`);
      return line;
    };
    const instances = find(/2 instances, t3\.micro/);
    const volumes = find(/root volume/);
    const instanceIps = find(/public IPv4 address.* of the instances/);
    const albHours = find(/^Application Load Balancer$/);
    const lcu = find(/LCU/);
    const albIps = find(/public IPv4 address.* of the load balancer/);
    assert.match(lcu.assumption ?? '', /assume|on average/);
    assert.equal(volumes.quantity, 2 * 10);
    assert.equal(volumes.unit, 'GB-Mo');
    assert.equal(instanceIps.quantity, 2 * 730);
    assert.equal(albHours.quantity, 730);
    assert.ok(albIps.quantity >= 2 * 730 && albIps.quantity % 730 === 0);

    // Every line is rate × quantity, and the total is their sum.
    for (const line of lines) assert.equal(line.monthly, cents(line.rate! * line.quantity), line.item);
    assert.equal(result.total, sum(lines));

    // One line recomputed from the snapshot file itself: the t3.micro Linux on-demand price × 2 × 730 hours.
    const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8')) as PriceSnapshot;
    const price = snapshot.prices.find(
      (p) =>
        p.kind === 'ec2-instance' && p.regionCode === 'us-east-1' && p.attributes.instanceType === 't3.micro',
    )!;
    assert.equal(instances.sku, price.sku);
    assert.equal(instances.monthly, cents(Number(price.pricePerUnit) * 2 * 730));

    const human = await site('cost');
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /Total a month\s+\$\d+\.\d\d/);
    assert.match(human.stdout, /AWS Price List prices of 2026-01-15/);

    // Deployed as configured: the plan's estimate does not move.
    const plan = await site('plan', '--json');
    const { estimate } = JSON.parse(plan.stdout).result;
    assert.equal(estimate.difference, 0);
    assert.equal(estimate.now.total, result.total);
  });
});
