import type { SimContext } from '../context.js';
import { HTTP_STATUS } from '../protocol/rest-xml.js';
import type { BucketRec, S3ObjectRec } from '../state.js';
import { CHECKSUMS, md5 } from './checksums.js';
import { bucketOf, latestOf, MAX_OBJECT_BYTES, MAX_STORED_BYTES, s3Error, storedBytes } from './common.js';

const noSuchKey = (key: string) =>
  s3Error('NoSuchKey', 'The specified key does not exist.', { Key: key }, 404);

/** The input member of each checksum algorithm (`ChecksumCRC32` ← `x-amz-checksum-crc32`). */
const sentChecksums = (input: any) =>
  Object.keys(CHECKSUMS)
    .filter((algorithm) => typeof input[`Checksum${algorithm}`] === 'string')
    .map((algorithm) => ({ algorithm, value: input[`Checksum${algorithm}`] as string }));

/**
 * Checks what the upload says of its bytes: Content-MD5 (InvalidDigest when it is no MD5, BadDigest when it
 * is another's) and the one `x-amz-checksum-*` it may send. Returns the checksum to keep.
 */
export function verify(input: any, body: Buffer): { algorithm: string; value: string } | undefined {
  if (input.ContentMD5 !== undefined) {
    const sent = Buffer.from(String(input.ContentMD5), 'base64');
    if (sent.length !== 16) throw s3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.');
    if (!sent.equals(md5(body).digest()))
      throw s3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.');
  }
  const sent = sentChecksums(input);
  if (sent.length > 1)
    throw s3Error(
      'InvalidRequest',
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  const [checksum] = sent;
  if (checksum && CHECKSUMS[checksum.algorithm]!(body) !== checksum.value)
    throw s3Error(
      'BadDigest',
      `The ${checksum.algorithm} you specified did not match the calculated checksum.`,
    );
  return checksum;
}

/** A new version id, or 'null' while versioning is not enabled. */
function versionIdFor(ctx: SimContext, bucket: BucketRec): string {
  return bucket.versioning === 'Enabled' ? ctx.ids.rng.hex(32) : 'null';
}

/** Adds a key's new current version; without versioning it takes the place of the 'null' one. */
function store(bucket: BucketRec, rec: S3ObjectRec): void {
  if (rec.versionId === 'null') {
    const i = bucket.objects.findIndex((o) => o.key === rec.key && o.versionId === 'null');
    if (i >= 0) bucket.objects.splice(i, 1);
  }
  bucket.objects.push(rec);
}

export const shownVersion = (v: string) => (v === 'null' ? undefined : v);

/** Refuses bytes beyond what the simulator keeps (see MAX_OBJECT_BYTES). */
export function checkRoom(ctx: SimContext, size: number, objectSize = size): void {
  if (objectSize > MAX_OBJECT_BYTES || storedBytes(ctx.state) + size > MAX_STORED_BYTES)
    throw s3Error(
      'EntityTooLarge',
      `Your proposed upload exceeds the maximum allowed size (the simulator keeps objects up to ${MAX_OBJECT_BYTES} bytes, ${MAX_STORED_BYTES} in all)`,
    );
}

/** Stores a key's new version; its ETag is the bytes' MD5 unless given (a multipart upload's). */
export function write(
  ctx: SimContext,
  bucket: BucketRec,
  key: string,
  body: Buffer,
  input: any,
  checksum?: S3ObjectRec['checksum'],
  etag = `"${md5(body).digest('hex')}"`,
) {
  checkRoom(ctx, body.length);
  const rec: S3ObjectRec = {
    key,
    versionId: versionIdFor(ctx, bucket),
    body: body.toString('base64'),
    size: body.length,
    etag,
    lastModified: ctx.now(),
    contentType: input.ContentType,
    metadata: input.Metadata,
    checksum,
  };
  store(bucket, rec);
  return rec;
}

export function putObject(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  const body: Buffer = input.Body ?? Buffer.alloc(0);
  const checksum = verify(input, body);
  const rec = write(ctx, bucket, input.Key, body, input, checksum);
  return {
    ETag: rec.etag,
    VersionId: shownVersion(rec.versionId),
    ServerSideEncryption: 'AES256',
    ...(checksum ? { [`Checksum${checksum.algorithm}`]: checksum.value } : {}),
  };
}

/** The version a read names (or the current one): NoSuchKey, NoSuchVersion, or a delete marker's 405/404. */
function readable(ctx: SimContext, input: any): { bucket: BucketRec; rec: S3ObjectRec } {
  const bucket = bucketOf(ctx, input.Bucket);
  const key: string = input.Key;
  if (input.VersionId !== undefined) {
    const rec = bucket.objects.find((o) => o.key === key && o.versionId === input.VersionId);
    if (!rec)
      throw s3Error(
        'NoSuchVersion',
        'The specified version does not exist.',
        { Key: key, VersionId: input.VersionId },
        404,
      );
    if (rec.deleteMarker)
      throw s3Error(
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
        undefined,
        405,
      );
    return { bucket, rec };
  }
  const rec = latestOf(bucket, key);
  if (!rec || rec.deleteMarker) throw noSuchKey(key);
  return { bucket, rec };
}

function described(rec: S3ObjectRec, input: any) {
  return {
    AcceptRanges: 'bytes',
    LastModified: new Date(rec.lastModified),
    ContentLength: rec.size,
    ETag: rec.etag,
    VersionId: shownVersion(rec.versionId),
    ContentType: rec.contentType ?? 'binary/octet-stream',
    Metadata: rec.metadata,
    ServerSideEncryption: 'AES256',
    ...(rec.checksum && input.ChecksumMode === 'ENABLED'
      ? { [`Checksum${rec.checksum.algorithm}`]: rec.checksum.value }
      : {}),
  };
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` of a body of `size` bytes: [first, last], or undefined when unsatisfiable. */
function byteRange(range: string, size: number): [number, number] | undefined | 'ignored' {
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'ignored'; // S3 ignores a Range it cannot parse
  if (m[1] === '') {
    const n = Number(m[2]);
    return n === 0 || size === 0 ? undefined : [Math.max(0, size - n), size - 1];
  }
  const first = Number(m[1]);
  const last = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return first >= size || first > last ? undefined : [first, last];
}

export function getObject(ctx: SimContext, input: any) {
  const { rec } = readable(ctx, input);
  const body = Buffer.from(rec.body, 'base64');
  const out = { ...described(rec, input), Body: body };
  if (input.Range === undefined) return out;
  const range = byteRange(String(input.Range), rec.size);
  if (range === 'ignored') return out;
  if (!range)
    throw s3Error(
      'InvalidRange',
      'The requested range is not satisfiable',
      { RangeRequested: String(input.Range), ActualObjectSize: String(rec.size) },
      416,
    );
  const [first, last] = range;
  // A checksum is of the whole object: a range answers none (as S3 does).
  for (const algorithm of Object.keys(CHECKSUMS))
    delete (out as Record<string, unknown>)[`Checksum${algorithm}`];
  return {
    ...out,
    Body: body.subarray(first, last + 1),
    ContentLength: last - first + 1,
    ContentRange: `bytes ${first}-${last}/${rec.size}`,
    [HTTP_STATUS]: 206,
  };
}

export function headObject(ctx: SimContext, input: any) {
  return described(readable(ctx, input).rec, input);
}

/**
 * Deletes one key or version: a given version goes for good; else, with versioning on, a delete marker
 * becomes the current version (suspended: the marker takes the 'null' version's place); without, the key goes.
 */
function deleteOne(ctx: SimContext, bucket: BucketRec, key: string, versionId?: string) {
  if (versionId !== undefined) {
    const i = bucket.objects.findIndex((o) => o.key === key && o.versionId === versionId);
    const rec = i >= 0 ? bucket.objects.splice(i, 1)[0] : undefined;
    return { VersionId: versionId, DeleteMarker: rec?.deleteMarker || undefined };
  }
  if (!bucket.versioning) {
    bucket.objects = bucket.objects.filter((o) => o.key !== key);
    return {};
  }
  const marker: S3ObjectRec = {
    key,
    versionId: versionIdFor(ctx, bucket),
    deleteMarker: true,
    body: '',
    size: 0,
    etag: '',
    lastModified: ctx.now(),
  };
  store(bucket, marker);
  return { DeleteMarker: true, VersionId: marker.versionId };
}

export function deleteObject(ctx: SimContext, input: any) {
  return deleteOne(ctx, bucketOf(ctx, input.Bucket), input.Key, input.VersionId);
}

export function deleteObjects(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  const objects: { Key?: string; VersionId?: string }[] = input.Delete?.Objects ?? [];
  if (objects.length < 1 || objects.length > 1000)
    throw s3Error(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
    );
  // The API requires the body's integrity: Content-MD5 or an x-amz-checksum-* header.
  if (input.ContentMD5 === undefined && !sentChecksums(input).length && input.ChecksumAlgorithm === undefined)
    throw s3Error('InvalidRequest', 'Missing required header for this request: Content-MD5');
  const Deleted = [];
  for (const o of objects) {
    const done = deleteOne(ctx, bucket, o.Key ?? '', o.VersionId);
    Deleted.push({
      Key: o.Key,
      VersionId: o.VersionId,
      DeleteMarker: done.DeleteMarker,
      DeleteMarkerVersionId: o.VersionId === undefined && done.DeleteMarker ? done.VersionId : undefined,
    });
  }
  return { Deleted: input.Delete.Quiet ? undefined : Deleted };
}

/** `x-amz-copy-source`: `bucket/key` or `/bucket/key`, URL-encoded, maybe `?versionId=`. */
function copySource(source: string): { bucket: string; key: string; versionId?: string } {
  const [path = '', query = ''] = source.split('?');
  const decoded = decodeURIComponent(path).replace(/^\//, '');
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1)
    throw s3Error('InvalidArgument', 'Invalid copy source object key');
  return {
    bucket: decoded.slice(0, slash),
    key: decoded.slice(slash + 1),
    versionId: new URLSearchParams(query).get('versionId') ?? undefined,
  };
}

export function copyObject(ctx: SimContext, input: any) {
  const target = bucketOf(ctx, input.Bucket);
  const from = copySource(String(input.CopySource));
  const { rec } = readable(ctx, { Bucket: from.bucket, Key: from.key, VersionId: from.versionId });
  const replace = input.MetadataDirective === 'REPLACE';
  if (from.bucket === target.name && from.key === input.Key && !replace && from.versionId === undefined)
    throw s3Error(
      'InvalidRequest',
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  const meta = replace ? input : { ContentType: rec.contentType, Metadata: rec.metadata };
  const copy = write(ctx, target, input.Key, Buffer.from(rec.body, 'base64'), meta, rec.checksum);
  return {
    CopyObjectResult: { ETag: copy.etag, LastModified: new Date(copy.lastModified) },
    VersionId: shownVersion(copy.versionId),
    CopySourceVersionId: shownVersion(rec.versionId),
    ServerSideEncryption: 'AES256',
  };
}
