import { deleteIgnoringGone } from '@site-cli/plugin-kit';
import type { Change, ResourceOf, ResourceContext } from '@site-cli/core/plugin';
import { checkSettings } from '../config.js';
import { listenersOf, listenerTags, ownedBy } from '../elbv2.js';
import type { LoadBalancerOutput } from '@site-cli/plugin-alb/outputs';
import type { HttpsListenerOutput } from '../outputs.js';
import type { Listener } from '../types.js';

export const HTTPS_LISTENER = 'https.listener';
const LOAD_BALANCER = 'alb.load-balancer';
const TARGET_GROUP = 'alb.target-group';

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

/**
 * The policy must exist before anything is created: DescribeSSLPolicies answers SSLPolicyNotFound for a
 * name AWS does not know. Asked only when the policy would be set (a new listener, or a changed policy).
 */
async function checkPolicy(ctx: ResourceContext, sslPolicy: string): Promise<void> {
  const elbv2 = await ctx.aws.elbv2();
  try {
    await ctx.once(`https:ssl-policy:${sslPolicy}`, () => elbv2.describeSSLPolicies({ Names: [sslPolicy] }));
  } catch (error) {
    if (ctx.awsErrorCode(error) !== 'SSLPolicyNotFound') throw error;
    throw ctx.error({
      code: 'HTTPS_SSL_POLICY_UNKNOWN',
      message: `https.sslPolicy ${sslPolicy} is not a security policy of Elastic Load Balancing in ${ctx.config.region}.`,
      suggestions: [
        'List them with `aws elbv2 describe-ssl-policies --query "SslPolicies[].Name"`.',
        'Or leave https.sslPolicy out for ELBSecurityPolicy-TLS13-1-2-2021-06.',
      ],
      exitCode: 2,
      details: { key: 'https.sslPolicy', value: sslPolicy },
    });
  }
}

/** AWS's answers about the certificate, in words the user can act on. */
function certificateError(ctx: ResourceContext, error: unknown, certificateArn: string): unknown {
  if (ctx.awsErrorCode(error) !== 'CertificateNotFound') return error;
  return ctx.error({
    code: 'HTTPS_CERTIFICATE_NOT_FOUND',
    message: `The load balancer cannot use https.certificateArn ${certificateArn}: AWS says it does not exist.`,
    suggestions: [
      `Check it is an issued certificate in ${ctx.config.region}: aws acm describe-certificate --certificate-arn ${certificateArn}`,
    ],
    details: { key: 'https.certificateArn', value: certificateArn },
    cause: error,
  });
}

/** Ours by tags: on the configured port, or on another one after https.port changed. Another's: refused. */
async function find(ctx: ResourceContext, lb: LoadBalancerOutput, port: number, fresh = false) {
  const listeners = await listenersOf(ctx, lb.loadBalancerArn, fresh);
  const tags = await listenerTags(ctx, listeners, fresh);
  const onPort = listeners.find((l) => l.Port === port);
  if (onPort && !ownedBy(ctx, tags.get(onPort.ListenerArn ?? ''), HTTPS_LISTENER)) {
    throw ctx.error({
      code: 'HTTPS_LISTENER_CONFLICT',
      message: `${lb.loadBalancerName} already has a listener on port ${port} that this site's HTTPS plugin did not create; site will not adopt or change it.`,
      suggestions: ['Choose another https.port, or delete that listener if it is unused.'],
      exitCode: 2,
      details: { listenerArn: onPort.ListenerArn, port },
    });
  }
  return onPort ?? listeners.find((l) => ownedBy(ctx, tags.get(l.ListenerArn ?? ''), HTTPS_LISTENER));
}

function forwardTo(ctx: ResourceContext) {
  const tg = ctx.outputs.require(TARGET_GROUP);
  return [{ Type: 'forward' as const, TargetGroupArn: tg.targetGroupArn }];
}

async function modify(ctx: ResourceContext, listenerArn: string): Promise<HttpsListenerOutput> {
  const https = checkSettings(ctx);
  const elbv2 = await ctx.aws.elbv2();
  try {
    const { Listeners = [] } = await elbv2.modifyListener({
      ListenerArn: listenerArn,
      Port: https.port,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: https.certificateArn }],
      SslPolicy: https.sslPolicy,
      DefaultActions: forwardTo(ctx),
    });
    return toOutput(Listeners[0] ?? {});
  } catch (error) {
    throw certificateError(ctx, error, https.certificateArn);
  }
}

/** https.listener: HTTPS on https.port with the certificate and policy, forwarding to the site's target group. */
export function httpsListenerResource(): ResourceOf<typeof HTTPS_LISTENER> {
  return {
    id: HTTPS_LISTENER,
    title: 'HTTPS listener',
    kind: 'managed',
    dependsOn: [LOAD_BALANCER, TARGET_GROUP],
    iam: [
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeTags',
      'elasticloadbalancing:DescribeSSLPolicies',
      'elasticloadbalancing:CreateListener',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:ModifyListener',
      'elasticloadbalancing:DeleteListener',
    ],

    async discover(ctx) {
      const https = checkSettings(ctx);
      const lb = ctx.outputs.get(LOAD_BALANCER);
      const listener = lb ? await find(ctx, lb, https.port) : undefined;
      const found = listener ? toOutput(listener) : undefined;
      if (found?.sslPolicy !== https.sslPolicy) await checkPolicy(ctx, https.sslPolicy);
      return found;
    },

    async create(ctx) {
      const https = checkSettings(ctx);
      const lb = ctx.outputs.require(LOAD_BALANCER);
      const elbv2 = await ctx.aws.elbv2();
      try {
        const { Listeners = [] } = await elbv2.createListener({
          LoadBalancerArn: lb.loadBalancerArn,
          Protocol: 'HTTPS',
          Port: https.port,
          Certificates: [{ CertificateArn: https.certificateArn }],
          SslPolicy: https.sslPolicy,
          DefaultActions: forwardTo(ctx),
          Tags: ctx.tags.forResource(HTTPS_LISTENER, ctx.naming.derive(`https-${https.port}`)),
        });
        if (Listeners[0]) return toOutput(Listeners[0]);
      } catch (error) {
        if (ctx.awsErrorCode(error) !== 'DuplicateListener')
          throw certificateError(ctx, error, https.certificateArn);
      }
      // A retried create found its listener already there: ours by tags (or a conflict), then made to match.
      const existing = await find(ctx, lb, https.port, true);
      if (!existing?.ListenerArn) {
        throw ctx.error({
          code: 'HTTPS_LISTENER_CREATE_FAILED',
          message: `No HTTPS listener on port ${https.port} of ${lb.loadBalancerName} after CreateListener.`,
        });
      }
      return modify(ctx, existing.ListenerArn);
    },

    diff(ctx, found) {
      const https = checkSettings(ctx);
      const tg = ctx.outputs.get(TARGET_GROUP);
      const changes: Change[] = [];
      if (found.certificateArn !== https.certificateArn)
        changes.push({ field: 'certificate', from: found.certificateArn, to: https.certificateArn });
      if (found.sslPolicy !== https.sslPolicy)
        changes.push({ field: 'TLS policy', from: found.sslPolicy, to: https.sslPolicy });
      if (found.port !== https.port) changes.push({ field: 'HTTPS port', from: found.port, to: https.port });
      if (!tg || found.targetGroupArn !== tg.targetGroupArn)
        changes.push({
          field: 'HTTPS listener action',
          from: found.targetGroupArn ? `forward to ${found.targetGroupArn}` : 'not a forward',
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
          detail: `${found.certificateArn}, ${found.sslPolicy}`,
        },
      ];
    },

    summarize: (found) => ({
      listenerArn: found.listenerArn,
      port: found.port,
      certificateArn: found.certificateArn,
      sslPolicy: found.sslPolicy,
    }),
  };
}
