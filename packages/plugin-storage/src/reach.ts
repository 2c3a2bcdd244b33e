import type { ResourceContext } from '@site-cli/core/plugin';

/**
 * Reaching the site through its load balancer to read which version each target serves. Every answer of a
 * storage-source instance carries `X-Site-Instance` (its id) and `X-Site-Version` (the release it serves).
 */
export const INSTANCE_HEADER = 'x-site-instance';
export const VERSION_HEADER = 'x-site-version';
const REQUEST_TIMEOUT_MS = 5000;

export type Reach = { fetchUrl: string } | { skipped: string };

/**
 * Where to send the requests: the URL when its host resolves; in the sandbox, the loopback address the
 * simulator's data plane maps the load balancer to; otherwise (an emulator whose DNS names resolve nowhere)
 * nowhere, and the wait is skipped with the reason.
 */
export async function reachSite(ctx: ResourceContext, url: string): Promise<Reach> {
  const host = new URL(url).hostname;
  const { promises: dns } = await import('node:dns');
  try {
    await dns.lookup(host);
    return { fetchUrl: url };
  } catch {
    // not resolvable from here
  }
  const simulator = ctx.simulator?.endpoint;
  if (simulator) {
    try {
      const response = await fetch(
        `${simulator.replace(/\/+$/, '')}/_sim/data-plane?dnsName=${encodeURIComponent(host)}`,
        { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
      );
      const body = response.ok ? ((await response.json()) as { url?: unknown }) : {};
      if (typeof body.url === 'string') return { fetchUrl: body.url };
    } catch {
      // answered below
    }
    return { skipped: `the simulator at ${simulator} serves no load balancer named ${host}` };
  }
  return { skipped: `the load balancer's DNS name ${host} does not resolve from here (an emulator?)` };
}

export interface VersionAnswer {
  instanceId?: string;
  version?: string;
  status?: number;
  error?: string;
}

/** One GET, uncached: which target answered and with which version. */
export async function readVersion(url: string): Promise<VersionAnswer> {
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      redirect: 'manual',
      headers: { 'cache-control': 'no-cache' },
    });
    await response.body?.cancel();
    return {
      status: response.status,
      instanceId: response.headers.get(INSTANCE_HEADER) ?? undefined,
      version: response.headers.get(VERSION_HEADER) ?? undefined,
    };
  } catch (error) {
    return { error: (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message };
  }
}

/**
 * A round of requests, enough to reach every target behind round robin more than once: the latest answer of each
 * target, and how many answers named no instance.
 */
export async function versionsByTarget(
  url: string,
  targets: number,
): Promise<{ byTarget: Map<string, VersionAnswer>; anonymous: number }> {
  const answers = await Promise.all(Array.from({ length: Math.max(4, targets * 3) }, () => readVersion(url)));
  const byTarget = new Map<string, VersionAnswer>();
  let anonymous = 0;
  for (const answer of answers) {
    if (answer.instanceId) byTarget.set(answer.instanceId, answer);
    else if (answer.status !== undefined) anonymous++;
  }
  return { byTarget, anonymous };
}
