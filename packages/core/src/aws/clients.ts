import type { EC2 } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingV2 } from '@aws-sdk/client-elastic-load-balancing-v2';

export type { EC2 } from '@aws-sdk/client-ec2';
export type { ElasticLoadBalancingV2 } from '@aws-sdk/client-elastic-load-balancing-v2';

/** Where and as whom AWS is called. */
export interface AwsSettings {
  region: string;
  profile?: string;
  /** One endpoint for every service (AWS_ENDPOINT_URL, --endpoint-url). */
  endpoint?: string;
  /** Service-specific overrides (AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2). */
  ec2Endpoint?: string;
  elbv2Endpoint?: string;
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
}

export function createAwsClients(settings: AwsSettings): AwsClients {
  let ec2: Promise<EC2> | undefined;
  let elbv2: Promise<ElasticLoadBalancingV2> | undefined;
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
        return new EC2({ ...(await common()), endpoint: settings.ec2Endpoint ?? settings.endpoint });
      })();
      return ec2;
    },
    elbv2() {
      elbv2 ??= (async () => {
        const { ElasticLoadBalancingV2 } = await import('@aws-sdk/client-elastic-load-balancing-v2');
        return new ElasticLoadBalancingV2({
          ...(await common()),
          endpoint: settings.elbv2Endpoint ?? settings.endpoint,
        });
      })();
      return elbv2;
    },
  };
}
