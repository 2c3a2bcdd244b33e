import type { ActionDef } from '../service.js';
import { err } from '../errors.js';
import { paginate } from '../filters.js';
import { pageSize } from './common.js';

/** What CreateListener uses when an HTTPS listener names no policy (API, CLI and CloudFormation; not the console). */
export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08';

const TLS13_CIPHERS = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const ECDHE_GCM = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
];
const ECDHE_TLS12 = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES128-SHA256',
  'ECDHE-RSA-AES128-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES256-SHA384',
  'ECDHE-RSA-AES256-SHA384',
];

interface PolicyDef {
  name: string;
  protocols: string[];
  ciphers: string[];
}

/** A small, realistic subset of the predefined policies (AWS has ~30; custom policies do not exist for ALBs). */
const POLICIES: PolicyDef[] = [
  {
    name: 'ELBSecurityPolicy-2016-08',
    protocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2'],
    ciphers: [
      'ECDHE-ECDSA-AES128-GCM-SHA256',
      'ECDHE-RSA-AES128-GCM-SHA256',
      'ECDHE-ECDSA-AES128-SHA256',
      'ECDHE-RSA-AES128-SHA256',
      'ECDHE-ECDSA-AES128-SHA',
      'ECDHE-RSA-AES128-SHA',
      'ECDHE-ECDSA-AES256-GCM-SHA384',
      'ECDHE-RSA-AES256-GCM-SHA384',
      'ECDHE-ECDSA-AES256-SHA384',
      'ECDHE-RSA-AES256-SHA384',
      'ECDHE-RSA-AES256-SHA',
      'ECDHE-ECDSA-AES256-SHA',
      'AES128-GCM-SHA256',
      'AES128-SHA256',
      'AES128-SHA',
      'AES256-GCM-SHA384',
      'AES256-SHA256',
      'AES256-SHA',
    ],
  },
  {
    name: 'ELBSecurityPolicy-TLS-1-2-2017-01',
    protocols: ['TLSv1.2'],
    ciphers: [...ECDHE_TLS12, 'AES128-GCM-SHA256', 'AES128-SHA256', 'AES256-GCM-SHA384', 'AES256-SHA256'],
  },
  {
    name: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    protocols: ['TLSv1.2', 'TLSv1.3'],
    ciphers: [...TLS13_CIPHERS, ...ECDHE_TLS12],
  },
  {
    name: 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
    protocols: ['TLSv1.2', 'TLSv1.3'],
    ciphers: [...TLS13_CIPHERS, ...ECDHE_GCM],
  },
  {
    name: 'ELBSecurityPolicy-TLS13-1-3-2021-06',
    protocols: ['TLSv1.3'],
    ciphers: TLS13_CIPHERS,
  },
];

/** The TLS versions a policy allows ('TLSv1.2', …), or undefined for a policy the simulator does not know. */
export function sslPolicyProtocols(name: string): string[] | undefined {
  return POLICIES.find((p) => p.name === name)?.protocols;
}

export function knownSslPolicy(name: string): boolean {
  return POLICIES.some((p) => p.name === name);
}

/** SSLPolicyNotFound, as CreateListener, ModifyListener and DescribeSSLPolicies answer an unknown name. */
export function sslPolicyNotFound(name: string) {
  return err('SSLPolicyNotFound', `SSL policy '${name}' not found`);
}

function policyOut(p: PolicyDef) {
  return {
    Name: p.name,
    SslProtocols: p.protocols,
    Ciphers: p.ciphers.map((Name, i) => ({ Name, Priority: i + 1 })),
    SupportedLoadBalancerTypes: ['application', 'network'],
  };
}

export const sslPolicyActions: Record<string, ActionDef> = {
  DescribeSSLPolicies: {
    mutating: false,
    fn(_ctx, input) {
      const names: string[] = input.Names ?? [];
      const unknown = names.find((n) => !knownSslPolicy(n));
      if (unknown !== undefined) throw sslPolicyNotFound(unknown);
      const type = input.LoadBalancerType;
      if (type !== undefined && !['application', 'network', 'gateway'].includes(type))
        throw err(
          'ValidationError',
          `1 validation error detected: Value '${type}' at 'loadBalancerType' failed to satisfy constraint: Member must satisfy enum value set: [application, gateway, network]`,
        );
      const policies = POLICIES.filter((p) => !names.length || names.includes(p.name)).filter(
        () => type !== 'gateway',
      );
      const { page, next } = paginate(policies, pageSize(input.PageSize), input.Marker, 'ValidationError');
      return { SslPolicies: page.map(policyOut), NextMarker: next };
    },
  },
};
