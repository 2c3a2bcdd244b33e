import type { S3 } from '@aws-sdk/client-s3';
import type { ResourceContext } from '@site-cli/core/plugin';
import { POINTER_KEY, RELEASES_PREFIX, s3Client, SHA256_METADATA } from './aws.js';
import type { ContentPointer } from './outputs.js';
import type { PackedSource } from './pack.js';

/**
 * The bucket's layout: `releases/<version>.zip` (each with its sha256 as user metadata), `history.json` (the
 * pointers written, newest first: what rollback goes back through) and `current.json` (the pointer the instances
 * poll). A publish uploads the release if absent, then writes the history, then the pointer: a run cut short
 * anywhere leaves the instances on a complete release and is finished by running it again.
 */

export const HISTORY_KEY = 'history.json';
const VERSION_PATTERN = /^[0-9a-f]{12}$/;

export interface HistoryEntry extends ContentPointer {
  /** When this version became current, ISO 8601. */
  at: string;
}

export const releaseKey = (version: string) => `${RELEASES_PREFIX}${version}.zip`;

async function getJson(s3: S3, ctx: ResourceContext, bucket: string, key: string): Promise<unknown> {
  try {
    const answer = await s3.getObject({ Bucket: bucket, Key: key });
    return JSON.parse((await answer.Body?.transformToString('utf8')) ?? 'null');
  } catch (error) {
    if (ctx.isAwsError(error, 'NoSuchKey', 'NotFound')) return undefined;
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

function isPointer(value: unknown): value is ContentPointer {
  const pointer = value as ContentPointer | undefined;
  return (
    typeof pointer?.version === 'string' &&
    VERSION_PATTERN.test(pointer.version) &&
    pointer.key === releaseKey(pointer.version) &&
    typeof pointer.sha256 === 'string'
  );
}

export async function readPointer(ctx: ResourceContext, bucket: string): Promise<ContentPointer | undefined> {
  const value = await getJson(await s3Client(ctx), ctx, bucket, POINTER_KEY);
  return isPointer(value) ? { version: value.version, key: value.key, sha256: value.sha256 } : undefined;
}

export async function readHistory(ctx: ResourceContext, bucket: string): Promise<HistoryEntry[]> {
  const value = await getJson(await s3Client(ctx), ctx, bucket, HISTORY_KEY);
  return Array.isArray(value) ? (value.filter(isPointer) as HistoryEntry[]) : [];
}

/** The release objects in the bucket, by version. */
export async function listReleases(
  ctx: ResourceContext,
  bucket: string,
): Promise<{ version: string; key: string; uploaded?: string }[]> {
  const s3 = await s3Client(ctx);
  const releases: { version: string; key: string; uploaded?: string }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.listObjectsV2({
      Bucket: bucket,
      Prefix: RELEASES_PREFIX,
      ContinuationToken: token,
    });
    for (const object of page.Contents ?? []) {
      const match = /^releases\/([0-9a-f]{12})\.zip$/.exec(object.Key ?? '');
      if (match)
        releases.push({ version: match[1]!, key: object.Key!, uploaded: object.LastModified?.toISOString() });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return releases.sort((a, b) => (b.uploaded ?? '').localeCompare(a.uploaded ?? ''));
}

/** Upload the release unless the bucket has it; the pointer to it (with the sha256 the bucket's copy carries). */
export async function uploadRelease(
  ctx: ResourceContext,
  bucket: string,
  packed: PackedSource,
): Promise<ContentPointer> {
  const s3 = await s3Client(ctx);
  const key = releaseKey(packed.version);
  try {
    const head = await s3.headObject({ Bucket: bucket, Key: key });
    const sha256 = head.Metadata?.[SHA256_METADATA];
    // Same content packed elsewhere (another zlib) may differ in bytes: point at the copy the bucket holds.
    if (sha256 && /^[0-9a-f]{64}$/.test(sha256)) return { version: packed.version, key, sha256 };
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404 && !ctx.isAwsError(error, 'NotFound', 'NoSuchKey')) throw error;
  }
  ctx.progress(`uploading ${key} (${packed.files} files, ${Math.ceil(packed.zip.length / 1024)} KiB)`);
  await s3.putObject({
    Bucket: bucket,
    Key: key,
    Body: packed.zip,
    ContentType: 'application/zip',
    Metadata: { [SHA256_METADATA]: packed.sha256 },
  });
  return { version: packed.version, key, sha256: packed.sha256 };
}

/**
 * Make `pointer` current: history first (it on top), then `current.json`; then delete the releases beyond the
 * newest `keep` of the history (never the current one).
 */
export async function makeCurrent(
  ctx: ResourceContext,
  bucket: string,
  pointer: ContentPointer,
  keep: number,
): Promise<HistoryEntry[]> {
  const s3 = await s3Client(ctx);
  const history = (await readHistory(ctx, bucket)).filter((entry) => entry.version !== pointer.version);
  const next = [{ ...pointer, at: new Date().toISOString() }, ...history].slice(0, keep);
  await s3.putObject({
    Bucket: bucket,
    Key: HISTORY_KEY,
    Body: JSON.stringify(next, null, 2) + '\n',
    ContentType: 'application/json',
  });
  await s3.putObject({
    Bucket: bucket,
    Key: POINTER_KEY,
    Body: JSON.stringify(pointer) + '\n',
    ContentType: 'application/json',
    CacheControl: 'no-store',
  });
  const kept = new Set(next.map((entry) => entry.key));
  const old = (await listReleases(ctx, bucket)).filter((release) => !kept.has(release.key));
  if (old.length > 0) {
    ctx.progress(`deleting ${old.length} old release${old.length > 1 ? 's' : ''}`);
    await s3.deleteObjects({
      Bucket: bucket,
      Delete: { Objects: old.map((release) => ({ Key: release.key })), Quiet: true },
    });
  }
  return next;
}
