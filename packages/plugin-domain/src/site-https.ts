/** Reaching the site by its name: over DNS on AWS, or at the load balancer's address with Host and SNI elsewhere. */
import type { ResourceContext } from '@site-cli/core/plugin';

const REQUEST_TIMEOUT_MS = 5000;

export interface Answer {
  status?: number;
  location?: string;
  body?: string;
  error?: string;
}

/** Where to connect for `host` on `port`: the host itself (DNS), or an address that serves it (simulator), or why not. */
/** `ca`: the roots to verify the certificate with (the simulator's own CA); absent: the system's. */
export type Target =
  { connect: { hostname: string; port: number }; ca?: string } | { skipped: string } | { pending: string };

async function resolves(name: string): Promise<boolean> {
  const { promises: dns } = await import('node:dns');
  try {
    await dns.lookup(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * On AWS, the name itself (it resolves once the alias records are INSYNC and resolvers have caught up; until
 * then the load balancer's own name, with the site's name as Host and SNI). In the
 * sandbox, the simulator's data plane for the load balancer and port (`/_sim/data-plane`), with the Host header
 * and SNI of the name, the certificate verified against the simulator's CA (`/_sim/ca`). Elsewhere (moto: load
 * balancers resolve nowhere) the check is skipped, with the reason.
 */
export async function targetFor(
  ctx: ResourceContext,
  host: string,
  loadBalancerDnsName: string,
  port: number,
): Promise<Target> {
  if (!ctx.simulator && !ctx.aws.settings.endpoint) {
    if (await resolves(host)) return { connect: { hostname: host, port } };
    // A resolver may hold a negative answer from before the records existed (for up to the zone's SOA
    // minimum): meanwhile ask the load balancer itself for the name (Host and SNI), as a browser will.
    if (await resolves(loadBalancerDnsName)) return { connect: { hostname: loadBalancerDnsName, port } };
    return { pending: `${host} does not resolve yet` };
  }
  const simulator = ctx.simulator?.endpoint;
  if (simulator) {
    try {
      const response = await fetch(
        `${simulator.replace(/\/+$/, '')}/_sim/data-plane?dnsName=${encodeURIComponent(loadBalancerDnsName)}&port=${port}`,
        { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
      );
      if (response.ok) {
        const body = (await response.json()) as { url?: unknown };
        if (typeof body.url === 'string') {
          const url = new URL(body.url);
          const ca = await fetch(`${simulator.replace(/\/+$/, '')}/_sim/ca`, {
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          return {
            connect: { hostname: url.hostname, port: Number(url.port) },
            ...(ca.ok ? { ca: await ca.text() } : {}),
          };
        }
      }
    } catch {
      return { pending: `the simulator at ${simulator} does not answer` };
    }
    return {
      skipped: `the simulator at ${simulator} serves nothing on port ${port} of ${loadBalancerDnsName}`,
    };
  }
  return {
    skipped: `the load balancer ${loadBalancerDnsName} does not resolve from here (an emulator at ${ctx.aws.settings.endpoint}), so ${host} was not requested`,
  };
}

/** One GET of `/` with the site's name as Host (and SNI for HTTPS), redirects not followed. */
export async function get(
  scheme: 'http' | 'https',
  host: string,
  connect: { hostname: string; port: number },
  ca?: string,
): Promise<Answer> {
  const module = scheme === 'https' ? await import('node:https') : await import('node:http');
  const defaultPort = scheme === 'https' ? 443 : 80;
  return new Promise((resolve) => {
    const request = module.request(
      {
        hostname: connect.hostname,
        port: connect.port,
        path: '/',
        method: 'GET',
        headers: {
          Host: connect.port === defaultPort || connect.hostname !== host ? host : `${host}:${connect.port}`,
        },
        ...(scheme === 'https' ? { servername: host, ...(ca ? { ca } : {}) } : {}),
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < 64 * 1024) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            ...(response.headers.location ? { location: response.headers.location } : {}),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', (error) => resolve({ error: error.message }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    request.end();
  });
}

/** A redirect of http://<host>/ that leads to https://<host>/ (the :443 ELB spells out is the same place). */
export function redirectsToHttps(answer: Answer, host: string): boolean {
  if (answer.status !== 301 || !answer.location) return false;
  try {
    const url = new URL(answer.location);
    return url.protocol === 'https:' && url.hostname === host && (url.port === '' || url.port === '443');
  } catch {
    return false;
  }
}
