/**
 * Where a browser reaches the site: the load balancer's URL on AWS (discovered by tags, as `status` does),
 * or in the sandbox the loopback port on which the simulator's data plane answers for that load balancer
 * (its `/_sim/data-plane` route: the printed `.invalid` name resolves nowhere).
 */
import { SiteError } from '../errors.js';
import type { CoreSession } from '../session/core-session.js';
import { findString, summarizeResources } from './deploy.js';

export interface SiteAddress {
  /** The site's URL as deploy prints it (on the sandbox, a name under `.invalid`). */
  url: string;
  /** The URL a browser on this machine can open: `url` on AWS, a loopback URL in the sandbox. */
  browserUrl: string;
}

export async function findSiteAddress(session: CoreSession): Promise<SiteAddress> {
  const outputs = await session.discover();
  const url = findString(Object.values(summarizeResources(session, outputs)), 'url');
  if (!url)
    throw new SiteError({
      code: 'SITE_NOT_DEPLOYED',
      message: `The site ${session.config.name} in ${session.config.region} has no load balancer URL: it is not deployed${session.sandbox ? ' in the sandbox' : ''}.`,
      suggestions: [`Run \`site deploy${session.sandbox ? ' --sandbox' : ''}\` first.`],
    });
  if (!session.sandbox) return { url, browserUrl: url };
  return { url, browserUrl: await sandboxBrowserUrl(session, url) };
}

/** The loopback URL on which the sandbox's simulator answers for the load balancer of `url`. */
export async function sandboxBrowserUrl(session: CoreSession, url: string): Promise<string> {
  const endpoint = session.context().simulator?.endpoint;
  const parsed = new URL(url);
  const query = new URLSearchParams({ dnsName: parsed.hostname });
  if (parsed.port) query.set('port', parsed.port);
  const answer = endpoint
    ? await fetch(`${endpoint.replace(/\/+$/, '')}/_sim/data-plane?${query}`, {
        signal: AbortSignal.timeout(5000),
      }).catch(() => undefined)
    : undefined;
  const body = answer?.ok ? ((await answer.json()) as { url?: unknown }) : undefined;
  if (typeof body?.url !== 'string')
    throw new SiteError({
      code: 'SANDBOX_NOT_SERVING',
      message: `The sandbox at ${endpoint ?? '(none)'} serves no load balancer named ${parsed.hostname}.`,
      suggestions: ['Run `site status --sandbox` to see what the sandbox holds.'],
    });
  return new URL(`${parsed.pathname.replace(/^\//, '')}${parsed.search}`, body.url).href;
}
