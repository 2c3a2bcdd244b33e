/*
 * AWS Price List products → the price snapshot site estimates with. The input is what AWS publishes: the items
 * of a Price List Query API GetProducts answer (one JSON document per product, with its on-demand terms) or a
 * bulk offer file ({ products, terms }). Only the few prices a site uses are kept, each with the Price List's
 * own sku, regionCode, usagetype, unit and USD price per unit: nothing is typed in by hand.
 */

/** The prices a site uses, by what they price. Resources name them in their cost lines (Resource.cost). */
export type PriceKind = 'ec2-instance' | 'ebs-volume' | 'alb-hour' | 'alb-lcu' | 'public-ipv4' | 's3-storage';

export const PRICE_KINDS: readonly PriceKind[] = [
  'ec2-instance',
  'ebs-volume',
  'alb-hour',
  'alb-lcu',
  'public-ipv4',
  's3-storage',
];

/** One price of the snapshot: a Price List product's on-demand price dimension. */
export interface SnapshotPrice {
  kind: PriceKind;
  regionCode: string;
  sku: string;
  serviceCode: string;
  usagetype: string;
  /** The Price List's unit: 'Hrs', 'GB-Mo', 'LCU-Hrs', 'IPAddress-Hrs'… */
  unit: string;
  /** USD per unit, as the Price List writes it ('0.0104000000'). */
  pricePerUnit: string;
  /** What distinguishes prices of one kind: instanceType (ec2-instance), volumeType (ebs-volume). */
  attributes: Record<string, string>;
  description?: string;
  effectiveDate?: string;
  /** Tiered prices (S3 storage): the first tier is kept, from this many units. */
  beginRange?: string;
  endRange?: string;
}

/** A site's price snapshot. */
export interface PriceSnapshot {
  format: 'site-price-snapshot/1';
  currency: 'USD';
  /** Where the Price List data came from, in words. */
  source: string;
  /** When the snapshot was made (ISO 8601). */
  createdAt: string;
  /** The latest publicationDate among the Price List products it holds, when they carry one. */
  publicationDate?: string;
  prices: SnapshotPrice[];
}

/** One product as GetProducts returns it (PriceList item) — also what an offer file is turned into. */
export interface PriceListProduct {
  product?: { sku?: string; productFamily?: string; attributes?: Record<string, string> };
  serviceCode?: string;
  terms?: { OnDemand?: Record<string, PriceListTerm> };
  publicationDate?: string;
}

interface PriceListTerm {
  effectiveDate?: string;
  priceDimensions?: Record<
    string,
    {
      unit?: string;
      pricePerUnit?: Record<string, string>;
      description?: string;
      beginRange?: string;
      endRange?: string;
    }
  >;
}

/** A bulk offer file: products by sku, terms by type then sku then offer term code. */
interface OfferFile {
  offerCode?: string;
  publicationDate?: string;
  products: Record<string, { sku?: string; productFamily?: string; attributes?: Record<string, string> }>;
  terms?: { OnDemand?: Record<string, Record<string, PriceListTerm>> };
}

/**
 * The products of any published Price List shape: a GetProducts answer ({ PriceList: [string | object] }), a
 * list of its items, one item, or a bulk offer file. Items may be JSON strings (as the API sends them).
 */
export function priceListProducts(document: unknown): PriceListProduct[] {
  // The SDK hands PriceList items over as String objects (its LazyJsonString), the wire as plain strings.
  if (typeof document === 'string' || document instanceof String)
    return priceListProducts(JSON.parse(String(document)));
  if (Array.isArray(document)) return document.flatMap((item) => priceListProducts(item));
  if (!document || typeof document !== 'object') return [];
  const value = document as Record<string, unknown>;
  if (Array.isArray(value.PriceList)) return priceListProducts(value.PriceList);
  if (value.products && typeof value.products === 'object')
    return offerFileProducts(value as unknown as OfferFile);
  if (value.product && typeof value.product === 'object') return [value as PriceListProduct];
  return [];
}

function offerFileProducts(offer: OfferFile): PriceListProduct[] {
  return Object.entries(offer.products).map(([sku, product]) => ({
    product: { ...product, sku: product.sku ?? sku },
    serviceCode: offer.offerCode ?? product.attributes?.servicecode,
    terms: { OnDemand: offer.terms?.OnDemand?.[sku] ?? {} },
    publicationDate: offer.publicationDate,
  }));
}

/**
 * usagetype of the region's own rate: 'LoadBalancerUsage' in us-east-1, 'EUW2-LoadBalancerUsage' elsewhere ('EU-'
 * is eu-west-1's). Not 'Outposts-LCUUsage' or 'CAN1-TS-LoadBalancerUsage': other products of the same family.
 */
function isPlainUsage(usagetype: string, name: string): boolean {
  return new RegExp(`^(?:[A-Z]{2,4}\\d-|EU-)?${name.replace(/[.:]/g, '\\$&')}$`).test(usagetype);
}

/** Which of a site's prices this product is, with the attributes that tell prices of its kind apart. */
export function classifyProduct(
  serviceCode: string,
  family: string | undefined,
  a: Record<string, string>,
): { kind: PriceKind; attributes: Record<string, string> } | undefined {
  const usagetype = a.usagetype ?? '';
  if (serviceCode === 'AmazonEC2' && family === 'Compute Instance') {
    // The price of `site`'s instances: Linux, shared tenancy, no pre-installed software, on demand.
    const linux =
      a.operatingSystem === 'Linux' &&
      a.tenancy === 'Shared' &&
      (a.preInstalledSw ?? 'NA') === 'NA' &&
      (a.capacitystatus ?? 'Used') === 'Used' &&
      /(?:^|-)BoxUsage:/.test(usagetype);
    return linux && a.instanceType
      ? { kind: 'ec2-instance', attributes: { instanceType: a.instanceType } }
      : undefined;
  }
  if (
    serviceCode === 'AmazonEC2' &&
    family === 'Storage' &&
    a.volumeApiName &&
    /EBS:VolumeUsage/.test(usagetype)
  )
    return { kind: 'ebs-volume', attributes: { volumeType: a.volumeApiName } };
  if (serviceCode === 'AWSELB' && family === 'Load Balancer-Application') {
    if (isPlainUsage(usagetype, 'LoadBalancerUsage')) return { kind: 'alb-hour', attributes: {} };
    if (isPlainUsage(usagetype, 'LCUUsage')) return { kind: 'alb-lcu', attributes: {} };
    return undefined;
  }
  if (serviceCode === 'AmazonVPC' && isPlainUsage(usagetype, 'PublicIPv4:InUseAddress'))
    return { kind: 'public-ipv4', attributes: {} };
  if (
    serviceCode === 'AmazonS3' &&
    family === 'Storage' &&
    a.storageClass === 'General Purpose' &&
    a.volumeType === 'Standard' &&
    isPlainUsage(usagetype, 'TimedStorage-ByteHrs')
  )
    return { kind: 's3-storage', attributes: { storageClass: 'STANDARD' } };
  return undefined;
}

/** The snapshot prices in these products (products that are not a price site uses are left out). */
export function snapshotPrices(products: readonly PriceListProduct[]): SnapshotPrice[] {
  const prices: SnapshotPrice[] = [];
  for (const item of products) {
    const attributes = item.product?.attributes ?? {};
    const serviceCode = item.serviceCode ?? attributes.servicecode ?? '';
    const sku = item.product?.sku;
    const regionCode = attributes.regionCode;
    if (!sku || !regionCode) continue;
    const kind = classifyProduct(serviceCode, item.product?.productFamily, attributes);
    if (!kind) continue;
    for (const term of Object.values(item.terms?.OnDemand ?? {})) {
      const dimensions = Object.values(term.priceDimensions ?? {});
      // Tiered prices: the first tier (from 0), which is what a small site pays.
      const dimension =
        dimensions.find((d) => d.beginRange === undefined || Number(d.beginRange) === 0) ?? dimensions[0];
      const usd = dimension?.pricePerUnit?.USD;
      if (!dimension || usd === undefined || !Number.isFinite(Number(usd)) || !dimension.unit) continue;
      prices.push({
        kind: kind.kind,
        regionCode,
        sku,
        serviceCode,
        usagetype: attributes.usagetype ?? '',
        unit: dimension.unit,
        pricePerUnit: usd,
        attributes: kind.attributes,
        ...(dimension.description ? { description: dimension.description } : {}),
        ...(term.effectiveDate ? { effectiveDate: term.effectiveDate } : {}),
        ...(dimensions.length > 1 ? { beginRange: dimension.beginRange, endRange: dimension.endRange } : {}),
      });
    }
  }
  return prices;
}

function priceKey(price: SnapshotPrice): string {
  const attributes = Object.entries(price.attributes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${price.regionCode}|${price.kind}|${attributes}|${price.sku}`;
}

/**
 * A snapshot from Price List products. `replaceRegions`: merge into `base`, whose prices for those regions
 * give way to the new ones (a refresh of one region keeps the others).
 */
export function buildSnapshot(
  products: readonly PriceListProduct[],
  options: { source: string; createdAt: string; base?: PriceSnapshot; replaceRegions?: readonly string[] },
): PriceSnapshot {
  const fresh = snapshotPrices(products);
  const replaced = new Set(options.replaceRegions ?? fresh.map((p) => p.regionCode));
  const kept = (options.base?.prices ?? []).filter((p) => !replaced.has(p.regionCode));
  const byKey = new Map<string, SnapshotPrice>();
  for (const price of [...kept, ...fresh]) byKey.set(priceKey(price), price);
  const dates = products.map((p) => p.publicationDate).filter((d): d is string => typeof d === 'string');
  const publicationDate = [...dates, ...(options.base?.publicationDate ? [options.base.publicationDate] : [])]
    .sort()
    .at(-1);
  return {
    format: 'site-price-snapshot/1',
    currency: 'USD',
    source: options.source,
    createdAt: options.createdAt,
    ...(publicationDate ? { publicationDate } : {}),
    prices: [...byKey.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, price]) => price),
  };
}
