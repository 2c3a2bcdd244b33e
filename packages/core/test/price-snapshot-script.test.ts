import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PriceSnapshot } from '../src/index.js';
import { testPriceList } from '../src/testing/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const script = path.join(root, 'scripts/price-snapshot.mjs');

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [script, ...args], { cwd: root }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** scripts/price-snapshot.mjs: the only way prices enter the shipped snapshot. Fed TEST-ONLY Price List files. */
describe('scripts/price-snapshot.mjs', function () {
  this.timeout(30_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'site-price-snapshot-'));

  it('turns GetProducts answers of several regions into one snapshot, keeping only what a site uses', async () => {
    const east = path.join(dir, 'us-east-1.json');
    const west = path.join(dir, 'us-west-2.json');
    writeFileSync(east, JSON.stringify(testPriceList('us-east-1')));
    writeFileSync(west, JSON.stringify(testPriceList('us-west-2')));
    const out = path.join(dir, 'prices.json');
    const result = await run('--out', out, '--source', 'TEST-ONLY', east, west);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /14 prices in 2 region\(s\) from 24 Price List products/);
    const snapshot = JSON.parse(readFileSync(out, 'utf8')) as PriceSnapshot;
    assert.equal(snapshot.format, 'site-price-snapshot/1');
    assert.equal(snapshot.source, 'TEST-ONLY');
    assert.equal(snapshot.publicationDate, '2026-01-15T00:00:00Z');
    const west2 = snapshot.prices.find((p) => p.regionCode === 'us-west-2' && p.kind === 'alb-hour')!;
    assert.equal(west2.usagetype, 'USW2-LoadBalancerUsage');
    assert.match(west2.sku, /^TESTONLY/);
  });

  it('refuses to run without input (exit 2) and writes nothing from files with no price a site uses (exit 1)', async () => {
    const none = await run();
    assert.equal(none.code, 2);
    assert.match(none.stderr, /name one or more AWS Price List JSON files/);

    const unrelated = path.join(dir, 'unrelated.json');
    writeFileSync(unrelated, JSON.stringify({ hello: 'world' }));
    const out = path.join(dir, 'nothing.json');
    const result = await run('--out', out, unrelated);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /holds no Price List products/);
    assert.equal(existsSync(out), false);
  });
});
