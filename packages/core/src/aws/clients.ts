import type { AutoScaling } from '@aws-sdk/client-auto-scaling';
import type { EC2 } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingV2 } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { STS } from '@aws-sdk/client-sts';
import type { Pricing } from '@aws-sdk/client-pricing';
import { annotateAwsError } from './errors.js';

export type { AutoScaling } from '@aws-sdk/client-auto-scaling';
export type { EC2 } from '@aws-sdk/client-ec2';
export type { ElasticLoadBalancingV2 } from '@aws-sdk/client-elastic-load-balancing-v2';
export type { STS } from '@aws-sdk/client-sts';
export type { Pricing } from '@aws-sdk/client-pricing';

/** Where and as whom AWS is called. */
export interface AwsSettings {
  region: string;
  profile?: string;
  /** One endpoint for every service (AWS_ENDPOINT_URL, --endpoint-url). */
  endpoint?: string;
  /** Service-specific overrides (AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2). */
  ec2Endpoint?: string;
  elbv2Endpoint?: string;
  /** AWS_ENDPOINT_URL_STS. */
  stsEndpoint?: string;
  /** AWS_ENDPOINT_URL_PRICING. */
  pricingEndpoint?: string;
  /** AWS_ENDPOINT_URL_AUTO_SCALING. */
  autoScalingEndpoint?: string;
  /** Static credentials (the sandbox's dummy ones); otherwise the default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
}

/**
 * The AWS clients of one run, made once and only when first used: importing the SDK costs
 * about 0.6 s, which commands that never call AWS must not pay.
 */
export interface AwsClients {
  readonly settings: AwsSettings;
  ec2(): Promise<EC2>;
  elbv2(): Promise<ElasticLoadBalancingV2>;
  /** STS, for `site doctor`'s GetCallerIdentity (the regional endpoint, as SDK v3 calls by default). */
  sts(): Promise<STS>;
  /** The Price List Query API, for `site cost --refresh`: its us-east-1 endpoint, whatever the site's region. */
  pricing(): Promise<Pricing>;
  /** EC2 Auto Scaling, for instance.scaling's group, policy and instance refresh. */
  autoScaling(): Promise<AutoScaling>;
}

export function createAwsClients(settings: AwsSettings): AwsClients {
  let ec2: Promise<EC2> | undefined;
  let elbv2: Promise<ElasticLoadBalancingV2> | undefined;
  let sts: Promise<STS> | undefined;
  let pricing: Promise<Pricing> | undefined;
  let autoScaling: Promise<AutoScaling> | undefined;
  // The SDK warns on Node 20 about releases after January 2027; our lockfile pins the ones we test.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const common = async () => ({
    region: settings.region,
    profile: settings.profile,
    credentials: settings.credentials,
    retryMode: 'standard',
    maxAttempts: settings.maxAttempts ?? 5,
  });
  return {
    settings,
    ec2() {
      ec2 ??= (async () => {
        const { EC2 } = await import('@aws-sdk/client-ec2');
        const endpoint = settings.ec2Endpoint ?? settings.endpoint;
        return nameFailedCalls(new EC2({ ...(await common()), endpoint }), 'ec2', {
          endpoint: endpoint ?? `https://ec2.${settings.region}.amazonaws.com`,
          profile: settings.profile,
        });
      })();
      return ec2;
    },
    elbv2() {
      elbv2 ??= (async () => {
        const { ElasticLoadBalancingV2 } = await import('@aws-sdk/client-elastic-load-balancing-v2');
        const endpoint = settings.elbv2Endpoint ?? settings.endpoint;
        return nameFailedCalls(
          new ElasticLoadBalancingV2({ ...(await common()), endpoint }),
          'elasticloadbalancing',
          {
            endpoint: endpoint ?? `https://elasticloadbalancing.${settings.region}.amazonaws.com`,
            profile: settings.profile,
          },
        );
      })();
      return elbv2;
    },
    sts() {
      sts ??= (async () => {
        const { STS } = await import('@aws-sdk/client-sts');
        const endpoint = settings.stsEndpoint ?? settings.endpoint;
        return nameFailedCalls(new STS({ ...(await common()), endpoint }), 'sts', {
          endpoint: endpoint ?? `https://sts.${settings.region}.amazonaws.com`,
          profile: settings.profile,
        });
      })();
      return sts;
    },
    pricing() {
      pricing ??= (async () => {
        const { Pricing } = await import('@aws-sdk/client-pricing');
        const endpoint = settings.pricingEndpoint ?? settings.endpoint;
        // The API answers in us-east-1 (also eu-central-1, ap-south-1) for prices of every region.
        return nameFailedCalls(
          new Pricing({ ...(await common()), region: 'us-east-1', endpoint }),
          'pricing',
          {
            endpoint: endpoint ?? 'https://api.pricing.us-east-1.amazonaws.com',
            profile: settings.profile,
          },
        );
      })();
      return pricing;
    },
    autoScaling() {
      autoScaling ??= (async () => {
        const { AutoScaling } = await import('@aws-sdk/client-auto-scaling');
        const endpoint = settings.autoScalingEndpoint ?? settings.endpoint;
        return nameFailedCalls(new AutoScaling({ ...(await common()), endpoint }), 'autoscaling', {
          endpoint: endpoint ?? `https://autoscaling.${settings.region}.amazonaws.com`,
          profile: settings.profile,
        });
      })();
      return autoScaling;
    },
  };
}

type MiddlewareClient = {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
};

/**
 * Every failed call remembers its IAM action ('ec2:RunInstances'), endpoint and profile, so an
 * AccessDenied or an unreachable endpoint is reported by name whatever the message says.
 */
function nameFailedCalls<T>(client: T, iamPrefix: string, where: { endpoint: string; profile?: string }): T {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const action = `${iamPrefix}:${(context.commandName ?? '').replace(/Command$/, '')}`;
        annotateAwsError(error, { action, ...where });
        throw error;
      }
    },
    { step: 'initialize', name: 'siteNameFailedCalls' },
  );
  return client;
}
