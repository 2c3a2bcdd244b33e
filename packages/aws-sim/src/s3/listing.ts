import type { SimContext } from '../context.js';
import type { S3ObjectRec } from '../state.js';
import { bucketOf, ownerOf, s3Error } from './common.js';

/** MaxKeys: 1000 at most and by default, as S3 answers. */
function maxKeysOf(input: any): number {
  const n = input.MaxKeys ?? 1000;
  if (!Number.isInteger(n) || n < 0)
    throw s3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range');
  return Math.min(n, 1000);
}

const byKey = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** With `EncodingType=url` S3 URL-encodes the keys and prefixes it answers (`aws s3` asks for it). */
function encoderOf(input: any): (s: string | undefined) => string | undefined {
  if (input.EncodingType === undefined) return (s) => s;
  if (input.EncodingType !== 'url')
    throw s3Error('InvalidArgument', 'Invalid Encoding Method specified in Request');
  return (s) => (s === undefined ? s : encodeURIComponent(s).replace(/%2F/g, '/'));
}

/**
 * The keys and common prefixes after `prefix`, in UTF-8 binary order: a key holding the delimiter after the
 * prefix is rolled up into its common prefix.
 */
function entries(keys: string[], prefix: string, delimiter: string | undefined) {
  const out: { key: string; isPrefix: boolean }[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (at >= 0) {
      const common = key.slice(0, at + delimiter!.length);
      if (!seen.has(common)) out.push({ key: common, isPrefix: true });
      seen.add(common);
    } else out.push({ key, isPrefix: false });
  }
  return out;
}

export function listObjectsV2(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  const max = maxKeysOf(input);
  const encode = encoderOf(input);
  const prefix: string = input.Prefix ?? '';
  const current = new Map<string, S3ObjectRec>();
  for (const o of bucket.objects) current.set(o.key, o);
  const keys = [...current.values()]
    .filter((o) => !o.deleteMarker)
    .map((o) => o.key)
    .sort(byKey);
  let after: string | undefined = input.StartAfter;
  if (input.ContinuationToken !== undefined) {
    after = Buffer.from(String(input.ContinuationToken), 'base64url').toString('utf8');
    if (
      !input.ContinuationToken ||
      Buffer.from(after, 'utf8').toString('base64url') !== input.ContinuationToken
    )
      throw s3Error('InvalidArgument', 'The continuation token provided is incorrect');
  }
  const all = entries(keys, prefix, input.Delimiter).filter(
    (e) => after === undefined || byKey(e.key, after) > 0,
  );
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  return {
    IsTruncated: truncated,
    Contents: page
      .filter((e) => !e.isPrefix)
      .map((e) => {
        const o = current.get(e.key)!;
        return {
          Key: encode(o.key),
          LastModified: new Date(o.lastModified),
          ETag: o.etag,
          Size: o.size,
          StorageClass: 'STANDARD',
          ...(o.checksum ? { ChecksumAlgorithm: [o.checksum.algorithm] } : {}),
          ...(input.FetchOwner ? { Owner: ownerOf(ctx) } : {}),
        };
      }),
    Name: bucket.name,
    Prefix: encode(prefix),
    Delimiter: encode(input.Delimiter),
    MaxKeys: max,
    CommonPrefixes: page.filter((e) => e.isPrefix).map((e) => ({ Prefix: encode(e.key) })),
    EncodingType: input.EncodingType,
    KeyCount: page.length,
    ContinuationToken: input.ContinuationToken,
    NextContinuationToken: truncated
      ? Buffer.from(page.at(-1)!.key, 'utf8').toString('base64url')
      : undefined,
    StartAfter: encode(input.StartAfter),
  };
}

/** Every version and delete marker: by key, newest first; paged by key marker and version-id marker. */
export function listObjectVersions(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  const max = maxKeysOf(input);
  const encode = encoderOf(input);
  const prefix: string = input.Prefix ?? '';
  const newestFirst = [...bucket.objects].reverse().filter((o) => o.key.startsWith(prefix));
  const ordered = newestFirst
    .map((o, i) => ({ o, i }))
    .sort((a, b) => byKey(a.o.key, b.o.key) || a.i - b.i)
    .map((x) => x.o);
  const latest = new Set(ordered.filter((o, i) => i === 0 || ordered[i - 1]!.key !== o.key));
  let start = 0;
  if (input.KeyMarker !== undefined) {
    const markerAt = ordered.findIndex(
      (o) => o.key === input.KeyMarker && o.versionId === input.VersionIdMarker,
    );
    start =
      input.VersionIdMarker !== undefined && markerAt >= 0
        ? markerAt + 1
        : ordered.findIndex((o) => byKey(o.key, input.KeyMarker) > 0);
    if (start < 0) start = ordered.length;
  }
  const page = ordered.slice(start, start + max);
  const truncated = start + page.length < ordered.length;
  const last = page.at(-1);
  const common = { Key: '', VersionId: '', IsLatest: false, LastModified: new Date(0), Owner: ownerOf(ctx) };
  const shape = (o: S3ObjectRec) => ({
    ...common,
    Key: encode(o.key),
    VersionId: o.versionId,
    IsLatest: latest.has(o),
    LastModified: new Date(o.lastModified),
  });
  return {
    IsTruncated: truncated,
    KeyMarker: encode(input.KeyMarker),
    VersionIdMarker: input.VersionIdMarker,
    NextKeyMarker: truncated ? encode(last!.key) : undefined,
    NextVersionIdMarker: truncated ? last!.versionId : undefined,
    Versions: page
      .filter((o) => !o.deleteMarker)
      .map((o) => ({ ...shape(o), ETag: o.etag, Size: o.size, StorageClass: 'STANDARD' })),
    DeleteMarkers: page.filter((o) => o.deleteMarker).map(shape),
    Name: bucket.name,
    Prefix: encode(prefix),
    MaxKeys: max,
    EncodingType: input.EncodingType,
  };
}
