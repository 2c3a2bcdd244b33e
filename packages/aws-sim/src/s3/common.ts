import { createHash } from 'node:crypto';
import type { SimContext } from '../context.js';
import { AwsError } from '../errors.js';
import type { BucketRec, S3ObjectRec, SimState } from '../state.js';

export const s3Error = (code: string, message: string, details?: Record<string, string>, status = 400) =>
  new AwsError(code, message, status, details);

export function bucketsOf(state: SimState): BucketRec[] {
  return (state.buckets ??= []);
}

/** The bucket, or NoSuchBucket. */
export function bucketOf(ctx: SimContext, name: string | undefined): BucketRec {
  const bucket = bucketsOf(ctx.state).find((b) => b.name === name);
  if (!bucket)
    throw s3Error('NoSuchBucket', 'The specified bucket does not exist', { BucketName: name ?? '' }, 404);
  return bucket;
}

/** The account's canonical user id (S3's `Owner.ID`): 64 hex digits, stable for an account. */
export function ownerOf(ctx: SimContext): { ID: string; DisplayName: string } {
  return {
    ID: createHash('sha256').update(`owner/${ctx.state.accountId}`).digest('hex'),
    DisplayName: 'sim',
  };
}

/** The current version of a key (a delete marker included), or undefined. */
export function latestOf(bucket: BucketRec, key: string): S3ObjectRec | undefined {
  return bucket.objects.findLast((o) => o.key === key);
}

/**
 * A key's current content, for the other parts of the simulator (an instance serving a site from a bucket):
 * undefined when the bucket or key does not exist or its current version is a delete marker.
 */
export function readObject(
  state: SimState,
  bucket: string,
  key: string,
): { body: Buffer; etag: string } | undefined {
  const found = state.buckets?.find((b) => b.name === bucket);
  const latest = found ? latestOf(found, key) : undefined;
  if (!latest || latest.deleteMarker) return undefined;
  return { body: Buffer.from(latest.body, 'base64'), etag: latest.etag };
}

/**
 * What the simulator keeps, at most: objects' bytes live in the state file, so it stays small (a site's
 * files, not a data lake). A deviation from S3 (5 GB an upload, no account total), said in its error.
 */
export const MAX_OBJECT_BYTES = 64 * 1024 * 1024;
export const MAX_STORED_BYTES = 256 * 1024 * 1024;

export function storedBytes(state: SimState): number {
  let n = 0;
  for (const b of state.buckets ?? []) {
    for (const o of b.objects) n += o.size;
    for (const u of b.uploads ?? []) for (const p of Object.values(u.parts)) n += p.size;
  }
  return n;
}
