import type { IncomingMessage } from 'node:http';
import type { SimContext } from '../context.js';
import type { ListenerRec } from '../state.js';
import { conditionValues } from './rules.js';

/**
 * Which actions a request gets on a listener, as the ALB evaluates it: its rules by priority, the first whose
 * every condition matches, else the default actions. Host names match case-insensitively, paths
 * case-sensitively, both with `*` and `?` wildcards (the ELBv2 User Guide, "Listener rules").
 */
export function actionsFor(
  ctx: SimContext,
  listener: ListenerRec,
  req: IncomingMessage,
  host: string,
): any[] {
  const rules = (ctx.state.rules ?? [])
    .filter((r) => r.listenerArn === listener.arn)
    .sort((a, b) => a.priority - b.priority);
  const url = new URL(req.url ?? '/', 'http://x');
  for (const rule of rules)
    if (rule.conditions.every((c: any) => matches(c, req, url, host))) return rule.actions;
  return listener.defaultActions;
}

function wildcard(pattern: string, flags = ''): RegExp {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, flags);
}

function matches(c: any, req: IncomingMessage, url: URL, host: string): boolean {
  const values = conditionValues(c);
  switch (c.Field) {
    case 'host-header':
      return values.some((v: string) => wildcard(v, 'i').test(host));
    case 'path-pattern':
      return values.some((v: string) => wildcard(v).test(decodeURI(url.pathname)));
    case 'http-request-method':
      return values.includes(req.method ?? 'GET');
    case 'http-header': {
      const got = req.headers[String(c.HttpHeaderConfig.HttpHeaderName).toLowerCase()];
      const all = Array.isArray(got) ? got : got === undefined ? [] : [got];
      return all.some((g) => values.some((v: string) => wildcard(v, 'i').test(g)));
    }
    case 'query-string':
      return values.some((kv: { Key?: string; Value: string }) =>
        [...url.searchParams].some(
          ([k, v]) =>
            (kv.Key === undefined || wildcard(kv.Key, 'i').test(k)) && wildcard(kv.Value, 'i').test(v),
        ),
      );
    case 'source-ip':
      return values.some((cidr: string) => inCidr(req.socket.remoteAddress ?? '', cidr));
    default:
      return false;
  }
}

function inCidr(address: string, cidr: string): boolean {
  const ip = address.replace(/^::ffff:/, '');
  const [base, bits = '32'] = cidr.split('/');
  const toNum = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || !/^\d+\.\d+\.\d+\.\d+$/.test(base ?? '')) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toNum(ip) / size) === Math.floor(toNum(base!) / size);
}
