import type { SimContext } from '../context.js';
import type { BucketRec, MultipartUploadRec } from '../state.js';
import { md5 } from './checksums.js';
import { bucketOf, s3Error } from './common.js';
import { checkRoom, shownVersion, verify, write } from './objects.js';

// Multipart uploads (what `aws s3 cp` uses past 8 MB): parts kept in the state until completed or aborted.

/** S3's smallest part but the last (the S3 User Guide's multipart upload limits). */
const MIN_PART_BYTES = 5 * 1024 * 1024;

function uploadOf(bucket: BucketRec, input: any): MultipartUploadRec {
  const upload = bucket.uploads?.find((u) => u.id === input.UploadId && u.key === input.Key);
  if (!upload)
    throw s3Error(
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      { UploadId: String(input.UploadId) },
      404,
    );
  return upload;
}

export function createMultipartUpload(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  const upload: MultipartUploadRec = {
    id: ctx.ids.rng.hex(64),
    key: input.Key,
    initiated: ctx.now(),
    contentType: input.ContentType,
    metadata: input.Metadata,
    parts: {},
  };
  (bucket.uploads ??= []).push(upload);
  return { Bucket: bucket.name, Key: input.Key, UploadId: upload.id, ServerSideEncryption: 'AES256' };
}

export function uploadPart(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  const upload = uploadOf(bucket, input);
  const n = input.PartNumber;
  if (!Number.isInteger(n) || n < 1 || n > 10000)
    throw s3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive');
  const body: Buffer = input.Body ?? Buffer.alloc(0);
  const checksum = verify(input, body);
  checkRoom(ctx, body.length);
  const etag = `"${md5(body).digest('hex')}"`;
  upload.parts[String(n)] = { body: body.toString('base64'), size: body.length, etag };
  return {
    ETag: etag,
    ServerSideEncryption: 'AES256',
    ...(checksum ? { [`Checksum${checksum.algorithm}`]: checksum.value } : {}),
  };
}

/**
 * Joins the parts the request lists, in ascending order, each with its ETag (InvalidPartOrder, InvalidPart),
 * all but the last at least 5 MiB (EntityTooSmall). The ETag is the MD5 of the parts' MD5s, `-<count>`.
 */
export function completeMultipartUpload(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  const upload = uploadOf(bucket, input);
  const listed: { PartNumber?: number; ETag?: string }[] = input.MultipartUpload?.Parts ?? [];
  if (!listed.length)
    throw s3Error(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
    );
  const parts = listed.map((p, i) => {
    if (i > 0 && (p.PartNumber ?? 0) <= (listed[i - 1]!.PartNumber ?? 0))
      throw s3Error(
        'InvalidPartOrder',
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
      );
    const part = upload.parts[String(p.PartNumber)];
    if (!part || part.etag.replace(/"/g, '') !== String(p.ETag).replace(/"/g, ''))
      throw s3Error(
        'InvalidPart',
        "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.",
      );
    return part;
  });
  parts.slice(0, -1).forEach((p) => {
    if (p.size < MIN_PART_BYTES)
      throw s3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size');
  });
  const body = Buffer.concat(parts.map((p) => Buffer.from(p.body, 'base64')));
  const digests = Buffer.concat(parts.map((p) => Buffer.from(p.etag.replace(/"/g, ''), 'hex')));
  bucket.uploads = bucket.uploads!.filter((u) => u !== upload);
  const rec = write(
    ctx,
    bucket,
    upload.key,
    body,
    { ContentType: upload.contentType, Metadata: upload.metadata },
    undefined,
    `"${md5(digests).digest('hex')}-${parts.length}"`,
  );
  return {
    Location: `/${bucket.name}/${upload.key}`,
    Bucket: bucket.name,
    Key: upload.key,
    ETag: rec.etag,
    VersionId: shownVersion(rec.versionId),
    ServerSideEncryption: 'AES256',
  };
}

export function abortMultipartUpload(ctx: SimContext, input: any) {
  const bucket = bucketOf(ctx, input.Bucket);
  const upload = uploadOf(bucket, input);
  bucket.uploads = bucket.uploads!.filter((u) => u !== upload);
  return {};
}
