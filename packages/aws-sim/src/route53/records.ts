import { settleCertificates } from '../acm/certificates.js';
import type { SimContext } from '../context.js';
import { AwsError } from '../errors.js';
import { canonicalHostedZoneId, LOAD_BALANCER_ZONES } from '../elbv2/load-balancers.js';
import type { ActionDef } from '../service.js';
import type { HostedZoneRec, ResourceRecordSetRec } from '../state.js';
import { fqdn, within } from './dns.js';
import { checkDomainName, findZone, newChange, reversedName } from './zones.js';

/** ListResourceRecordSets' default and largest page (the API reference). */
const RECORDS_PAGE = 300;

interface WireRecordSet {
  Name: string;
  Type: string;
  SetIdentifier?: string;
  TTL?: number;
  ResourceRecords?: { Value: string }[];
  AliasTarget?: { HostedZoneId: string; DNSName: string; EvaluateTargetHealth: boolean };
}

/** How Route 53 names a record set in its messages: `[name='www.example.com.', type='A']`. */
const named = (r: { name: string; type: string; setIdentifier?: string }) =>
  `[name='${r.name}', type='${r.type}'${r.setIdentifier === undefined ? '' : `, set-identifier='${r.setIdentifier}'`}]`;

function toRec(ctx: SimContext, w: WireRecordSet, action: string): ResourceRecordSetRec {
  const name = checkDomainName(w.Name);
  const hasRecords = w.ResourceRecords !== undefined || w.TTL !== undefined;
  if (w.AliasTarget ? hasRecords : w.ResourceRecords === undefined || w.TTL === undefined)
    throw new AwsError(
      'InvalidInput',
      `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found ${w.AliasTarget && hasRecords ? 'more than one' : 'none'} in Change with [Action=${action}, Name=${name}, Type=${w.Type}, SetIdentifier=${w.SetIdentifier ?? 'null'}]`,
    );
  return {
    name,
    type: w.Type,
    ttl: w.TTL,
    values: w.ResourceRecords?.map((r) => r.Value),
    alias: w.AliasTarget && {
      hostedZoneId: w.AliasTarget.HostedZoneId.replace(/^\/?hostedzone\//, ''),
      dnsName: fqdn(w.AliasTarget.DNSName),
      evaluateTargetHealth: w.AliasTarget.EvaluateTargetHealth,
    },
    setIdentifier: w.SetIdentifier,
    changedAt: ctx.now(),
  };
}

function toWire(r: ResourceRecordSetRec) {
  return {
    // Route 53 lists `*` as its octal escape.
    Name: r.name.replace(/\*/g, '\\052'),
    Type: r.type,
    SetIdentifier: r.setIdentifier,
    TTL: r.ttl,
    ResourceRecords: r.values?.map((Value) => ({ Value })),
    AliasTarget: r.alias && {
      HostedZoneId: r.alias.hostedZoneId,
      DNSName: r.alias.dnsName,
      EvaluateTargetHealth: r.alias.evaluateTargetHealth,
    },
  };
}

const same = (a: ResourceRecordSetRec, b: ResourceRecordSetRec) =>
  a.name === b.name && a.type === b.type && a.setIdentifier === b.setIdentifier;

/** A DELETE must name the record exactly as it is: TTL, values, alias target. */
function matches(current: ResourceRecordSetRec, asked: ResourceRecordSetRec): boolean {
  const norm = (r: ResourceRecordSetRec) =>
    JSON.stringify([
      r.ttl,
      [...(r.values ?? [])].sort(),
      r.alias && [
        r.alias.hostedZoneId,
        r.alias.dnsName.replace(/^dualstack\./, ''),
        r.alias.evaluateTargetHealth,
      ],
    ]);
  return norm(current) === norm(asked);
}

/** Where an alias may point in the simulator: a load balancer of its region (by its zone), or a record of this zone. */
function aliasProblem(
  ctx: SimContext,
  zone: HostedZoneRec,
  records: ResourceRecordSetRec[],
  r: ResourceRecordSetRec,
): string | undefined {
  const a = r.alias!;
  const target = `Tried to create an alias that targets ${a.dnsName}, type ${r.type} in zone ${a.hostedZoneId}`;
  if (a.hostedZoneId === zone.id) {
    const found = records.some((x) => x.name === a.dnsName && x.type === r.type);
    return found ? undefined : `${target}, but the alias target name does not lie within the target zone`;
  }
  if (LOAD_BALANCER_ZONES.has(a.hostedZoneId)) {
    const dns = a.dnsName.replace(/^dualstack\./, '').replace(/\.$/, '');
    const lb = ctx.state.loadBalancers.find((l) => l.dnsName.toLowerCase() === dns);
    if (!lb || a.hostedZoneId !== canonicalHostedZoneId(ctx.state.region))
      return `${target}, but that target was not found`;
    return undefined;
  }
  return `${target}, but that target was not found`;
}

/** Applies one batch to a copy of the zone's records: all of it, or (on any problem) none of it. */
function applyBatch(
  ctx: SimContext,
  zone: HostedZoneRec,
  changes: { Action: string; ResourceRecordSet: WireRecordSet }[],
) {
  const records = zone.records.map((r) => ({ ...r }));
  const problems: string[] = [];
  for (const change of changes) {
    const asked = toRec(ctx, change.ResourceRecordSet, change.Action);
    if (!within(asked.name, zone.name)) {
      problems.push(`RRSet with DNS name ${asked.name} is not permitted in zone ${zone.name}`);
      continue;
    }
    const i = records.findIndex((r) => same(r, asked));
    if (change.Action === 'DELETE') {
      if (i < 0) problems.push(`Tried to delete resource record set ${named(asked)} but it was not found`);
      else if (!matches(records[i]!, asked))
        problems.push(
          `Tried to delete resource record set ${named(asked)} but the values provided do not match the current values`,
        );
      else if (asked.name === zone.name && (asked.type === 'SOA' || asked.type === 'NS'))
        problems.push(`A HostedZone must contain at least one NS record for the zone itself.`);
      else records.splice(i, 1);
      continue;
    }
    if (change.Action === 'CREATE' && i >= 0) {
      problems.push(`Tried to create resource record set ${named(asked)} but it already exists`);
      continue;
    }
    if (asked.type === 'CNAME' && asked.name === zone.name) {
      problems.push(
        `RRSet of type CNAME with DNS name ${asked.name} is not permitted at apex in zone ${zone.name}`,
      );
      continue;
    }
    if ((asked.values?.length ?? 0) > 1 && (asked.type === 'CNAME' || asked.type === 'SOA')) {
      problems.push(
        `RRSet of type ${asked.type} with DNS name ${asked.name} has more than one resource record`,
      );
      continue;
    }
    const conflict = records.find(
      (r) => r.name === asked.name && r !== records[i] && (r.type === 'CNAME') !== (asked.type === 'CNAME'),
    );
    if (conflict) {
      problems.push(
        `RRSet of type ${asked.type} with DNS name ${asked.name} is not permitted because a conflicting RRSet of type ${conflict.type} with the same DNS name already exists in zone ${zone.name}`,
      );
      continue;
    }
    if (asked.alias) {
      const p = aliasProblem(ctx, zone, records, asked);
      if (p) {
        problems.push(p);
        continue;
      }
    }
    if (i >= 0) {
      // An UPSERT that changes nothing keeps the record's age (it stays resolved).
      if (matches(records[i]!, asked)) asked.changedAt = records[i]!.changedAt;
      records[i] = asked;
    } else records.push(asked);
  }
  if (problems.length) throw new AwsError('InvalidChangeBatch', `[${problems.join(', ')}]`);
  return records;
}

export const recordActions: Record<string, ActionDef> = {
  ChangeResourceRecordSets: {
    mutating: true,
    fn(ctx, input) {
      const zone = findZone(ctx, input.HostedZoneId);
      const changes = (input.ChangeBatch?.Changes ?? []) as {
        Action: string;
        ResourceRecordSet: WireRecordSet;
      }[];
      const records = applyBatch(ctx, zone, changes);
      // What a deleted validation record had issued stays issued.
      settleCertificates(ctx);
      zone.records = records;
      return { ChangeInfo: newChange(ctx, input.ChangeBatch?.Comment) };
    },
  },
  ListResourceRecordSets: {
    mutating: false,
    fn(ctx, input) {
      const zone = findZone(ctx, input.HostedZoneId);
      if (input.StartRecordType !== undefined && input.StartRecordName === undefined)
        throw new AwsError(
          'InvalidInput',
          'The input is not valid: StartRecordType requires StartRecordName.',
        );
      const max =
        input.MaxItems === undefined ? RECORDS_PAGE : Math.min(Number(input.MaxItems), RECORDS_PAGE);
      if (!Number.isInteger(max) || max < 1)
        throw new AwsError('InvalidInput', `Invalid value for MaxItems: ${input.MaxItems}`);
      const key = (r: { name: string; type: string }) => [reversedName(r.name), r.type] as const;
      const sorted = [...zone.records].sort((a, b) => {
        const [an, at] = key(a);
        const [bn, bt] = key(b);
        return (
          an.localeCompare(bn) ||
          at.localeCompare(bt) ||
          (a.setIdentifier ?? '').localeCompare(b.setIdentifier ?? '')
        );
      });
      let from = 0;
      if (input.StartRecordName !== undefined) {
        const startName = reversedName(fqdn(input.StartRecordName));
        const startType = input.StartRecordType as string | undefined;
        from = sorted.findIndex((r) => {
          const [n, t] = key(r);
          const c = n.localeCompare(startName);
          return c > 0 || (c === 0 && (startType === undefined || t.localeCompare(startType) >= 0));
        });
        if (from < 0) from = sorted.length;
      }
      const rest = sorted.slice(from);
      const next = rest[max];
      return {
        ResourceRecordSets: rest.slice(0, max).map(toWire),
        IsTruncated: next !== undefined,
        NextRecordName: next?.name,
        NextRecordType: next?.type,
        NextRecordIdentifier: next?.setIdentifier,
        MaxItems: String(max),
      };
    },
  },
};
