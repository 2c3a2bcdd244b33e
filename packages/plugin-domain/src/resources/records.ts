import type { ResourceOf, ResourceContext } from '@site-cli/core/plugin';
import type { Change, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { checkSettings, domainConfig, namesOf, normalizeName } from '../config.js';
import { rememberedDomain } from '../remembered.js';
import { loadBalancerDetail } from '../elbv2.js';
import type { AliasRecord, DnsRecord, RecordsOutput } from '../outputs.js';
import {
  ADDRESS_TYPES,
  classify,
  describeSet,
  markerName,
  markerValue,
  type HostRecords,
} from '../ownership.js';
import { zoneOf } from './zone.js';
import { applyChanges, isAlreadyGone, recordSetsOf } from '../route53.js';

export const RECORDS = 'domain.records';

const MARKER_TTL = 300;

async function hostRecords(ctx: ResourceContext, zoneId: string, host: string): Promise<HostRecords> {
  const [sets, markerSets] = await Promise.all([
    recordSetsOf(ctx, zoneId, host),
    recordSetsOf(ctx, zoneId, markerName(host)),
  ]);
  return { host, sets, markerSets };
}

/** The load balancer's DNS name, canonical hosted zone and whether it has IPv6, when it exists. */
async function loadBalancer(ctx: ResourceContext) {
  const lb = ctx.outputs.get('alb.load-balancer');
  if (!lb) return undefined;
  const detail = await loadBalancerDetail(ctx, lb.loadBalancerArn);
  if (!detail?.DNSName) return undefined;
  return {
    dnsName: normalizeName(detail.DNSName),
    zoneId: detail.CanonicalHostedZoneId ?? '',
    // AAAA only when the load balancer has IPv6 (Route 53 Developer Guide, "Routing traffic to an ELB load balancer").
    ipv6: (detail.IpAddressType ?? 'ipv4').startsWith('dualstack'),
  };
}

/** Every host's records, sorted into ours and someone else's. */
async function survey(ctx: ResourceContext, zoneId: string, names = namesOf(checkSettings(ctx))) {
  const lb = await loadBalancer(ctx);
  const hosts = await Promise.all(names.map((host) => hostRecords(ctx, zoneId, host)));
  return {
    lb,
    hosts: hosts.map((records) => ({ ...records, ...classify(records, ctx.config.name, lb?.dnsName) })),
  };
}

function toOutput(
  ctx: ResourceContext,
  zoneId: string,
  hosts: Awaited<ReturnType<typeof survey>>['hosts'],
): RecordsOutput {
  const records: AliasRecord[] = hosts.flatMap((h) =>
    h.ours.map((set) => ({
      name: normalizeName(set.Name ?? ''),
      type: set.Type as 'A' | 'AAAA',
      target: normalizeName(set.AliasTarget?.DNSName ?? ''),
      targetZoneId: set.AliasTarget?.HostedZoneId ?? '',
      evaluateTargetHealth: set.AliasTarget?.EvaluateTargetHealth ?? false,
    })),
  );
  const markers: DnsRecord[] = hosts.flatMap((h) =>
    h.markerSets
      .filter(
        (s) =>
          s.Type === 'TXT' && (s.ResourceRecords ?? []).some((r) => r.Value === markerValue(ctx.config.name)),
      )
      .map(() => ({ name: markerName(h.host), type: 'TXT', value: markerValue(ctx.config.name) })),
  );
  return { zoneId, records, markers };
}

/** Records someone else owns at the site's names: the deploy stops on them unless domain.takeOver. */
function refuseForeign(ctx: ResourceContext, hosts: Awaited<ReturnType<typeof survey>>['hosts']) {
  const foreign = hosts.flatMap((h) => h.foreign);
  if (foreign.length === 0 || checkSettings(ctx).takeOver) return;
  throw ctx.error({
    code: 'DOMAIN_RECORDS_CONFLICT',
    message: `The zone already has records at the site's names that are not this site's: ${foreign.map(describeSet).join('; ')}. site never overwrites a record it did not make.`,
    suggestions: [
      'If they are stale, delete them in Route 53 and deploy again.',
      "Or set domain.takeOver: true to replace them with the site's (they are not restored on destroy).",
    ],
    exitCode: 2,
    details: { key: 'domain.name', records: foreign.map(describeSet) },
  });
}

/** One batch: each host's alias records and its marker, foreign CNAMEs deleted when taking over. */
async function converge(ctx: ResourceContext): Promise<RecordsOutput> {
  const zone = ctx.outputs.require('domain.zone');
  const { lb, hosts } = await survey(ctx, zone.zoneId);
  refuseForeign(ctx, hosts);
  if (!lb?.zoneId)
    throw ctx.error({
      code: 'DOMAIN_LOAD_BALANCER_UNKNOWN',
      message: 'The load balancer has no DNS name or canonical hosted zone id yet; run `site deploy` again.',
    });
  const types = lb.ipv6 ? ADDRESS_TYPES : ['A'];
  const changes: Change[] = [];
  for (const h of hosts) {
    for (const set of h.foreign.filter((s) => s.Type === 'CNAME' || !types.includes(s.Type ?? '')))
      changes.push({ Action: 'DELETE', ResourceRecordSet: set });
    for (const set of h.ours.filter((s) => !types.includes(s.Type ?? '')))
      changes.push({ Action: 'DELETE', ResourceRecordSet: set });
    for (const type of types)
      changes.push({
        Action: 'UPSERT',
        ResourceRecordSet: {
          Name: h.host,
          Type: type as 'A',
          AliasTarget: { DNSName: lb.dnsName, HostedZoneId: lb.zoneId, EvaluateTargetHealth: true },
        },
      });
    changes.push({
      Action: 'UPSERT',
      ResourceRecordSet: {
        Name: markerName(h.host),
        Type: 'TXT',
        TTL: MARKER_TTL,
        ResourceRecords: [{ Value: markerValue(ctx.config.name) }],
      },
    });
  }
  ctx.progress(`writing ${changes.length} record change(s) to ${zone.zoneName}`);
  await applyChanges(
    ctx,
    zone.zoneId,
    changes,
    `site ${ctx.config.name}: ${namesOf(checkSettings(ctx)).join(', ')}`,
  );
  const after = await survey(ctx, zone.zoneId);
  return toOutput(ctx, zone.zoneId, after.hosts);
}

/** domain.records: alias A (and AAAA for a dualstack load balancer) records for the name and aliases. */
export function recordsResource(): ResourceOf<typeof RECORDS> {
  return {
    id: RECORDS,
    title: 'DNS records',
    kind: 'managed',
    // Published last: the names lead to a site that already answers over HTTPS.
    dependsOn: ['domain.zone', 'alb.load-balancer', 'domain.https-listener'],
    iam: [
      'route53:ListResourceRecordSets',
      'route53:ChangeResourceRecordSets',
      'route53:GetChange',
      'elasticloadbalancing:DescribeLoadBalancers',
    ],

    async discover(ctx) {
      if (!domainConfig(ctx.config)) {
        // Records of a domain no longer configured: the names the listener kept, only where they are provably ours.
        const remembered = await rememberedDomain(ctx);
        const zone = await zoneOf(ctx);
        if (!remembered || !zone) return undefined;
        const found = toOutput(ctx, zone.zoneId, (await survey(ctx, zone.zoneId, remembered.names)).hosts);
        return found.records.length > 0 || found.markers.length > 0 ? found : undefined;
      }
      const zone = await zoneOf(ctx);
      if (!zone) return undefined;
      const { hosts } = await survey(ctx, zone.zoneId);
      const found = toOutput(ctx, zone.zoneId, hosts);
      // Said at plan time too, so `site plan` does not promise what deploy's preflight will refuse.
      const foreign = hosts.flatMap((h) => h.foreign);
      if (foreign.length > 0 && !checkSettings(ctx).takeOver)
        ctx.log.warn(
          `Records that are not this site's are at its names (${foreign.map(describeSet).join('; ')}): deploy stops on them unless domain.takeOver.`,
        );
      return found.records.length > 0 || found.markers.length > 0 ? found : undefined;
    },

    /** Before anything is created: a user's record at one of the names stops the deploy (exit 2). */
    async preflight(ctx) {
      const zone = ctx.outputs.get('domain.zone');
      if (!zone) return;
      refuseForeign(ctx, (await survey(ctx, zone.zoneId)).hosts);
    },

    create: (ctx) => converge(ctx),

    async diff(ctx, found) {
      const lb = await loadBalancer(ctx);
      const wanted = namesOf(checkSettings(ctx)).flatMap((host) =>
        (lb?.ipv6 ? ADDRESS_TYPES : ['A']).map((type) => `${type} ${host}`),
      );
      const have = found.records.filter(
        (r) => !lb || r.target.replace(/^dualstack\./, '') === lb.dnsName.replace(/^dualstack\./, ''),
      );
      const now = have.map((r) => `${r.type} ${r.name}`);
      const missing = wanted.filter((w) => !now.includes(w));
      const stale = found.records.length - have.length + now.filter((n) => !wanted.includes(n)).length;
      return missing.length > 0 || stale > 0 || found.markers.length < namesOf(checkSettings(ctx)).length
        ? [{ field: 'records', from: now.join(', ') || 'none', to: wanted.join(', ') }]
        : [];
    },

    update: (ctx) => converge(ctx),

    /** Only ours: the alias records and markers found, in one batch (a batch is all or nothing). */
    async destroy(ctx, found) {
      const sets: ResourceRecordSet[] = [
        ...found.records.map((r) => ({
          Name: r.name,
          Type: r.type,
          AliasTarget: {
            DNSName: r.target,
            HostedZoneId: r.targetZoneId,
            EvaluateTargetHealth: r.evaluateTargetHealth,
          },
        })),
        ...found.markers.map((m) => ({
          Name: m.name,
          Type: 'TXT' as const,
          TTL: MARKER_TTL,
          ResourceRecords: [{ Value: m.value }],
        })),
      ];
      try {
        await applyChanges(
          ctx,
          found.zoneId,
          sets.map((ResourceRecordSet) => ({ Action: 'DELETE', ResourceRecordSet })),
          `site ${ctx.config.name}: destroy`,
        );
      } catch (error) {
        if (!ctx.isAwsError(error, 'InvalidChangeBatch')) throw error;
        // Some already gone (an interrupted destroy): delete the rest one at a time.
        for (const set of sets) {
          try {
            await applyChanges(
              ctx,
              found.zoneId,
              [{ Action: 'DELETE', ResourceRecordSet: set }],
              `site ${ctx.config.name}: destroy`,
            );
          } catch (inner) {
            if (!isAlreadyGone(ctx, inner)) throw inner;
          }
        }
      }
    },

    async status(_ctx, found) {
      return found.records.map((r) => ({
        name: `${r.type} ${r.name}`,
        id: found.zoneId,
        state: 'alias',
        detail: `→ ${r.target}`,
      }));
    },

    summarize: (found) => ({ records: found.records.map((r) => `${r.type} ${r.name}`) }),
  };
}
