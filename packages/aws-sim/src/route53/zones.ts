import type { SimContext } from '../context.js';
import { AwsError } from '../errors.js';
import { SIM_DNS_ZONE } from '../ids.js';
import { type ActionDef, NO_CHANGE } from '../service.js';
import type { HostedZoneRec } from '../state.js';
import { fqdn } from './dns.js';

const LABEL = /^(\*|[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)$/;
/** Route 53's default page sizes (the API reference of each List action). */
export const DEFAULT_ZONES_PAGE = 100;

export const noSuchZone = (id: string) =>
  new AwsError('NoSuchHostedZone', `No hosted zone found with ID: ${id}`);

/** A zone id as the API takes it: bare or as `/hostedzone/Z…`. */
export function zoneIdOf(raw: string | undefined): string {
  return String(raw ?? '').replace(/^\/?hostedzone\//, '');
}

export function findZone(ctx: SimContext, raw: string | undefined): HostedZoneRec {
  const id = zoneIdOf(raw);
  const zone = (ctx.state.hostedZones ?? []).find((z) => z.id === id);
  if (!zone) throw noSuchZone(id);
  return zone;
}

/** A DNS name Route 53 takes: labels of letters, digits, hyphens and underscores (and a leading `*`). */
export function checkDomainName(name: string): string {
  const n = fqdn(name);
  const labels = n.slice(0, -1).split('.');
  if (n.length > 255 || labels.some((l) => !LABEL.test(l)))
    throw new AwsError('InvalidDomainName', `${name} is not a valid domain name.`);
  return n;
}

/** Route 53's ids: a letter and 20 upper-case letters and digits. */
export function route53Id(ctx: SimContext, letter: 'Z' | 'C'): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let s = letter;
  for (let i = 0; i < 20; i++) s += alphabet[Math.floor(ctx.ids.rng.next() * alphabet.length)];
  return s;
}

/** A change: PENDING until every name server has it, then INSYNC. */
export function newChange(ctx: SimContext, comment?: string) {
  const change = { id: route53Id(ctx, 'C'), submittedAt: ctx.now(), comment };
  (ctx.state.changes ??= []).push(change);
  return changeInfo(ctx, change);
}

export function changeInfo(ctx: SimContext, c: { id: string; submittedAt: number; comment?: string }) {
  return {
    Id: `/change/${c.id}`,
    Status: ctx.now() - c.submittedAt < ctx.profile.route53SyncMs ? 'PENDING' : 'INSYNC',
    SubmittedAt: new Date(c.submittedAt),
    Comment: c.comment,
  };
}

function zoneOut(z: HostedZoneRec) {
  return {
    Id: `/hostedzone/${z.id}`,
    Name: z.name,
    CallerReference: z.callerReference,
    Config: { Comment: z.comment, PrivateZone: z.privateZone },
    ResourceRecordSetCount: z.records.length,
  };
}

/** Names sort as Route 53 lists them: labels right to left (com.example.www). */
export function reversedName(name: string): string {
  return fqdn(name).slice(0, -1).split('.').reverse().join('.');
}

/** The zone's own SOA and NS, with its four name servers: under the simulator's never-resolving zone. */
function zoneRecords(z: Pick<HostedZoneRec, 'name' | 'nameServers'>, now: number) {
  return [
    { name: z.name, type: 'NS', ttl: 172800, values: z.nameServers.map((n) => `${n}.`), changedAt: now },
    {
      name: z.name,
      type: 'SOA',
      ttl: 900,
      values: [`${z.nameServers[0]}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`],
      changedAt: now,
    },
  ];
}

/** Creates a public hosted zone (also used to seed the sandbox's zones). */
export function createZone(
  ctx: SimContext,
  name: string,
  callerReference: string,
  comment?: string,
): HostedZoneRec {
  const id = route53Id(ctx, 'Z');
  const n = Math.floor(ctx.ids.rng.next() * 2048);
  const nameServers = ['com', 'net', 'org', 'co.uk'].map(
    (tld, i) =>
      `ns-${(n + i * 512) % 2048}.awsdns-${String((n + i) % 64).padStart(2, '0')}.${tld}.${SIM_DNS_ZONE}`,
  );
  const zone: HostedZoneRec = {
    id,
    name: checkDomainName(name),
    callerReference,
    comment,
    privateZone: false,
    nameServers,
    records: [],
    createdAt: ctx.now(),
  };
  zone.records = zoneRecords(zone, ctx.now());
  (ctx.state.hostedZones ??= []).push(zone);
  return zone;
}

function page<T>(items: T[], maxItems: string | undefined): { items: T[]; max: number; truncated: boolean } {
  const max = maxItems === undefined ? DEFAULT_ZONES_PAGE : Number(maxItems);
  if (!Number.isInteger(max) || max < 1)
    throw new AwsError('InvalidInput', `Invalid value for MaxItems: ${maxItems}`);
  return { items: items.slice(0, max), max, truncated: items.length > max };
}

export const zoneActions: Record<string, ActionDef> = {
  CreateHostedZone: {
    mutating: true,
    fn(ctx, input) {
      const ref = String(input.CallerReference);
      const existing = (ctx.state.hostedZones ?? []).find((z) => z.callerReference === ref);
      if (existing)
        throw new AwsError(
          'HostedZoneAlreadyExists',
          `A hosted zone has already been created with the specified caller reference.`,
          409,
        );
      if (input.VPC || input.HostedZoneConfig?.PrivateZone)
        throw new AwsError(
          'InvalidInput',
          'aws-sim: private hosted zones are not simulated; create a public one.',
        );
      const zone = createZone(ctx, String(input.Name), ref, input.HostedZoneConfig?.Comment);
      return {
        HostedZone: zoneOut(zone),
        ChangeInfo: newChange(ctx),
        DelegationSet: { NameServers: zone.nameServers },
        Location: `https://route53.amazonaws.com/2013-04-01/hostedzone/${zone.id}`,
      };
    },
  },
  GetHostedZone: {
    mutating: false,
    fn(ctx, input) {
      const zone = findZone(ctx, input.Id);
      return { HostedZone: zoneOut(zone), DelegationSet: { NameServers: zone.nameServers } };
    },
  },
  ListHostedZones: {
    mutating: false,
    fn(ctx, input) {
      const zones = ctx.state.hostedZones ?? [];
      let start = 0;
      if (input.Marker !== undefined) {
        start = zones.findIndex((z) => z.id === zoneIdOf(input.Marker));
        if (start < 0) throw new AwsError('InvalidInput', `Invalid value for Marker: ${input.Marker}`);
      }
      const { items, max, truncated } = page(zones.slice(start), input.MaxItems);
      return {
        HostedZones: items.map(zoneOut),
        Marker: input.Marker ?? '',
        IsTruncated: truncated,
        NextMarker: truncated ? zones[start + max]!.id : undefined,
        MaxItems: String(max),
      };
    },
  },
  ListHostedZonesByName: {
    mutating: false,
    fn(ctx, input) {
      if (input.HostedZoneId !== undefined && input.DNSName === undefined)
        throw new AwsError('InvalidInput', 'The DNSName must be specified if HostedZoneId is.');
      const sorted = [...(ctx.state.hostedZones ?? [])].sort(
        (a, b) => reversedName(a.name).localeCompare(reversedName(b.name)) || a.id.localeCompare(b.id),
      );
      let from = 0;
      if (input.DNSName !== undefined) {
        const key = reversedName(checkDomainName(input.DNSName));
        const id = input.HostedZoneId === undefined ? undefined : zoneIdOf(input.HostedZoneId);
        from = sorted.findIndex((z) => {
          const c = reversedName(z.name).localeCompare(key);
          return c > 0 || (c === 0 && (id === undefined || z.id >= id));
        });
        if (from < 0) from = sorted.length;
      }
      const rest = sorted.slice(from);
      const { items, max, truncated } = page(rest, input.MaxItems);
      const next = truncated ? rest[max] : undefined;
      return {
        HostedZones: items.map(zoneOut),
        DNSName: input.DNSName,
        HostedZoneId: input.HostedZoneId,
        IsTruncated: truncated,
        NextDNSName: next?.name,
        NextHostedZoneId: next?.id,
        MaxItems: String(max),
      };
    },
  },
  DeleteHostedZone: {
    mutating: true,
    fn(ctx, input) {
      const zone = findZone(ctx, input.Id);
      const own = (r: { name: string; type: string }) =>
        r.name === zone.name && (r.type === 'SOA' || r.type === 'NS');
      if (zone.records.some((r) => !own(r)))
        throw new AwsError(
          'HostedZoneNotEmpty',
          'The specified hosted zone contains non-required resource record sets and so cannot be deleted.',
        );
      ctx.state.hostedZones = ctx.state.hostedZones!.filter((z) => z !== zone);
      delete ctx.state.tags[`hostedzone/${zone.id}`];
      return { ChangeInfo: newChange(ctx) };
    },
  },
  GetChange: {
    mutating: false,
    fn(ctx, input) {
      const id = String(input.Id ?? '').replace(/^\/?change\//, '');
      const change = (ctx.state.changes ?? []).find((c) => c.id === id);
      if (!change)
        throw new AwsError('NoSuchChange', `A change with the specified change ID does not exist.`);
      return { ChangeInfo: changeInfo(ctx, change) };
    },
  },
  ChangeTagsForResource: {
    mutating: true,
    fn(ctx, input) {
      if (input.ResourceType !== 'hostedzone')
        throw new AwsError(
          'InvalidInput',
          `aws-sim: only hosted zones carry tags here, not ${input.ResourceType}.`,
        );
      const zone = findZone(ctx, input.ResourceId);
      const key = `hostedzone/${zone.id}`;
      ctx.setTags(key, input.AddTags);
      const tags = ctx.state.tags[key];
      for (const k of (input.RemoveTagKeys ?? []) as string[]) if (tags) delete tags[k];
      return input.AddTags?.length || input.RemoveTagKeys?.length ? {} : { [NO_CHANGE]: true };
    },
  },
  ListTagsForResource: {
    mutating: false,
    fn(ctx, input) {
      if (input.ResourceType !== 'hostedzone')
        throw new AwsError(
          'InvalidInput',
          `aws-sim: only hosted zones carry tags here, not ${input.ResourceType}.`,
        );
      const zone = findZone(ctx, input.ResourceId);
      return {
        ResourceTagSet: {
          ResourceType: 'hostedzone',
          ResourceId: zone.id,
          Tags: Object.entries(ctx.tagsOf(`hostedzone/${zone.id}`)).map(([Key, Value]) => ({ Key, Value })),
        },
      };
    },
  },
};

/** Makes each named public zone the state lacks (the simulator's `hostedZones`); true if it made any. */
export function seedHostedZones(ctx: SimContext, names: readonly string[]): boolean {
  let made = false;
  for (const name of names) {
    const n = checkDomainName(name);
    if ((ctx.state.hostedZones ?? []).some((z) => z.name === n)) continue;
    createZone(ctx, n, `aws-sim-seed-${n}`, 'made by aws-sim (hostedZones)');
    made = true;
  }
  return made;
}
