import type { ResourceContext } from '@site-cli/core/plugin';
import { acm } from './clients.js';
import { domainConfig, HTTPS_PORT, normalizeName } from './config.js';
import { listenersOf, ownedBy, tagsByArn } from './elbv2.js';

/**
 * A site that drops its `domain:` section still has what the section made (listener, rule, records, certificate,
 * the 443 ingress): deploy plans it as delete and destroy removes it, from AWS state alone. The signal is one the
 * run reads anyway: plugin-alb's listener discovery sees the load balancer's other listener ports. Only when one
 * is 443 does this plugin look further (its tags prove it is this site's HTTPS listener); a site that never had a
 * domain makes no call more. The listener's tags keep what the records need: the zone id and the names.
 */
export const ZONE_TAG = 'site:domain-zone';
export const NAMES_TAG = 'site:domain-names';
/** ELBv2 tag values hold 256 characters: the names are spread over a few tags. */
const TAG_VALUE_MAX = 256;
const NAMES_TAGS_MAX = 6;

/** The extra tags of the HTTPS listener: the zone and the names (space-separated, split over tags). */
export function memoryTags(zoneId: string, names: string[]): Record<string, string> {
  const tags: Record<string, string> = { [ZONE_TAG]: zoneId };
  const chunks: string[] = [];
  for (const name of names) {
    const last = chunks.at(-1);
    if (last !== undefined && last.length + 1 + name.length <= TAG_VALUE_MAX)
      chunks[chunks.length - 1] = `${last} ${name}`;
    else chunks.push(name);
  }
  chunks
    .slice(0, NAMES_TAGS_MAX)
    .forEach((chunk, i) => (tags[i === 0 ? NAMES_TAG : `${NAMES_TAG}-${i + 1}`] = chunk));
  return tags;
}

export interface RememberedDomain {
  listenerArn: string;
  certificateArn?: string;
  names: string[];
  zoneId?: string;
}

/**
 * What this site's HTTPS listener remembers of a domain that is no longer configured; undefined when the site
 * has a domain configured, or no HTTPS listener of its own. Once per run.
 */
export function rememberedDomain(ctx: ResourceContext): Promise<RememberedDomain | undefined> {
  return ctx.once('domain:remembered', async () => {
    if (domainConfig(ctx.config)) return undefined;
    const lb = ctx.outputs.get('alb.load-balancer');
    const http = ctx.outputs.get('alb.listener');
    if (!lb || !http?.otherPorts?.includes(HTTPS_PORT)) return undefined;
    const listener = (await listenersOf(ctx, lb.loadBalancerArn)).find((l) => l.Port === HTTPS_PORT);
    if (!listener?.ListenerArn) return undefined;
    const tags = (await tagsByArn(ctx, [listener.ListenerArn])).get(listener.ListenerArn);
    if (!ownedBy(ctx, tags, 'domain.https-listener')) return undefined;
    const names = Object.entries(tags ?? {})
      .filter(([key]) => key === NAMES_TAG || key.startsWith(`${NAMES_TAG}-`))
      .sort(([a], [b]) => a.length - b.length || a.localeCompare(b))
      .flatMap(([, value]) => value.split(' '))
      .map(normalizeName)
      .filter(Boolean);
    const certificateArn = listener.Certificates?.[0]?.CertificateArn;
    // A listener made before it kept the names: the certificate's names stand in.
    if (names.length === 0 && certificateArn) {
      const client = await acm(ctx);
      const { Certificate } = await client
        .describeCertificate({ CertificateArn: certificateArn })
        .catch(() => ({ Certificate: undefined }));
      for (const name of [Certificate?.DomainName, ...(Certificate?.SubjectAlternativeNames ?? [])])
        if (name && !name.startsWith('*') && !names.includes(normalizeName(name)))
          names.push(normalizeName(name));
    }
    const zoneId = tags?.[ZONE_TAG];
    return { listenerArn: listener.ListenerArn, certificateArn, names, zoneId };
  });
}
