import type { SimContext } from '../context.js';
import { err } from '../errors.js';
import { applyFilters, paginate } from '../filters.js';
import { type ActionDef, checkMaxResults, dryRunCheck } from './common.js';
import { OFFERINGS } from './offerings-data.js';

const LOCATION_TYPES = ['region', 'availability-zone', 'availability-zone-id'];

/** The zones instances can launch in: those with a default subnet (the sim's VPCs have one per zone). */
function zones(ctx: SimContext): { name: string; id: string }[] {
  const seen = new Map<string, string>();
  for (const s of ctx.state.subnets) if (!seen.has(s.az)) seen.set(s.az, s.azId);
  return [...seen].map(([name, id]) => ({ name, id })).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Whether the zone (by ID) offers the type, from AWS's published offerings (offerings-data.ts). A region or a
 * type the data does not cover is offered everywhere: the sim refuses only what AWS is known to refuse.
 */
export function offered(region: string, zoneId: string, instanceType: string): boolean {
  const data = OFFERINGS[region];
  if (!data || !data.types.includes(instanceType)) return true;
  const zone = data.zones[zoneId];
  if (!zone) return true;
  return zone.offers ? zone.offers.includes(instanceType) : !zone.lacks?.includes(instanceType);
}

/** RunInstances in a zone that lacks the type: AWS's `Unsupported`, naming the zones that offer it. */
export function checkOffered(ctx: SimContext, zoneName: string, instanceType: string): void {
  const all = zones(ctx);
  const zone = all.find((z) => z.name === zoneName);
  if (!zone || offered(ctx.state.region, zone.id, instanceType)) return;
  const others = all.filter((z) => offered(ctx.state.region, z.id, instanceType)).map((z) => z.name);
  throw err(
    'Unsupported',
    `Your requested instance type (${instanceType}) is not supported in your requested Availability Zone (${zoneName}). ` +
      `Please retry your request by not specifying an Availability Zone or choosing ${others.join(', ')}.`,
  );
}

/** The types the sim knows in a region: AWS's list where it has one, us-east-1's otherwise. */
function knownTypes(region: string): string[] {
  return (OFFERINGS[region] ?? OFFERINGS['us-east-1']!).types;
}

export const instanceTypeOfferingActions: Record<string, ActionDef> = {
  DescribeInstanceTypeOfferings: {
    mutating: false,
    fn(ctx, input) {
      const locationType: string = input.LocationType ?? 'region';
      if (!LOCATION_TYPES.includes(locationType))
        throw err(
          'InvalidParameterValue',
          `Value (${locationType}) for parameter locationType is invalid. Valid values: ${LOCATION_TYPES.join(', ')}.`,
        );
      checkMaxResults(input.MaxResults, 5, 1000);
      const region = ctx.state.region;
      const types = knownTypes(region);
      let offerings: { InstanceType: string; LocationType: string; Location: string }[];
      if (locationType === 'region') {
        offerings = types.map((t) => ({ InstanceType: t, LocationType: locationType, Location: region }));
      } else {
        offerings = zones(ctx).flatMap((zone) =>
          types
            .filter((t) => offered(region, zone.id, t))
            .map((t) => ({
              InstanceType: t,
              LocationType: locationType,
              Location: locationType === 'availability-zone' ? zone.name : zone.id,
            })),
        );
      }
      offerings = applyFilters(offerings, input.Filters, {
        'instance-type': (o) => o.InstanceType,
        location: (o) => o.Location,
      });
      dryRunCheck(input);
      const { page, next } = paginate(offerings, input.MaxResults ?? 1000, input.NextToken);
      return { InstanceTypeOfferings: page, NextToken: next };
    },
  },
};
