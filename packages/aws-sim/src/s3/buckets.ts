import type { SimContext } from '../context.js';
import { NO_CHANGE } from '../service.js';
import type { BucketRec } from '../state.js';
import { bucketOf, bucketsOf, ownerOf, s3Error } from './common.js';

/**
 * Names other AWS accounts hold (S3's namespace is shared by every account; these common ones are long
 * taken): creating one is BucketAlreadyExists. The simulator has one account, so this stands for the others.
 */
const HELD_BY_OTHER_ACCOUNTS = new Set(['bucket', 'test', 'example', 'my-bucket', 'mybucket', 'test-bucket']);

/** Why a name breaks S3's general purpose bucket naming rules (S3 User Guide, "Bucket naming rules"), if it does. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be between 3 and 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'can consist only of lowercase letters, numbers, dots and hyphens';
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'must begin and end with a letter or number';
  if (name.includes('..')) return 'must not contain two adjacent periods';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'must not be formatted as an IP address';
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-'])
    if (name.startsWith(prefix)) return `must not start with the prefix ${prefix}`;
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'])
    if (name.endsWith(suffix)) return `must not end with the suffix ${suffix}`;
  return undefined;
}

/** The encryption every new bucket has had since January 2023: SSE-S3 (AES256). */
export const DEFAULT_ENCRYPTION = {
  Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
};

/** Block Public Access, all four on: every new bucket's since April 2023. */
export const ALL_BLOCKED = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

export function createBucket(ctx: SimContext, input: any) {
  const name: string = input.Bucket ?? '';
  const problem = bucketNameProblem(name);
  if (problem)
    throw s3Error('InvalidBucketName', `The specified bucket is not valid: the name ${problem}.`, {
      BucketName: name,
    });
  const region = ctx.state.region;
  const constraint: string | undefined = input.CreateBucketConfiguration?.LocationConstraint || undefined;
  // The regional endpoint takes only its own region; us-east-1's is the one without a constraint.
  if (constraint === 'us-east-1')
    throw s3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', {
      LocationConstraint: constraint,
    });
  if ((constraint ?? 'us-east-1') !== region)
    throw s3Error(
      'IllegalLocationConstraintException',
      `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  if (HELD_BY_OTHER_ACCOUNTS.has(name))
    throw s3Error(
      'BucketAlreadyExists',
      'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
      { BucketName: name },
      409,
    );
  const existing = bucketsOf(ctx.state).find((b) => b.name === name);
  if (existing) {
    // us-east-1 answers 200 to its owner re-creating a bucket, for legacy compatibility; other regions refuse.
    if (region === 'us-east-1') return { Location: `/${name}`, [NO_CHANGE]: true };
    throw s3Error(
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      { BucketName: name },
      409,
    );
  }
  const bucket: BucketRec = {
    name,
    region,
    createdAt: ctx.now(),
    publicAccessBlock: { ...ALL_BLOCKED },
    encryption: structuredClone(DEFAULT_ENCRYPTION),
    objects: [],
  };
  bucketsOf(ctx.state).push(bucket);
  return { Location: region === 'us-east-1' ? `/${name}` : `http://${name}.s3.amazonaws.com/` };
}

export function headBucket(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  return { BucketRegion: bucket.region };
}

export function getBucketLocation(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  return { LocationConstraint: bucket.region === 'us-east-1' ? undefined : bucket.region };
}

export function listBuckets(ctx: SimContext) {
  return {
    Buckets: [...bucketsOf(ctx.state)]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((b) => ({ Name: b.name, CreationDate: new Date(b.createdAt), BucketRegion: b.region })),
    Owner: ownerOf(ctx),
  };
}

export function deleteBucket(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  // Every version and delete marker counts: a versioned bucket is empty only when all are gone.
  if (bucket.objects.length)
    throw s3Error(
      'BucketNotEmpty',
      'The bucket you tried to delete is not empty',
      { BucketName: bucket.name },
      409,
    );
  const all = bucketsOf(ctx.state);
  all.splice(all.indexOf(bucket), 1);
  return {};
}
