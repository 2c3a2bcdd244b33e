import type { IAM } from '@aws-sdk/client-iam';
import type { S3 } from '@aws-sdk/client-s3';
import type { ResourceContext } from '@site-cli/core/plugin';

/**
 * S3 and IAM clients, made once a run from the core's AWS settings (region, profile, endpoint, credentials) and
 * only when first used: the SDKs load lazily, so commands and sites without `source.dir` never pay for them.
 */

function clientConfig(ctx: ResourceContext, serviceEndpoint: string | undefined) {
  const settings = ctx.aws.settings;
  const endpoint = serviceEndpoint ?? settings.endpoint;
  return {
    region: settings.region,
    profile: settings.profile,
    credentials: settings.credentials,
    endpoint,
    retryMode: 'standard',
    maxAttempts: settings.maxAttempts ?? 5,
  };
}

export function s3Client(ctx: ResourceContext): Promise<S3> {
  return ctx.once('storage:s3-client', async () => {
    const { S3 } = await import('@aws-sdk/client-s3');
    const config = clientConfig(ctx, process.env.AWS_ENDPOINT_URL_S3);
    // An emulator's one endpoint has no per-bucket host names: address buckets by path there.
    // Checksums only where S3 requires one (DeleteObjects): the most portable request for emulators too.
    return new S3({
      ...config,
      forcePathStyle: config.endpoint !== undefined,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  });
}

export function iamClient(ctx: ResourceContext): Promise<IAM> {
  return ctx.once('storage:iam-client', async () => {
    const { IAM } = await import('@aws-sdk/client-iam');
    // IAM is global: its one endpoint lives in us-east-1 (aws partition), whatever the site's region.
    const config = clientConfig(ctx, process.env.AWS_ENDPOINT_URL_IAM);
    return new IAM({ ...config, region: partitionOf(config.region) === 'aws' ? 'us-east-1' : config.region });
  });
}

/** The account the credentials belong to (STS GetCallerIdentity needs no permission). */
export function accountId(ctx: ResourceContext): Promise<string> {
  return ctx.once('storage:account-id', async () => {
    const sts = await ctx.aws.sts();
    const { Account } = await sts.getCallerIdentity({});
    if (!Account) throw new Error('STS GetCallerIdentity answered without an account id');
    return Account;
  });
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** S3's rules for a bucket name (S3 User Guide, "General purpose bucket naming rules"). */
export const BUCKET_NAME_MAX = 63;

/** Why S3 would refuse this name, or undefined. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > BUCKET_NAME_MAX)
    return `${name.length} characters; S3 allows 3 to ${BUCKET_NAME_MAX}`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'only lowercase letters, digits, dots and hyphens';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name))
    return 'a prefix S3 reserves (xn--, sthree-, amzn-s3-demo-)';
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) return 'a suffix S3 reserves';
  return undefined;
}

export const CONTENT_POLICY_NAME = 'site-content-read';
export const POINTER_KEY = 'current.json';
export const RELEASES_PREFIX = 'releases/';
/** The user metadata (x-amz-meta-sha256) every release carries: the zip's sha256, for a pointer to it. */
export const SHA256_METADATA = 'sha256';
