import type { ResourceOf, ResourceContext } from '@site-cli/core/plugin';
import type { HostedZone } from '@aws-sdk/client-route-53';
import { route53 } from '../clients.js';
import { checkSettings, domainConfig, inZone, namesOf } from '../config.js';
import { rememberedDomain } from '../remembered.js';
import type { ZoneOutput } from '../outputs.js';
import { bareZoneId, sameName } from '../route53.js';

export const ZONE = 'domain.zone';

/** Every hosted zone named exactly `name` (public and private may share one), one ListHostedZonesByName. */
async function zonesNamed(ctx: ResourceContext, name: string): Promise<HostedZone[]> {
  const client = await route53(ctx);
  const { HostedZones = [] } = await client.listHostedZonesByName({ DNSName: name, MaxItems: 100 });
  return HostedZones.filter((zone) => sameName(zone.Name, name));
}

/** The suffixes a zone for `name` could have, longest first: www.a.example.com → itself, a.example.com, example.com. */
export function candidateZones(name: string): string[] {
  const labels = name.split('.');
  return labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
}

/** One public zone out of those named alike, or the error that says what to do. */
export function pickZone(
  ctx: ResourceContext,
  name: string,
  zones: HostedZone[],
  keyed: boolean,
): HostedZone {
  const publicZones = zones.filter((zone) => !zone.Config?.PrivateZone);
  if (publicZones.length === 1) return publicZones[0];
  const key = keyed ? 'domain.zone' : 'domain.name';
  if (publicZones.length > 1) {
    throw ctx.error({
      code: 'DOMAIN_ZONE_AMBIGUOUS',
      message: `${publicZones.length} public hosted zones are named ${name} (${publicZones.map((z) => bareZoneId(z.Id ?? '')).join(', ')}); site will not guess which one the registrar delegates to.`,
      suggestions: [
        `Find the delegated one: compare \`aws route53 get-hosted-zone --id <id>\` name servers with \`dig NS ${name}\`, then delete the other zone if it is unused.`,
      ],
      exitCode: 2,
      details: { key, value: name },
    });
  }
  throw ctx.error({
    code: 'DOMAIN_ZONE_PRIVATE',
    message: `The hosted zone ${name} is private: ACM validates and browsers resolve through public DNS only.`,
    suggestions: [
      `Create a public hosted zone: aws route53 create-hosted-zone --name ${name} --caller-reference site-$(date +%s)`,
    ],
    exitCode: 2,
    details: { key, value: name },
  });
}

/** The zone named in the config, or the closest one that holds domain.name; exit 2 with the fix otherwise. */
export async function findZone(ctx: ResourceContext): Promise<ZoneOutput> {
  const domain = checkSettings(ctx);
  let zone: HostedZone | undefined;
  if (domain.zone) {
    const zones = await zonesNamed(ctx, domain.zone);
    if (zones.length > 0) zone = pickZone(ctx, domain.zone, zones, true);
  } else {
    for (const candidate of candidateZones(domain.name)) {
      const zones = await zonesNamed(ctx, candidate);
      if (zones.length > 0) {
        zone = pickZone(ctx, candidate, zones, false);
        break;
      }
    }
  }
  if (!zone?.Id || !zone.Name) {
    const apex = domain.zone ?? candidateZones(domain.name).at(-1) ?? domain.name;
    throw ctx.error({
      code: 'DOMAIN_ZONE_NOT_FOUND',
      message: domain.zone
        ? `No hosted zone named ${domain.zone} in this account (domain.zone).`
        : `No hosted zone in this account holds ${domain.name}: site looked for ${candidateZones(domain.name).join(', ')}.`,
      suggestions: [
        `Create it: aws route53 create-hosted-zone --name ${apex} --caller-reference site-$(date +%s), then point your registrar at its name servers.`,
        'Or set domain.zone to the zone that holds the name.',
      ],
      exitCode: 2,
      details: { key: domain.zone ? 'domain.zone' : 'domain.name', value: domain.zone ?? domain.name },
    });
  }
  const zoneName = zone.Name.replace(/\.$/, '');
  const outside = namesOf(domain).filter((name) => !inZone(name, zoneName));
  if (outside.length > 0) {
    throw ctx.error({
      code: 'DOMAIN_OUTSIDE_ZONE',
      message: `${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} outside the hosted zone ${zoneName}, which holds ${domain.name}.`,
      suggestions: [`Use names that end in .${zoneName}, or set domain.zone to a zone that holds them all.`],
      exitCode: 2,
      details: { key: 'domain.aliases', value: outside },
    });
  }
  return { zoneId: bareZoneId(zone.Id), zoneName };
}

/**
 * The zone for resources that look into it. `destroy` discovers no data source, so they look it up themselves
 * then; a zone that is gone holds nothing of the site's (undefined), and any other failure is thrown.
 */
export async function zoneOf(ctx: ResourceContext): Promise<ZoneOutput | undefined> {
  const found = ctx.outputs.get(ZONE);
  if (found) return found;
  if (!domainConfig(ctx.config)) {
    const zoneId = (await rememberedDomain(ctx))?.zoneId;
    return zoneId ? { zoneId, zoneName: zoneId } : undefined;
  }
  try {
    return await ctx.once('domain:zone', () => findZone(ctx));
  } catch (error) {
    if ((error as { code?: string }).code === 'DOMAIN_ZONE_NOT_FOUND') return undefined;
    throw error;
  }
}

/** domain.zone: a data source. site never creates or deletes a hosted zone: it is the user's. */
export function zoneResource(): ResourceOf<typeof ZONE> {
  return {
    id: ZONE,
    title: 'Hosted zone',
    kind: 'data',
    dependsOn: [],
    iam: ['route53:ListHostedZonesByName'],
    discover: (ctx) => ctx.once('domain:zone', () => findZone(ctx)),
    create: (ctx) => ctx.once('domain:zone', () => findZone(ctx)),
    async destroy() {
      // Never: the zone was there before the site and stays after it.
    },
    async status(_ctx, found) {
      return [{ name: `zone ${found.zoneName}`, id: found.zoneId, state: 'found' }];
    },
    summarize: (found) => ({ zoneName: found.zoneName, zoneId: found.zoneId }),
  };
}
