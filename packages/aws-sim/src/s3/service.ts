import { ANONYMOUS, s3Protocol } from '../protocol/s3.js';
import type { ActionDef, Handler, SimService } from '../service.js';
import * as config from './bucket-config.js';
import { publiclyReadable } from './bucket-config.js';
import { s3Error } from './common.js';
import * as buckets from './buckets.js';
import * as listing from './listing.js';
import * as multipart from './multipart.js';
import * as objects from './objects.js';

const reads = (fn: Handler): ActionDef => ({ fn: signedOrPublic(fn), mutating: false });
const changes = (fn: Handler): ActionDef => ({ fn: signedOrPublic(fn), mutating: true });

/**
 * An unsigned request may only read an object a bucket policy makes public, where Block Public Access lets it
 * (`RestrictPublicBuckets` off): anything else is AccessDenied, as S3 answers anonymous requests.
 */
function signedOrPublic(fn: Handler): Handler {
  return (ctx, input, prepared) => {
    if (!input?.[ANONYMOUS]) return fn(ctx, input, prepared);
    const rest = { ...input };
    delete rest[ANONYMOUS];
    if ((fn === objects.getObject || fn === objects.headObject) && publiclyReadable(ctx, rest.Bucket))
      return fn(ctx, rest, prepared);
    throw s3Error('AccessDenied', 'Access Denied', undefined, 403);
  };
}

/** S3: buckets with their configurations, and objects whose bytes live in the simulator's state. */
export const s3Service: SimService = {
  protocol: s3Protocol,
  actions: {
    ListBuckets: reads(buckets.listBuckets),
    CreateBucket: changes(buckets.createBucket),
    HeadBucket: reads(buckets.headBucket),
    GetBucketLocation: reads(buckets.getBucketLocation),
    DeleteBucket: changes(buckets.deleteBucket),
    PutPublicAccessBlock: changes(config.putPublicAccessBlock),
    GetPublicAccessBlock: reads(config.getPublicAccessBlock),
    DeletePublicAccessBlock: changes(config.deletePublicAccessBlock),
    PutBucketEncryption: changes(config.putBucketEncryption),
    GetBucketEncryption: reads(config.getBucketEncryption),
    PutBucketVersioning: changes(config.putBucketVersioning),
    GetBucketVersioning: reads(config.getBucketVersioning),
    PutBucketLifecycleConfiguration: changes(config.putBucketLifecycleConfiguration),
    GetBucketLifecycleConfiguration: reads(config.getBucketLifecycleConfiguration),
    DeleteBucketLifecycle: changes(config.deleteBucketLifecycle),
    PutBucketTagging: changes(config.putBucketTagging),
    GetBucketTagging: reads(config.getBucketTagging),
    DeleteBucketTagging: changes(config.deleteBucketTagging),
    PutBucketPolicy: changes(config.putBucketPolicy),
    GetBucketPolicy: reads(config.getBucketPolicy),
    DeleteBucketPolicy: changes(config.deleteBucketPolicy),
    GetBucketPolicyStatus: reads(config.getBucketPolicyStatus),
    PutObject: changes(objects.putObject),
    GetObject: reads(objects.getObject),
    HeadObject: reads(objects.headObject),
    DeleteObject: changes(objects.deleteObject),
    DeleteObjects: changes(objects.deleteObjects),
    CopyObject: changes(objects.copyObject),
    ListObjectsV2: reads(listing.listObjectsV2),
    ListObjectVersions: reads(listing.listObjectVersions),
    CreateMultipartUpload: changes(multipart.createMultipartUpload),
    UploadPart: changes(multipart.uploadPart),
    CompleteMultipartUpload: changes(multipart.completeMultipartUpload),
    AbortMultipartUpload: changes(multipart.abortMultipartUpload),
  },
};
