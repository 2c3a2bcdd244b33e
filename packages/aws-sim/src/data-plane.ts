import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InstanceContent } from './content/instance-content.js';
import { siteSourceOf } from './content/instance-content.js';
import { answerFrom } from './content/web-root.js';
import { decodeUserData, type SimContext } from './context.js';
import { actionTargetGroups } from './elbv2/common.js';
import { actionsFor } from './elbv2/rule-match.js';
import { targetHealth } from './elbv2/target-health.js';
import type { InstanceRec, ListenerRec, LoadBalancerRec } from './state.js';
import { dataPlaneServer, tlsSuffix } from './tls/listener-tls.js';

/** The site's template name, from the zip (or `source`) URL in the instance's user data. */
export function templateFromUserData(b64: string | undefined): string | undefined {
  if (!b64) return undefined;
  const ud = decodeUserData(b64);
  const url =
    /https?:\/\/[^\s'"<>]+?\.zip\b/i.exec(ud)?.[0] ??
    /source\S*\s*[=:]?\s*['"]?(https?:\/\/[^\s'"<>]+)/i.exec(ud)?.[1] ??
    /https?:\/\/[^\s'"<>]+/i.exec(ud)?.[0];
  if (!url) return undefined;
  const last =
    url
      .replace(/[?#].*$/, '')
      .replace(/\/+$/, '')
      .split('/')
      .pop() ?? '';
  return decodeURIComponent(last.replace(/\.(zip|tar\.gz|tgz|git)$/i, '')) || undefined;
}

const UNAVAILABLE = `<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n`;

const BAD_GATEWAY = `<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n`;

interface Entry {
  server: Server;
  port: number;
}

/** A server's key: the load balancer (answering as its port-80 or first HTTP listener), or one listener port. */
const keyOf = (lbArn: string, port?: number) => (port === undefined ? lbArn : `${lbArn}#${port}`);

/**
 * Loopback HTTP servers answering like the ALB would: one per load balancer (as its port-80 listener, the
 * URL a site's HTTP check uses) and one per listener port. An HTTPS listener with a certificate of the
 * simulator's ACM answers TLS (tls/listener-tls.ts); other HTTPS listeners answer plain HTTP.
 * A forwarded request is answered by the routed target's httpd from the files its setup published
 * (content/), with the two headers site's httpd adds: `X-Site-Version` and `X-Site-Instance`.
 */
export class DataPlane {
  private servers = new Map<string, Entry>();
  private pending = new Map<string, Promise<void>>();
  private rr = new Map<string, number>();

  constructor(
    private ctx: () => SimContext,
    private host: string,
    private content: InstanceContent,
  ) {}

  url(dnsName: string, port?: number): string | undefined {
    const lb = this.ctx().state.loadBalancers.find((l) => l.dnsName.toLowerCase() === dnsName.toLowerCase());
    const key = lb && keyOf(lb.arn, port);
    const tls = key !== undefined && this.servers.has(`${key}#tls`);
    const e = key === undefined ? undefined : (this.servers.get(key) ?? this.servers.get(`${key}#tls`));
    return e ? `${tls ? 'https' : 'http'}://${this.loopback()}:${e.port}/` : undefined;
  }

  private loopback(): string {
    return this.host === '0.0.0.0' ? '127.0.0.1' : this.host;
  }

  /** Opens servers for new load balancers and listener ports, and closes those gone. */
  async sync(): Promise<void> {
    const state = this.ctx().state;
    const want = new Set(state.loadBalancers.map((l) => l.arn));
    for (const l of state.listeners)
      if (want.has(l.lbArn)) want.add(keyOf(l.lbArn, l.port) + tlsSuffix(this.ctx(), l));
    const jobs: Promise<void>[] = [];
    for (const [key, e] of this.servers)
      if (!want.has(key)) {
        this.servers.delete(key);
        jobs.push(closeServer(e.server));
      }
    for (const key of want) {
      if (this.servers.has(key)) continue;
      let p = this.pending.get(key);
      if (!p) {
        p = this.open(key).finally(() => this.pending.delete(key));
        this.pending.set(key, p);
      }
      jobs.push(p);
    }
    await Promise.all(jobs);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.pending.values()]);
    const all = [...this.servers.values()];
    this.servers.clear();
    await Promise.all(all.map((e) => closeServer(e.server)));
  }

  private open(key: string): Promise<void> {
    const [arn, port] = key.split('#');
    const listenerPort = port === undefined ? undefined : Number(port);
    const server = dataPlaneServer(this.ctx, key, arn!, listenerPort, (req, res) => {
      this.handle(arn!, listenerPort, req, res).catch((e) => {
        console.error('aws-sim: data plane error', e);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, this.host, () => {
        this.servers.set(key, { server, port: (server.address() as AddressInfo).port });
        resolve();
      });
    });
  }

  private async handle(
    arn: string,
    port: number | undefined,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    req.resume();
    const ctx = this.ctx();
    const lb = ctx.state.loadBalancers.find((l) => l.arn === arn);
    const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
      res.writeHead(status, { server: 'awselb/2.0', 'content-type': 'text/html', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (!lb || ctx.lbState(lb) !== 'active') return send(503, UNAVAILABLE);
    const listeners = ctx.state.listeners.filter((l) => l.lbArn === lb.arn);
    const listener =
      port !== undefined
        ? listeners.find((l) => l.port === port)
        : (listeners.find((l) => l.protocol === 'HTTP' && l.port === 80) ??
          listeners.find((l) => l.protocol === 'HTTP') ??
          listeners[0]);
    if (!listener) return send(503, UNAVAILABLE);
    const action = [...actionsFor(ctx, listener, req, this.hostOf(req, lb))]
      .sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0))
      .find((a) => a.Type !== 'authenticate-oidc');
    if (action?.Type === 'redirect')
      return send(...redirect(action.RedirectConfig, req, listener, this.hostOf(req, lb)));
    if (action?.Type === 'fixed-response') {
      const f = action.FixedResponseConfig;
      return send(Number(f.StatusCode), f.MessageBody ?? '', {
        'content-type': f.ContentType ?? 'text/plain',
      });
    }
    const instance = this.pick(ctx, lb, actionTargetGroups(action));
    if (!instance) return send(503, UNAVAILABLE);
    if (siteSourceOf(instance.userData)) {
      const root = await this.content.rootFor(ctx, instance);
      // Healthy but with nothing to serve: only when another process cannot fetch the zip again.
      if (!root) return send(502, BAD_GATEWAY);
      const answer = answerFrom(root, req.url ?? '/');
      res.writeHead(answer.status, {
        server: 'awselb/2.0',
        ...answer.headers,
        'x-site-version': root.version,
        'x-site-instance': instance.id,
      });
      return void res.end(req.method === 'HEAD' ? undefined : answer.body);
    }
    // A script that is not site's: what it serves is unknown, so a page naming the template and instance.
    const template = templateFromUserData(instance.userData) ?? 'default';
    const html =
      `<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${esc(template)}</title>` +
      `<meta name="aws-sim-template" content="${esc(template)}"><meta name="aws-sim-instance" content="${instance.id}"></head>\n` +
      `<body><h1>${esc(template)}</h1><p>Template: ${esc(template)}</p><p>Served by ${instance.id}</p></body>\n</html>\n`;
    send(200, html, { 'x-aws-sim-instance': instance.id, 'x-aws-sim-template': template });
  }

  /**
   * The host the client asked for: its Host header, except that reaching the data plane by its loopback
   * address stands for the load balancer's DNS name (the simulator plays DNS).
   */
  private hostOf(req: IncomingMessage, lb: LoadBalancerRec): string {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    return !host || ['127.0.0.1', 'localhost', '::1', this.host, this.loopback()].includes(host)
      ? lb.dnsName
      : host;
  }

  private pick(ctx: SimContext, lb: LoadBalancerRec, tgArns: string[]): InstanceRec | undefined {
    const healthy: InstanceRec[] = [];
    for (const arn of tgArns) {
      const tg = ctx.state.targetGroups.find((t) => t.arn === arn);
      if (!tg) continue;
      for (const t of tg.targets) {
        if (targetHealth(ctx, tg, t).State !== 'healthy') continue;
        const inst = ctx.state.instances.find((i) => i.id === t.id);
        if (inst) healthy.push(inst);
      }
    }
    if (!healthy.length) return undefined;
    const n = this.rr.get(lb.arn) ?? 0;
    this.rr.set(lb.arn, n + 1);
    return healthy[n % healthy.length];
  }
}

/** The redirect as the ALB sends it: the keywords filled from the request, and the port always in the URL. */
function redirect(
  r: any,
  req: IncomingMessage,
  listener: ListenerRec,
  host: string,
): [number, string, Record<string, string>] {
  const url = new URL(req.url ?? '/', 'http://x');
  const sub = (s: string) =>
    s
      .replace(/#\{protocol\}/g, listener.protocol.toLowerCase())
      .replace(/#\{host\}/g, host)
      .replace(/#\{port\}/g, String(listener.port))
      .replace(/#\{path\}/g, url.pathname.replace(/^\//, ''))
      .replace(/#\{query\}/g, url.search.replace(/^\?/, ''));
  const proto = sub(r.Protocol ?? '#{protocol}').toLowerCase();
  const port = sub(r.Port ?? '#{port}');
  const query = sub(r.Query ?? '#{query}');
  const location = `${proto}://${sub(r.Host ?? '#{host}')}:${port}${sub(r.Path ?? '/#{path}')}${query ? `?${query}` : ''}`;
  const status = r.StatusCode === 'HTTP_302' ? 302 : 301;
  return [
    status,
    `<html>\r\n<head><title>${status} Moved ${status === 301 ? 'Permanently' : 'Temporarily'}</title></head>\r\n<body>\r\n<center><h1>${status} Moved ${status === 301 ? 'Permanently' : 'Temporarily'}</h1></center>\r\n</body>\r\n</html>\r\n`,
    { location },
  ];
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function closeServer(s: Server): Promise<void> {
  return new Promise((resolve) => {
    s.close(() => resolve());
    s.closeAllConnections();
  });
}
