/*
 * TEST-ONLY Price List products, in the shape GetProducts returns (JSON strings with product, terms.OnDemand):
 * for tests of the price snapshot and of `site cost`. Every sku starts with TESTONLY and every price is made up:
 * these are not AWS's prices and must never be shipped.
 */

export interface TestPrice {
  serviceCode: string;
  productFamily?: string;
  attributes: Record<string, string>;
  unit: string;
  /** USD per unit (made up). */
  usd: string;
  /** Further tiers after the first, as [beginRange, usd]. */
  tiers?: [string, string][];
}

let serial = 0;

/** One GetProducts PriceList item (a JSON string, as the API sends it). */
export function testPriceListItem(price: TestPrice, publicationDate = '2026-01-15T00:00:00Z'): string {
  const sku = `TESTONLY${String(++serial).padStart(8, '0')}`;
  const dimensions: Record<string, unknown> = {};
  const tiers: [string, string][] = [['0', price.usd], ...(price.tiers ?? [])];
  tiers.forEach(([begin, usd], i) => {
    const end = tiers[i + 1]?.[0] ?? 'Inf';
    dimensions[`${sku}.JRTCKXETXF.TIER${i}`] = {
      unit: price.unit,
      beginRange: begin,
      endRange: end,
      description: `test-only price ${usd} per ${price.unit}`,
      pricePerUnit: { USD: usd },
      appliesTo: [],
    };
  });
  return JSON.stringify({
    product: {
      ...(price.productFamily ? { productFamily: price.productFamily } : {}),
      attributes: { servicecode: price.serviceCode, ...price.attributes },
      sku,
    },
    serviceCode: price.serviceCode,
    terms: {
      OnDemand: {
        [`${sku}.JRTCKXETXF`]: {
          priceDimensions: dimensions,
          sku,
          effectiveDate: publicationDate,
          offerTermCode: 'JRTCKXETXF',
          termAttributes: {},
        },
      },
    },
    version: publicationDate.replace(/\D/g, '').slice(0, 14),
    publicationDate,
  });
}

/** Usage type prefix of a region in the Price List ('' for us-east-1), for the few regions tests use. */
function prefix(region: string): string {
  return (
    ({ 'us-east-1': '', 'us-west-2': 'USW2-', 'eu-west-1': 'EU-' } as Record<string, string>)[region] ??
    'TST1-'
  );
}

/**
 * A made-up GetProducts answer for one region holding every kind of price a site uses, and look-alikes that must
 * not be picked (Windows, a dedicated host, an Outposts LCU, an idle address, S3 Glacier).
 */
export function testPriceList(region = 'us-east-1'): { PriceList: string[] } {
  const p = prefix(region);
  const ec2 = (instanceType: string, usd: string, extra: Record<string, string> = {}) =>
    testPriceListItem({
      serviceCode: 'AmazonEC2',
      productFamily: 'Compute Instance',
      attributes: {
        regionCode: region,
        instanceType,
        operatingSystem: 'Linux',
        tenancy: 'Shared',
        preInstalledSw: 'NA',
        capacitystatus: 'Used',
        licenseModel: 'No License required',
        usagetype: `${p}BoxUsage:${instanceType}`,
        ...extra,
      },
      unit: 'Hrs',
      usd,
    });
  return {
    PriceList: [
      ec2('t2.micro', '0.0200000000'),
      ec2('t3.micro', '0.0300000000'),
      ec2('t3.micro', '0.9000000000', { operatingSystem: 'Windows' }),
      ec2('t3.micro', '0.8000000000', { tenancy: 'Dedicated', usagetype: `${p}DedicatedUsage:t3.micro` }),
      testPriceListItem({
        serviceCode: 'AmazonEC2',
        productFamily: 'Storage',
        attributes: { regionCode: region, volumeApiName: 'gp3', usagetype: `${p}EBS:VolumeUsage.gp3` },
        unit: 'GB-Mo',
        usd: '0.1000000000',
      }),
      testPriceListItem({
        serviceCode: 'AWSELB',
        productFamily: 'Load Balancer-Application',
        attributes: { regionCode: region, usagetype: `${p}LoadBalancerUsage` },
        unit: 'Hrs',
        usd: '0.0250000000',
      }),
      testPriceListItem({
        serviceCode: 'AWSELB',
        productFamily: 'Load Balancer-Application',
        attributes: { regionCode: region, usagetype: `${p}LCUUsage` },
        unit: 'LCU-Hrs',
        usd: '0.0070000000',
      }),
      testPriceListItem({
        serviceCode: 'AWSELB',
        productFamily: 'Load Balancer-Application',
        attributes: { regionCode: region, usagetype: `${p}Outposts-LCUUsage` },
        unit: 'LCU-Hrs',
        usd: '0.0000000000',
      }),
      testPriceListItem({
        serviceCode: 'AmazonVPC',
        attributes: { regionCode: region, usagetype: `${p}PublicIPv4:InUseAddress` },
        unit: 'Hrs',
        usd: '0.0060000000',
      }),
      testPriceListItem({
        serviceCode: 'AmazonVPC',
        attributes: { regionCode: region, usagetype: `${p}PublicIPv4:IdleAddress` },
        unit: 'Hrs',
        usd: '0.0090000000',
      }),
      testPriceListItem({
        serviceCode: 'AmazonS3',
        productFamily: 'Storage',
        attributes: {
          regionCode: region,
          storageClass: 'General Purpose',
          volumeType: 'Standard',
          usagetype: `${p}TimedStorage-ByteHrs`,
        },
        unit: 'GB-Mo',
        usd: '0.0300000000',
        tiers: [['51200', '0.0290000000']],
      }),
      testPriceListItem({
        serviceCode: 'AmazonS3',
        productFamily: 'Storage',
        attributes: {
          regionCode: region,
          storageClass: 'Archive',
          volumeType: 'Amazon Glacier',
          usagetype: `${p}TimedStorage-GlacierByteHrs`,
        },
        unit: 'GB-Mo',
        usd: '0.0050000000',
      }),
    ],
  };
}
