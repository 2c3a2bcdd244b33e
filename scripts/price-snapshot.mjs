#!/usr/bin/env node
/*
 * Make the price snapshot that ships with site (packages/core/data/prices.json) from AWS Price List data:
 *
 *   node scripts/price-snapshot.mjs [--out FILE] [--source TEXT] PRICE_LIST.json…
 *
 * Each input is what AWS publishes: a Price List Query API GetProducts answer (`aws pricing get-products
 * --service-code AmazonEC2 --filters … > ec2.json`, one file per page or service), a JSON list of its PriceList
 * items, or a bulk offer file (…/offers/v1.0/aws/AWSELB/current/us-east-1/index.json). Only the prices a site
 * uses are kept (Linux on-demand instances, EBS volumes, the ALB's hours and LCUs, in-use public IPv4, S3
 * Standard), each with its sku, regionCode, usagetype, unit and USD price. Nothing is typed in by hand: every
 * number in the output comes from an input. Build packages/core first (npm run build -w packages/core).
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { buildSnapshot, priceListProducts, SHIPPED_SNAPSHOT } = await import(
  path.join(root, 'packages/core/lib/cost/index.js')
);

const args = process.argv.slice(2);
let out = SHIPPED_SNAPSHOT;
let source;
const inputs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') out = path.resolve(args[++i]);
  else if (args[i] === '--source') source = args[++i];
  else if (args[i] === '--help' || args[i] === '-h') {
    console.log('usage: node scripts/price-snapshot.mjs [--out FILE] [--source TEXT] PRICE_LIST.json…');
    process.exit(0);
  } else inputs.push(args[i]);
}
if (inputs.length === 0) {
  console.error(
    'price-snapshot: name one or more AWS Price List JSON files (GetProducts answers or offer files).',
  );
  process.exit(2);
}

const products = [];
for (const file of inputs) {
  const found = priceListProducts(await readFile(file, 'utf8'));
  if (found.length === 0) console.error(`price-snapshot: ${file} holds no Price List products; left out.`);
  products.push(...found);
}
const snapshot = buildSnapshot(products, {
  source: source ?? `AWS Price List: ${inputs.map((file) => path.basename(file)).join(', ')}`,
  createdAt: new Date().toISOString(),
});
if (snapshot.prices.length === 0) {
  console.error('price-snapshot: none of these products is a price site uses; nothing written.');
  process.exit(1);
}
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(snapshot, null, 1)}\n`);
const regions = new Set(snapshot.prices.map((price) => price.regionCode));
console.log(
  `price-snapshot: ${snapshot.prices.length} prices in ${regions.size} region(s) from ${products.length} Price List products → ${out}` +
    (snapshot.publicationDate ? ` (published ${snapshot.publicationDate})` : ''),
);
