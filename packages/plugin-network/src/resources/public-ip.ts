import type { ResourceContext, ResourceOf } from '@site-cli/core/plugin';
import type { PublicIpOutput } from '../outputs.js';

export const PUBLIC_IP = 'network.public-ip';

export const DEFAULT_CHECKIP_URL = 'https://checkip.amazonaws.com';
export const LOOKUP_TIMEOUT_MS = 3000;

export function isIpv4(text: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  return match !== null && match.slice(1).every((octet) => Number(octet) <= 255);
}

const HOW_TO_SET =
  'Set ssh.cidr in the config file to your address as a CIDR (e.g. 203.0.113.7/32), or ssh.cidr: none to silence this.';

async function lookUp(ctx: ResourceContext): Promise<PublicIpOutput> {
  const setting = ctx.config.ssh.cidr;
  if (setting === 'none') return { sshCidr: null, source: 'none' };
  if (setting !== 'auto') {
    if (setting === '0.0.0.0/0' || setting === '::/0') {
      ctx.log.warn(
        `ssh.cidr is ${setting}: SSH to the instances is open to the whole internet. Prefer your own address as a /32.`,
      );
    }
    return { sshCidr: setting, source: 'config' };
  }
  const url = process.env.SITE_CHECKIP_URL ?? DEFAULT_CHECKIP_URL;
  let problem: string;
  try {
    const response = await fetch(url, {
      signal: AbortSignal.any([AbortSignal.timeout(LOOKUP_TIMEOUT_MS), ctx.signal]),
    });
    const body = (await response.text()).trim();
    if (!response.ok) problem = `${url} answered HTTP ${response.status}`;
    else if (!isIpv4(body))
      problem = `${url} answered ${JSON.stringify(body.slice(0, 60))}, which is not an IPv4 address`;
    else return { sshCidr: `${body}/32`, source: 'detected' };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${LOOKUP_TIMEOUT_MS / 1000} s`
        : (error as Error).message;
    problem = `could not reach ${url} (${reason})`;
  }
  ctx.log.warn(
    `Looking up your public IP address failed: ${problem}. No SSH rule will be added to the instance security group. ${HOW_TO_SET}`,
  );
  return { sshCidr: null, source: 'lookup-failed' };
}

/** Where SSH may come from: your public IP /32 (looked up), a configured CIDR, or nowhere. Never 0.0.0.0/0 unless written. */
export function resolvePublicIp(ctx: ResourceContext): Promise<PublicIpOutput> {
  return ctx.once(PUBLIC_IP, () => lookUp(ctx));
}

export function publicIpResource(): ResourceOf<typeof PUBLIC_IP> {
  return {
    id: PUBLIC_IP,
    title: 'SSH source address',
    kind: 'data',
    dependsOn: [],
    iam: [],
    discover: (ctx) => resolvePublicIp(ctx),
    create: (ctx) => resolvePublicIp(ctx),
    async destroy() {
      // Nothing exists in AWS.
    },
    async status(_ctx, found) {
      return [{ name: 'SSH source', id: found.sshCidr ?? '-', state: found.source }];
    },
    summarize: (found) => ({ sshCidr: found.sshCidr ?? undefined }),
  };
}
