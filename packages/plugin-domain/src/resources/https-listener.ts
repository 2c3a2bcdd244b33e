import { deleteIgnoringGone } from '@site-cli/plugin-kit';
import type { Change, ResourceOf, ResourceContext } from '@site-cli/core/plugin';
import type { Listener } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LoadBalancerOutput } from '@site-cli/plugin-alb/outputs';
import { checkSettings, domainConfig, HTTPS_PORT, namesOf, SSL_POLICY } from '../config.js';
import { memoryTags, rememberedDomain } from '../remembered.js';
import { listenersOf, ownedBy, tagsByArn } from '../elbv2.js';
import type { HttpsListenerOutput } from '../outputs.js';

export const HTTPS_LISTENER = 'domain.https-listener';

function toOutput(listener: Listener): HttpsListenerOutput {
  const action = listener.DefaultActions?.[0];
  return {
    listenerArn: listener.ListenerArn ?? '',
    port: listener.Port ?? 0,
    certificateArn: listener.Certificates?.[0]?.CertificateArn ?? '',
    sslPolicy: listener.SslPolicy ?? '',
    targetGroupArn:
      action?.Type === 'forward'
        ? (action.TargetGroupArn ?? action.ForwardConfig?.TargetGroups?.[0]?.TargetGroupArn)
        : undefined,
  };
}

/** The listener on 443: ours by tags, or a conflict (another plugin's or the user's; site never adopts it). */
async function find(
  ctx: ResourceContext,
  lb: LoadBalancerOutput,
  fresh = false,
): Promise<Listener | undefined> {
  const listeners = await listenersOf(ctx, lb.loadBalancerArn, fresh);
  const onPort = listeners.find((l) => l.Port === HTTPS_PORT);
  if (!onPort?.ListenerArn) return undefined;
  const tags = await tagsByArn(ctx, [onPort.ListenerArn]);
  if (ownedBy(ctx, tags.get(onPort.ListenerArn), HTTPS_LISTENER)) return onPort;
  throw ctx.error({
    code: 'DOMAIN_LISTENER_CONFLICT',
    message: `${lb.loadBalancerName} already has a listener on port ${HTTPS_PORT} that domain did not create (${tags.get(onPort.ListenerArn)?.['site:resource'] ?? 'not this site'}); site will not adopt or change it.`,
    suggestions: [
      'If @site-cli/plugin-https made it, remove the https section and run `site deploy` (it deletes that listener) before adding domain.',
      'Otherwise delete that listener if it is unused.',
    ],
    exitCode: 2,
    details: { listenerArn: onPort.ListenerArn, port: HTTPS_PORT },
  });
}

const forwardTo = (ctx: ResourceContext) => [
  { Type: 'forward' as const, TargetGroupArn: ctx.outputs.require('alb.target-group').targetGroupArn },
];

const certificateArnOf = (ctx: ResourceContext) => ctx.outputs.require('domain.certificate').certificateArn;

async function modify(ctx: ResourceContext, listenerArn: string): Promise<HttpsListenerOutput> {
  const elbv2 = await ctx.aws.elbv2();
  const { Listeners = [] } = await elbv2.modifyListener({
    ListenerArn: listenerArn,
    Port: HTTPS_PORT,
    Protocol: 'HTTPS',
    Certificates: [{ CertificateArn: certificateArnOf(ctx) }],
    SslPolicy: SSL_POLICY,
    DefaultActions: forwardTo(ctx),
  });
  return toOutput(Listeners[0] ?? {});
}

/** domain.https-listener: HTTPS on 443 with the issued certificate and a TLS 1.3/1.2 policy, forwarding to the site. */
export function httpsListenerResource(givenCertificate = false): ResourceOf<typeof HTTPS_LISTENER> {
  return {
    id: HTTPS_LISTENER,
    title: 'HTTPS listener',
    kind: 'managed',
    // The validation records' create ends when the certificate is issued: a listener takes issued ones only.
    dependsOn: [
      'alb.load-balancer',
      'alb.target-group',
      'domain.zone',
      'domain.certificate',
      'domain.ingress',
      ...(givenCertificate ? [] : (['domain.validation-records'] as const)),
    ],
    iam: [
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeTags',
      'elasticloadbalancing:CreateListener',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:ModifyListener',
      'elasticloadbalancing:DeleteListener',
    ],

    async discover(ctx) {
      if (!domainConfig(ctx.config)) {
        const remembered = await rememberedDomain(ctx);
        const lb = ctx.outputs.get('alb.load-balancer');
        if (!remembered || !lb) return undefined;
        const listener = (await listenersOf(ctx, lb.loadBalancerArn)).find(
          (l) => l.ListenerArn === remembered.listenerArn,
        );
        return listener ? toOutput(listener) : undefined;
      }
      checkSettings(ctx);
      const lb = ctx.outputs.get('alb.load-balancer');
      const listener = lb ? await find(ctx, lb) : undefined;
      return listener ? toOutput(listener) : undefined;
    },

    async create(ctx) {
      const lb = ctx.outputs.require('alb.load-balancer');
      const elbv2 = await ctx.aws.elbv2();
      try {
        const { Listeners = [] } = await elbv2.createListener({
          LoadBalancerArn: lb.loadBalancerArn,
          Protocol: 'HTTPS',
          Port: HTTPS_PORT,
          Certificates: [{ CertificateArn: certificateArnOf(ctx) }],
          SslPolicy: SSL_POLICY,
          DefaultActions: forwardTo(ctx),
          // The zone and names ride on the listener: how a site that drops `domain:` finds its records again.
          Tags: ctx.tags.forResource(
            HTTPS_LISTENER,
            ctx.naming.derive(`https-${HTTPS_PORT}`),
            memoryTags(ctx.outputs.require('domain.zone').zoneId, namesOf(checkSettings(ctx))),
          ),
        });
        if (Listeners[0]) return toOutput(Listeners[0]);
      } catch (error) {
        if (!ctx.isAwsError(error, 'DuplicateListener')) throw error;
      }
      // A retried create found its listener there: ours by tags (or a conflict), made to match.
      const existing = await find(ctx, lb, true);
      if (!existing?.ListenerArn)
        throw ctx.error({
          code: 'DOMAIN_LISTENER_CREATE_FAILED',
          message: `No listener on port ${HTTPS_PORT} of ${lb.loadBalancerName} after CreateListener.`,
        });
      return modify(ctx, existing.ListenerArn);
    },

    diff(ctx, found) {
      const changes: Change[] = [];
      const certificate = ctx.outputs.get('domain.certificate');
      const tg = ctx.outputs.get('alb.target-group');
      if (!certificate || found.certificateArn !== certificate.certificateArn)
        changes.push({
          field: 'certificate',
          from: found.certificateArn,
          to: certificate?.certificateArn ?? 'a new certificate',
        });
      if (found.sslPolicy !== SSL_POLICY)
        changes.push({ field: 'TLS policy', from: found.sslPolicy, to: SSL_POLICY });
      if (!tg || found.targetGroupArn !== tg.targetGroupArn)
        changes.push({
          field: 'HTTPS listener action',
          from: found.targetGroupArn ?? 'not a forward',
          to: `forward to ${tg?.targetGroupName ?? ctx.naming.targetGroup}`,
        });
      return changes;
    },

    update: (ctx, found) => modify(ctx, found.listenerArn),

    async destroy(ctx, found) {
      const elbv2 = await ctx.aws.elbv2();
      await deleteIgnoringGone(
        () => elbv2.deleteListener({ ListenerArn: found.listenerArn }),
        'ListenerNotFound',
      );
    },

    async status(_ctx, found) {
      return [
        {
          name: `HTTPS:${found.port}`,
          id: found.listenerArn,
          state: found.targetGroupArn ? 'forward' : 'other',
          detail: `${found.sslPolicy}, ${found.certificateArn}`,
        },
      ];
    },

    summarize: (found) => ({ listenerArn: found.listenerArn, port: found.port }),
  };
}
