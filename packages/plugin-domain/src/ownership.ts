import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { normalizeName } from './config.js';

/**
 * How site proves a DNS record is this site's, so it never overwrites or deletes a user's record:
 * beside each host's alias records it writes a TXT record `_site-owner.<host>` holding `"site:name=<site>"`,
 * in the same change batch (Route 53 applies a batch all or nothing). A host's A / AAAA records are this site's
 * when that marker is there with this site's name, or when they are aliases to this site's own load balancer
 * (a record pointing there can only have been made for this site). Anything else at the host — an A record to
 * an address, an alias elsewhere, a CNAME — is someone else's: the deploy stops unless domain.takeOver.
 */
export const MARKER_PREFIX = '_site-owner.';

export const markerName = (host: string) => `${MARKER_PREFIX}${normalizeName(host)}`;
export const markerValue = (site: string) => `"site:name=${site}"`;

/** The DNS name an alias points at, compared without the `dualstack.` prefix Route 53's console adds. */
export const aliasTarget = (dnsName: string | undefined) =>
  normalizeName(dnsName ?? '').replace(/^dualstack\./, '');

/** Every record set the site cares about at `host`: its address records and anything that blocks them. */
export const ADDRESS_TYPES = ['A', 'AAAA'];
const BLOCKING_TYPES = ['A', 'AAAA', 'CNAME'];

export interface HostRecords {
  host: string;
  /** The record sets at the host (every type). */
  sets: ResourceRecordSet[];
  /** The record sets at `_site-owner.<host>`. */
  markerSets: ResourceRecordSet[];
}

export function hasOurMarker(records: HostRecords, site: string): boolean {
  const txt = records.markerSets.find((s) => s.Type === 'TXT');
  return (txt?.ResourceRecords ?? []).some((r) => r.Value === markerValue(site));
}

/** Whether one record set at the host points at this site's load balancer. */
export function pointsAt(set: ResourceRecordSet, loadBalancerDnsName: string | undefined): boolean {
  return Boolean(
    loadBalancerDnsName &&
    set.AliasTarget &&
    aliasTarget(set.AliasTarget.DNSName) === aliasTarget(loadBalancerDnsName),
  );
}

/** Sort a host's blocking record sets into this site's and someone else's. */
export function classify(
  records: HostRecords,
  site: string,
  loadBalancerDnsName: string | undefined,
): { ours: ResourceRecordSet[]; foreign: ResourceRecordSet[] } {
  const marked = hasOurMarker(records, site);
  const ours: ResourceRecordSet[] = [];
  const foreign: ResourceRecordSet[] = [];
  for (const set of records.sets) {
    if (!BLOCKING_TYPES.includes(set.Type ?? '')) continue;
    const mine =
      ADDRESS_TYPES.includes(set.Type ?? '') &&
      set.AliasTarget !== undefined &&
      (marked || pointsAt(set, loadBalancerDnsName));
    (mine ? ours : foreign).push(set);
  }
  return { ours, foreign };
}

/** A record set in a line: `A www.example.com → alias x.elb.amazonaws.com`, `A www.example.com → 192.0.2.1`. */
export function describeSet(set: ResourceRecordSet): string {
  const target = set.AliasTarget
    ? `alias ${normalizeName(set.AliasTarget.DNSName ?? '')}`
    : (set.ResourceRecords ?? []).map((r) => r.Value).join(', ');
  return `${set.Type} ${normalizeName(set.Name ?? '')} → ${target}`;
}
