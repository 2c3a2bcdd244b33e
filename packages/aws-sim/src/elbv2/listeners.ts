import { certificateState } from '../acm/certificates.js';
import type { SimContext } from '../context.js';
import { type ActionDef, NO_CHANGE } from '../service.js';
import { err } from '../errors.js';
import { paginate } from '../filters.js';
import type { ListenerRec, LoadBalancerRec } from '../state.js';
import {
  actionTargetGroups,
  checkArn,
  checkTags,
  findLb,
  findListener,
  pageSize,
  syncAttachments,
  validation,
} from './common.js';
import { dropRulesOf } from './rules.js';
import { DEFAULT_SSL_POLICY, knownSslPolicy, sslPolicyNotFound } from './ssl-policies.js';

function listenerOut(l: ListenerRec) {
  return {
    ListenerArn: l.arn,
    LoadBalancerArn: l.lbArn,
    Port: l.port,
    Protocol: l.protocol,
    // DescribeListeners names the default certificate only, without IsDefault (DescribeListenerCertificates has it).
    Certificates: l.certificates?.map((c) => ({ CertificateArn: c.CertificateArn })),
    SslPolicy: l.sslPolicy,
    DefaultActions: l.defaultActions,
  };
}

/** Validates actions and fills in the defaults AWS echoes back. */
export function normalizeActions(
  ctx: SimContext,
  lb: LoadBalancerRec,
  actions: any[] | undefined,
  listenerProtocol: string,
): any[] {
  if (!actions?.length)
    throw validation(
      "1 validation error detected: Value null at 'defaultActions' failed to satisfy constraint: Member must not be null",
    );
  return actions.map((a, idx) => {
    const order = a.Order ?? idx + 1;
    switch (a.Type) {
      case 'forward': {
        const arns = actionTargetGroups(a);
        if (!arns.length) throw validation('A target group ARN must be specified for a forward action');
        for (const arn of arns) {
          checkArn(arn, 'targetgroup');
          const tg = ctx.state.targetGroups.find((t) => t.arn === arn);
          if (!tg) throw err('TargetGroupNotFound', `Target group '${arn}' not found`);
          if (tg.vpcId && tg.vpcId !== lb.vpcId)
            throw validation(`Target group '${arn}' and load balancer '${lb.arn}' must be in the same VPC`);
          if (tg.protocol && !['HTTP', 'HTTPS'].includes(tg.protocol))
            throw err(
              'IncompatibleProtocols',
              `The target group protocol '${tg.protocol}' is incompatible with application load balancers`,
            );
        }
        const weights = a.ForwardConfig?.TargetGroups ?? arns.map((arn) => ({ TargetGroupArn: arn }));
        return {
          Type: 'forward',
          TargetGroupArn: arns.length === 1 ? arns[0] : undefined,
          Order: a.Order,
          ForwardConfig: {
            TargetGroups: weights.map((w: any) => ({
              TargetGroupArn: w.TargetGroupArn,
              Weight: w.Weight ?? 1,
            })),
            TargetGroupStickinessConfig: {
              Enabled: a.ForwardConfig?.TargetGroupStickinessConfig?.Enabled ?? false,
            },
          },
        };
      }
      case 'redirect': {
        const r = a.RedirectConfig;
        if (!r?.StatusCode || !['HTTP_301', 'HTTP_302'].includes(r.StatusCode))
          throw validation('A redirect status code (HTTP_301 or HTTP_302) must be specified');
        checkRedirect(r, listenerProtocol);
        return {
          Type: 'redirect',
          Order: order,
          RedirectConfig: {
            Protocol: r.Protocol ?? '#{protocol}',
            Port: r.Port ?? '#{port}',
            Host: r.Host ?? '#{host}',
            Path: r.Path ?? '/#{path}',
            Query: r.Query ?? '#{query}',
            StatusCode: r.StatusCode,
          },
        };
      }
      case 'fixed-response': {
        const f = a.FixedResponseConfig;
        if (!f?.StatusCode || !/^[2-5]\d\d$/.test(f.StatusCode))
          throw validation('A fixed-response status code must be specified (2XX, 4XX or 5XX)');
        return {
          Type: 'fixed-response',
          Order: order,
          FixedResponseConfig: {
            StatusCode: f.StatusCode,
            ContentType: f.ContentType,
            MessageBody: f.MessageBody,
          },
        };
      }
      default:
        throw err('InvalidLoadBalancerAction', `Action type '${a.Type}' is not supported by aws-sim`);
    }
  });
}

/** RedirectActionConfig rules from the API reference: valid parts, no HTTPS → HTTP, no redirect loop. */
function checkRedirect(r: any, listenerProtocol: string): void {
  if (r.Protocol !== undefined && !['HTTP', 'HTTPS', '#{protocol}'].includes(r.Protocol))
    throw validation(`The redirect protocol '${r.Protocol}' is not valid; use HTTP, HTTPS or #{protocol}`);
  if (r.Port !== undefined && r.Port !== '#{port}') {
    const port = Number(r.Port);
    if (!/^\d+$/.test(r.Port) || port < 1 || port > 65535)
      throw validation(`The redirect port '${r.Port}' is not valid; use a port from 1 to 65535 or #{port}`);
  }
  if (r.Path !== undefined && !r.Path.startsWith('/'))
    throw validation(`The redirect path '${r.Path}' must start with '/'`);
  if (listenerProtocol === 'HTTPS' && r.Protocol === 'HTTP')
    throw err('InvalidLoadBalancerAction', 'You cannot redirect HTTPS to HTTP');
  const unchanged = (v: string | undefined, keyword: string) => v === undefined || v === keyword;
  if (
    unchanged(r.Protocol, '#{protocol}') &&
    unchanged(r.Host, '#{host}') &&
    unchanged(r.Port, '#{port}') &&
    unchanged(r.Path, '/#{path}')
  )
    throw err(
      'InvalidLoadBalancerAction',
      'A redirect must change at least one of protocol, host, port or path, or it would loop',
    );
}

const CERTIFICATE_ARN = (region: string) =>
  new RegExp(`^arn:aws[a-z-]*:acm:${region}:\\d{12}:certificate/[A-Za-z0-9-]+$`);
const IAM_CERTIFICATE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:server-certificate\/.+$/;

/**
 * A certificate of the simulator's ACM must be issued (AWS answers one still pending validation as not found).
 * An ACM ARN of the region that the simulator's ACM never issued (a certificate made outside it), or an IAM
 * server certificate ARN, is taken as an issued certificate; anything else is CertificateNotFound.
 */
function checkCertificates(ctx: SimContext, certificates: any[] | undefined): { CertificateArn: string }[] {
  if (!certificates?.length) throw validation('A certificate must be specified for HTTPS listeners');
  if (certificates.length > 1)
    throw validation('Only one default certificate can be specified for a listener');
  const arn = certificates[0]?.CertificateArn;
  if (!arn) throw validation('A certificate ARN must be specified');
  if (!CERTIFICATE_ARN(ctx.state.region).test(arn) && !IAM_CERTIFICATE_ARN.test(arn))
    throw err('CertificateNotFound', `Certificate '${arn}' not found`);
  const own = ctx.state.certificates?.find((c) => c.arn === arn);
  if (own && certificateState(ctx, own).status !== 'ISSUED')
    throw err('CertificateNotFound', `Certificate '${arn}' not found`);
  return [{ CertificateArn: arn }];
}

/** The TLS settings of a listener with this protocol: certificate and policy for HTTPS, nothing for HTTP. */
function tlsSettings(
  ctx: SimContext,
  protocol: string,
  input: any,
  current?: ListenerRec,
): Pick<ListenerRec, 'certificates' | 'sslPolicy'> {
  if (protocol !== 'HTTPS') {
    if (input.Certificates?.length)
      throw validation(`Certificates cannot be specified for ${protocol} listeners`);
    if (input.SslPolicy) throw validation(`An SSL policy cannot be specified for ${protocol} listeners`);
    return { certificates: undefined, sslPolicy: undefined };
  }
  const certificates = checkCertificates(ctx, input.Certificates ?? current?.certificates);
  const sslPolicy = input.SslPolicy ?? current?.sslPolicy ?? DEFAULT_SSL_POLICY;
  if (!knownSslPolicy(sslPolicy)) throw sslPolicyNotFound(sslPolicy);
  return { certificates, sslPolicy };
}

function checkProtocolPort(input: any): void {
  if (input.Protocol !== undefined && !['HTTP', 'HTTPS'].includes(input.Protocol))
    throw err(
      'UnsupportedProtocol',
      `Protocol '${input.Protocol}' is not supported for application load balancers`,
    );
  if (input.Port !== undefined && (input.Port < 1 || input.Port > 65535))
    throw validation(
      `1 validation error detected: Value '${input.Port}' at 'port' failed to satisfy constraint: Member must have value between 1 and 65535`,
    );
  if (input.Protocol === 'HTTPS' && !input.Certificates?.length)
    throw validation('A certificate must be specified for HTTPS listeners');
}

export const listenerActions: Record<string, ActionDef> = {
  CreateListener: {
    mutating: true,
    fn(ctx, input) {
      const lb = findLb(ctx, input.LoadBalancerArn);
      if (input.Port === undefined) throw validation('A listener port must be specified');
      const protocol = input.Protocol ?? 'HTTP';
      checkProtocolPort({ ...input, Protocol: protocol });
      const tls = tlsSettings(ctx, protocol, input);
      const actions = normalizeActions(ctx, lb, input.DefaultActions, protocol);
      checkTags(input.Tags);
      const existing = ctx.state.listeners.find((l) => l.lbArn === lb.arn && l.port === input.Port);
      if (existing) {
        // The same listener asked for again is an idempotent replay, not a duplicate.
        if (
          existing.protocol === protocol &&
          JSON.stringify(existing.defaultActions) === JSON.stringify(actions) &&
          JSON.stringify([existing.certificates, existing.sslPolicy]) ===
            JSON.stringify([tls.certificates, tls.sslPolicy])
        )
          return { Listeners: [listenerOut(existing)], [NO_CHANGE]: true };
        throw err('DuplicateListener', 'A listener already exists on this port for this load balancer');
      }
      if (ctx.state.listeners.filter((l) => l.lbArn === lb.arn).length >= 50)
        throw err(
          'TooManyListeners',
          'You have reached the limit on the number of listeners per load balancer',
        );
      const lbPath = lb.arn.split(':loadbalancer/')[1];
      const l: ListenerRec = {
        arn: `arn:aws:elasticloadbalancing:${ctx.state.region}:${ctx.state.accountId}:listener/${lbPath}/${ctx.ids.arnSuffix()}`,
        lbArn: lb.arn,
        port: input.Port,
        protocol,
        defaultActions: actions,
        ...tls,
        createdAt: ctx.now(),
      };
      ctx.state.listeners.push(l);
      ctx.setTags(l.arn, input.Tags);
      syncAttachments(ctx, lb.arn);
      return { Listeners: [listenerOut(l)] };
    },
  },
  DescribeListeners: {
    mutating: false,
    fn(ctx, input) {
      const arns: string[] = input.ListenerArns ?? [];
      if (!arns.length && !input.LoadBalancerArn)
        throw validation('You must specify either listener ARNs or a load balancer ARN');
      if (arns.length && input.LoadBalancerArn)
        throw validation('Listener ARNs and a load balancer ARN cannot be specified at the same time');
      let ls: ListenerRec[];
      if (input.LoadBalancerArn) {
        const lb = findLb(ctx, input.LoadBalancerArn);
        ls = ctx.state.listeners.filter((l) => l.lbArn === lb.arn && !ctx.fresh(l.createdAt));
      } else {
        arns.forEach((a) => checkArn(a, 'listener'));
        if (arns.some((a) => !ctx.state.listeners.some((l) => l.arn === a && !ctx.fresh(l.createdAt))))
          throw err('ListenerNotFound', 'One or more listeners not found');
        ls = ctx.state.listeners.filter((l) => arns.includes(l.arn));
      }
      const { page, next } = paginate(ls, pageSize(input.PageSize), input.Marker, 'ValidationError');
      return { Listeners: page.map(listenerOut), NextMarker: next };
    },
  },
  ModifyListener: {
    mutating: true,
    fn(ctx, input) {
      const l = findListener(ctx, input.ListenerArn);
      const lb = ctx.state.loadBalancers.find((x) => x.arn === l.lbArn)!;
      checkProtocolPort(input);
      const protocol = input.Protocol ?? l.protocol;
      // Switching to HTTP drops the certificate and policy; switching to HTTPS needs them (the policy defaults).
      const tls = tlsSettings(ctx, protocol, input, protocol === l.protocol ? l : undefined);
      if (
        input.Port !== undefined &&
        input.Port !== l.port &&
        ctx.state.listeners.some((x) => x.lbArn === l.lbArn && x.port === input.Port)
      )
        throw err('DuplicateListener', 'A listener already exists on this port for this load balancer');
      const actions = input.DefaultActions?.length
        ? normalizeActions(ctx, lb, input.DefaultActions, protocol)
        : protocol !== l.protocol
          ? normalizeActions(ctx, lb, l.defaultActions, protocol)
          : l.defaultActions;
      if (input.Port !== undefined) l.port = input.Port;
      l.protocol = protocol;
      l.certificates = tls.certificates;
      l.sslPolicy = tls.sslPolicy;
      l.defaultActions = actions;
      syncAttachments(ctx, l.lbArn);
      return { Listeners: [listenerOut(l)] };
    },
  },
  DeleteListener: {
    mutating: true,
    fn(ctx, input) {
      const l = findListener(ctx, input.ListenerArn);
      ctx.state.listeners = ctx.state.listeners.filter((x) => x !== l);
      delete ctx.state.tags[l.arn];
      dropRulesOf(ctx, [l.arn]);
      syncAttachments(ctx, l.lbArn);
      return {};
    },
  },
};
