import type { SimContext } from '../context.js';
import { bucketOf, s3Error } from './common.js';

// A bucket's configurations: Block Public Access, default encryption, versioning, lifecycle, tags, policy.
// What each refuses follows the S3 API reference of its Put operation.

const malformedXml = () =>
  s3Error(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
  );

// --- Block Public Access
const BPA_FLAGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'];

export function putPublicAccessBlock(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  const config = input.PublicAccessBlockConfiguration;
  if (!config) throw malformedXml();
  bucket.publicAccessBlock = Object.fromEntries(BPA_FLAGS.map((f) => [f, config[f] === true]));
  return {};
}

export function getPublicAccessBlock(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  if (!bucket.publicAccessBlock)
    throw s3Error(
      'NoSuchPublicAccessBlockConfiguration',
      'The public access block configuration was not found',
      { BucketName: bucket.name },
      404,
    );
  return { PublicAccessBlockConfiguration: { ...bucket.publicAccessBlock } };
}

export function deletePublicAccessBlock(ctx: SimContext, input: any) {
  delete bucketOf(ctx, input.Bucket).publicAccessBlock;
  return {};
}

// --- default encryption
const SSE_ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];

export function putBucketEncryption(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  const rules: any[] = input.ServerSideEncryptionConfiguration?.Rules ?? [];
  if (rules.length !== 1) throw malformedXml();
  const byDefault = rules[0].ApplyServerSideEncryptionByDefault;
  if (byDefault) {
    if (!SSE_ALGORITHMS.includes(byDefault.SSEAlgorithm)) throw malformedXml();
    if (byDefault.KMSMasterKeyID && byDefault.SSEAlgorithm === 'AES256')
      throw s3Error(
        'InvalidArgument',
        'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse',
      );
  }
  bucket.encryption = { Rules: rules };
  return {};
}

/** Never absent: a bucket whose configuration is deleted still encrypts with SSE-S3 (S3 answers so). */
export function getBucketEncryption(ctx: SimContext, input: any) {
  return { ServerSideEncryptionConfiguration: structuredClone(bucketOf(ctx, input.Bucket).encryption) };
}

// --- versioning
export function putBucketVersioning(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  const status = input.VersioningConfiguration?.Status;
  if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
  bucket.versioning = status;
  return {};
}

/** A bucket never versioned answers no status at all. */
export function getBucketVersioning(ctx: SimContext, input: any) {
  const { versioning } = bucketOf(ctx, input.Bucket);
  return versioning ? { Status: versioning } : {};
}

// --- lifecycle
const positive = (n: unknown) => n === undefined || (Number.isInteger(n) && (n as number) > 0);

export function putBucketLifecycleConfiguration(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  const rules: any[] = input.LifecycleConfiguration?.Rules ?? [];
  if (rules.length < 1 || rules.length > 1000) throw malformedXml();
  const ids = new Set<string>();
  for (const rule of rules) {
    if (rule.Status !== 'Enabled' && rule.Status !== 'Disabled') throw malformedXml();
    if (rule.ID !== undefined) {
      if (rule.ID.length > 255)
        throw s3Error('InvalidArgument', 'ID length should not exceed allowed limit of 255');
      if (ids.has(rule.ID))
        throw s3Error('InvalidArgument', 'Rule ID must be unique. Found same ID for more than one rule');
      ids.add(rule.ID);
    }
    const actions = [
      rule.Expiration,
      rule.NoncurrentVersionExpiration,
      rule.Transitions?.length ? rule.Transitions : undefined,
      rule.NoncurrentVersionTransitions?.length ? rule.NoncurrentVersionTransitions : undefined,
      rule.AbortIncompleteMultipartUpload,
    ];
    if (actions.every((a) => a === undefined))
      throw s3Error('InvalidRequest', 'At least one action needs to be specified in a rule');
    if (!positive(rule.Expiration?.Days))
      throw s3Error('InvalidArgument', "'Days' for Expiration action must be a positive integer");
    const noncurrent = rule.NoncurrentVersionExpiration;
    if (noncurrent && !positive(noncurrent.NoncurrentDays))
      throw s3Error(
        'InvalidArgument',
        "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer",
      );
    const newer = noncurrent?.NewerNoncurrentVersions;
    if (newer !== undefined && !(Number.isInteger(newer) && newer >= 1 && newer <= 100))
      throw s3Error('InvalidArgument', "'NewerNoncurrentVersions' must be between 1 and 100");
  }
  bucket.lifecycleRules = rules;
  return {};
}

export function getBucketLifecycleConfiguration(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  if (!bucket.lifecycleRules)
    throw s3Error(
      'NoSuchLifecycleConfiguration',
      'The lifecycle configuration does not exist',
      { BucketName: bucket.name },
      404,
    );
  return { Rules: structuredClone(bucket.lifecycleRules) };
}

export function deleteBucketLifecycle(ctx: SimContext, input: any) {
  delete bucketOf(ctx, input.Bucket).lifecycleRules;
  return {};
}

// --- tags
export function putBucketTagging(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  const tags: { Key?: string; Value?: string }[] = input.Tagging?.TagSet ?? [];
  if (tags.length > 50) throw s3Error('InvalidTag', 'Bucket tag count cannot be greater than 50');
  const keys = new Set<string>();
  for (const { Key, Value } of tags) {
    if (Key === undefined || Value === undefined) throw malformedXml();
    if (Key.length < 1 || Key.length > 128)
      throw s3Error('InvalidTag', 'The TagKey you have provided is invalid');
    if (Value.length > 256) throw s3Error('InvalidTag', 'The TagValue you have provided is invalid');
    if (Key.startsWith('aws:'))
      throw s3Error('InvalidTag', 'System tags cannot be added/updated by requester');
    if (keys.has(Key)) throw s3Error('InvalidTag', 'Cannot provide multiple Tags with the same key');
    keys.add(Key);
  }
  bucket.tags = tags.map(({ Key, Value }) => ({ Key: Key!, Value: Value! }));
  return {};
}

export function getBucketTagging(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  if (!bucket.tags?.length)
    throw s3Error('NoSuchTagSet', 'The TagSet does not exist', { BucketName: bucket.name }, 404);
  return { TagSet: bucket.tags.map((t) => ({ ...t })) };
}

export function deleteBucketTagging(ctx: SimContext, input: any) {
  delete bucketOf(ctx, input.Bucket).tags;
  return {};
}

// --- policy
const malformedPolicy = (why: string) => s3Error('MalformedPolicy', why);

const grantsEveryone = (principal: unknown): boolean => {
  if (principal === '*') return true;
  const aws = (principal as { AWS?: unknown } | undefined)?.AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
};

/**
 * Whether a policy makes the bucket public, in S3's sense: a statement allows everyone (`"*"`) with no
 * condition narrowing it (conditions are taken as narrowing: a simplification of S3's analysis).
 */
export function policyIsPublic(policy: string): boolean {
  const statements = [JSON.parse(policy).Statement].flat() as any[];
  return statements.some((s) => s?.Effect === 'Allow' && grantsEveryone(s.Principal) && !s.Condition);
}

export function putBucketPolicy(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  const text: string = input.Policy ?? '';
  let doc: any;
  try {
    doc = text.trimStart().startsWith('{') ? JSON.parse(text) : undefined;
  } catch {
    doc = undefined;
  }
  if (!doc) throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  const statements = [doc.Statement ?? []].flat() as any[];
  if (!statements.length) throw malformedPolicy('Missing required field Statement');
  for (const s of statements) {
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
      throw malformedPolicy('Invalid effect: ' + String(s.Effect));
    if (s.Principal === undefined && s.NotPrincipal === undefined)
      throw malformedPolicy('Missing required field Principal');
    if (s.Action === undefined && s.NotAction === undefined)
      throw malformedPolicy('Missing required field Action');
    const resources = [s.Resource ?? s.NotResource ?? []].flat() as string[];
    if (!resources.length) throw malformedPolicy('Missing required field Resource');
    for (const r of resources)
      if (!new RegExp(`^arn:aws:s3:::${bucket.name.replace(/\./g, '\\.')}(/.*)?$`).test(r))
        throw malformedPolicy('Policy has invalid resource');
  }
  if (bucket.publicAccessBlock?.BlockPublicPolicy && policyIsPublic(text))
    throw s3Error(
      'AccessDenied',
      `User: arn:aws:iam::${ctx.state.accountId}:user/sim is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::${bucket.name}" because public policies are blocked by the BlockPublicPolicy block public access setting.`,
      undefined,
      403,
    );
  bucket.policy = text;
  return {};
}

function policyOf(ctx: SimContext, name: string): string {
  const bucket = bucketOf(ctx, name);
  if (bucket.policy === undefined)
    throw s3Error('NoSuchBucketPolicy', 'The bucket policy does not exist', { BucketName: bucket.name }, 404);
  return bucket.policy;
}

export function getBucketPolicy(ctx: SimContext, input: any) {
  return { Policy: policyOf(ctx, input.Bucket) };
}

export function deleteBucketPolicy(ctx: SimContext, input: any) {
  delete bucketOf(ctx, input.Bucket).policy;
  return {};
}

export function getBucketPolicyStatus(ctx: SimContext, input: any) {
  return { PolicyStatus: { IsPublic: policyIsPublic(policyOf(ctx, input.Bucket)) } };
}
