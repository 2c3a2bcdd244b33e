/** Reaching the site over HTTP: its URL, where to send the check (DNS, the simulator's data plane), one GET. */
import type { ResourceContext } from '@site-cli/core/plugin';

const REQUEST_TIMEOUT_MS = 5000;

/** The URL users open. */
export function siteUrl(dnsName: string, port: number): string {
  return `http://${dnsName}${port === 80 ? '' : `:${port}`}/`;
}

export type Access = { fetchUrl: string } | { skipped: string } | { pending: string };

/**
 * Where to send the HTTP check. The load balancer's DNS name when it resolves; in the sandbox, the
 * simulator's data plane (its `/_sim/data-plane` route maps the DNS name to a loopback port); otherwise
 * (moto, LocalStack: DNS names that resolve nowhere) there is nothing to reach and the check is skipped.
 * Simulator routes go only to the endpoint the context names as the simulator, never to any other.
 */
export async function resolveAccess(ctx: ResourceContext, dnsName: string, url: string): Promise<Access> {
  const { promises: dns } = await import('node:dns');
  try {
    await dns.lookup(dnsName);
    return { fetchUrl: url };
  } catch {
    // not resolvable from here
  }
  const simulator = ctx.simulator?.endpoint;
  if (simulator) {
    try {
      const response = await fetch(
        `${simulator.replace(/\/+$/, '')}/_sim/data-plane?dnsName=${encodeURIComponent(dnsName)}`,
        { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
      );
      if (response.ok) {
        const body = (await response.json()) as { url?: unknown };
        if (typeof body.url === 'string') return { fetchUrl: body.url };
      }
    } catch {
      return { pending: `the simulator at ${simulator} does not answer` };
    }
    return {
      skipped: `the simulator at ${simulator} serves no load balancer named ${dnsName}, so the HTTP check was skipped`,
    };
  }
  const endpoint = ctx.aws.settings.elbv2Endpoint ?? ctx.aws.settings.endpoint;
  if (!endpoint) return { pending: `${dnsName} does not resolve yet` };
  return {
    skipped: `the load balancer's DNS name ${dnsName} does not resolve from here (an emulator such as LocalStack or moto at ${endpoint}), so the HTTP check was skipped`,
  };
}

/** One GET of `url`, redirects not followed: the status and Location, or why nothing answered. */
export async function httpGet(url: string): Promise<{ status?: number; location?: string; error?: string }> {
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      redirect: 'manual',
    });
    await response.body?.cancel();
    const location = response.headers.get('location');
    return { status: response.status, ...(location ? { location } : {}) };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { error: cause ?? (error as Error).message };
  }
}

/** The site answered: 200, or a redirect when another resource of the site made the listener redirect. */
export const answered = (answer: { status?: number; location?: string }, redirects: boolean) =>
  answer.status === 200 ||
  (redirects && [301, 302, 307, 308].includes(answer.status ?? 0) && answer.location !== undefined);
