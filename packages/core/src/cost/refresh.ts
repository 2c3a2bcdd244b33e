import type { AwsClients } from '../aws/clients.js';
import { buildSnapshot, type PriceListProduct, priceListProducts, type PriceSnapshot } from './price-list.js';

/** One GetProducts query: a service and TERM_MATCH filters on Price List attributes. */
export interface PriceQuerySpec {
  serviceCode: string;
  filters: Record<string, string>;
}

/**
 * What `site cost --refresh` asks the Price List Query API for, in one region: the Linux on-demand instance
 * prices (every type: any of them can be configured), EBS volume storage, the ALB's hours and LCUs, in-use public
 * IPv4 addresses, S3 Standard storage. TERM_MATCH is the filter type every Price List client supports.
 */
export function priceQueries(region: string): PriceQuerySpec[] {
  return [
    {
      serviceCode: 'AmazonEC2',
      filters: {
        regionCode: region,
        productFamily: 'Compute Instance',
        operatingSystem: 'Linux',
        tenancy: 'Shared',
        preInstalledSw: 'NA',
        capacitystatus: 'Used',
      },
    },
    { serviceCode: 'AmazonEC2', filters: { regionCode: region, productFamily: 'Storage' } },
    { serviceCode: 'AWSELB', filters: { regionCode: region, productFamily: 'Load Balancer-Application' } },
    { serviceCode: 'AmazonVPC', filters: { regionCode: region } },
    {
      serviceCode: 'AmazonS3',
      filters: { regionCode: region, productFamily: 'Storage', storageClass: 'General Purpose' },
    },
  ];
}

/** Every product a query matches, page by page (the SDK's paginator, 100 a page). */
async function fetchProducts(aws: AwsClients, query: PriceQuerySpec): Promise<PriceListProduct[]> {
  const { paginateGetProducts } = await import('@aws-sdk/client-pricing');
  const client = await aws.pricing();
  const products: PriceListProduct[] = [];
  const pages = paginateGetProducts(
    { client, pageSize: 100 },
    {
      ServiceCode: query.serviceCode,
      FormatVersion: 'aws_v1',
      Filters: Object.entries(query.filters).map(([Field, Value]) => ({ Type: 'TERM_MATCH', Field, Value })),
    },
  );
  // PriceList items are JSON documents sent as strings; read them either way.
  for await (const page of pages) products.push(...priceListProducts((page.PriceList ?? []) as unknown[]));
  return products;
}

/** The prices of `regions` from the Price List Query API, merged into `base` (other regions kept). */
export async function refreshSnapshot(
  aws: AwsClients,
  regions: readonly string[],
  options: { base?: PriceSnapshot; now?: () => Date } = {},
): Promise<{ snapshot: PriceSnapshot; products: number }> {
  const products: PriceListProduct[] = [];
  for (const region of regions)
    for (const query of priceQueries(region)) products.push(...(await fetchProducts(aws, query)));
  const snapshot = buildSnapshot(products, {
    source: `AWS Price List Query API (GetProducts, us-east-1 endpoint): ${regions.join(', ')}`,
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    base: options.base,
    replaceRegions: regions,
  });
  return { snapshot, products: products.length };
}
