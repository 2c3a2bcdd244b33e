/**
 * The Availability Zones of a region as the simulator's account sees them. Zone names map to zone IDs per
 * account (AWS: "AZ IDs are the same across accounts, names are not"). us-east-1 has six; the mapping is that
 * of a real account (moto uses it too), in which us-east-1e is use1-az3 — the old zone that offers only
 * previous-generation (Xen) instance types. Elsewhere: three zones, a → az1, b → az2, c → az3.
 */
const ZONES: Record<string, [suffix: string, zoneNumber: number][]> = {
  'us-east-1': [
    ['a', 6],
    ['b', 1],
    ['c', 2],
    ['d', 4],
    ['e', 3],
    ['f', 5],
  ],
};

/** Zone name and ID of each zone of `region`; `prefix` spells the region in zone IDs (us-east-1 → use1). */
export function zonesOf(region: string, prefix: string): { name: string; id: string }[] {
  const zones = ZONES[region] ?? [
    ['a', 1],
    ['b', 2],
    ['c', 3],
  ];
  return zones.map(([suffix, n]) => ({ name: `${region}${suffix}`, id: `${prefix}-az${n}` }));
}
