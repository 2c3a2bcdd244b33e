import type { HostedZoneRec, ResourceRecordSetRec, SimState } from '../state.js';

/**
 * A DNS name as Route 53 keeps it: lower case, with the trailing dot ("Route 53 treats www.example.com and
 * www.example.com. as identical"). `\052` (how Route 53 lists `*`) reads as `*`.
 */
export function fqdn(name: string): string {
  const n = name.trim().toLowerCase().replace(/\\052/g, '*');
  return n.endsWith('.') ? n : `${n}.`;
}

/** `name` is `zone` or under it. */
export function within(name: string, zone: string): boolean {
  const n = fqdn(name);
  const z = fqdn(zone);
  return n === z || n.endsWith(`.${z}`);
}

/**
 * The public hosted zone of the simulator that answers for `name`, as DNS would find it: the one with the
 * longest name that contains it (a subdomain's own zone wins over its parent's). Of two public zones with one
 * name, the older stands for the one the registrar delegates to.
 */
export function authoritativeZone(state: SimState, name: string): HostedZoneRec | undefined {
  let best: HostedZoneRec | undefined;
  for (const z of state.hostedZones ?? []) {
    if (z.privateZone || !within(name, z.name)) continue;
    if (!best || z.name.length > best.name.length) best = z;
  }
  return best;
}

/** The records of `name` and `type` that DNS answers (from the authoritative zone), if any. */
export function resolve(state: SimState, name: string, type: string): ResourceRecordSetRec | undefined {
  const zone = authoritativeZone(state, name);
  const n = fqdn(name);
  return zone?.records.find((r) => r.name === n && r.type === type);
}
