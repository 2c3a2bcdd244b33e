import { s3Protocol } from '../protocol/s3.js';
import type { ActionDef, Handler, SimService } from '../service.js';
import * as config from './bucket-config.js';
import * as buckets from './buckets.js';
import * as listing from './listing.js';
import * as multipart from './multipart.js';
import * as objects from './objects.js';

const reads = (fn: Handler): ActionDef => ({ fn, mutating: false });
const changes = (fn: Handler): ActionDef => ({ fn, mutating: true });

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
