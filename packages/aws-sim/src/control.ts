import type { ApiAnswer } from './protocol/protocol.js';
import type { Simulation } from './simulation.js';
import { simulatorAuthority } from './tls/keys.js';

const json = (status: number, value: unknown): ApiAnswer => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(value),
});

/**
 * The simulator's own routes under /_sim/ (never faulted, not in the call log): what tests and other
 * processes (`site sandbox`) use to look into it and steer it.
 */
export function answerControl(
  sim: Simulation,
  endpoint: string,
  method: string,
  url: URL,
  body: string,
): ApiAnswer {
  const route = `${method} ${url.pathname}`;
  switch (route) {
    case 'GET /_sim/data-plane': {
      const port = url.searchParams.get('port');
      const u = sim.dataPlaneUrl(url.searchParams.get('dnsName') ?? '', port ? Number(port) : undefined);
      return u
        ? json(200, { url: u })
        : json(404, { error: port ? 'no such load balancer or listener port' : 'no such load balancer' });
    }
    case 'GET /_sim/ca':
      // The root of the certificates the HTTPS listeners serve: what a client trusts to verify them.
      return { status: 200, contentType: 'application/x-pem-file', body: simulatorAuthority().cert };
    case 'GET /_sim/calls':
      return json(200, { calls: sim.calls, counts: sim.callCounts() });
    case 'GET /_sim/state':
      return json(200, sim.snapshot());
    case 'POST /_sim/reset':
      sim.reset();
      return json(200, { ok: true });
    case 'POST /_sim/faults':
      try {
        sim.setFaults(JSON.parse(body || '{}'));
        return json(200, { ok: true });
      } catch {
        return json(400, { error: 'invalid JSON' });
      }
    case 'GET /_sim/health':
      return json(200, { ok: true, endpoint, region: sim.ctx.state.region, pid: process.pid });
    case 'GET /_sim/checkip':
      // Stands in for checkip.amazonaws.com in the sandbox: a documentation address (RFC 5737).
      return { status: 200, contentType: 'text/plain', body: '203.0.113.10\n' };
    default:
      return json(404, { error: `no control route ${route}` });
  }
}
