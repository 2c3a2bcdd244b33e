import type { ResourceContext, ResourceOf } from '@site-cli/core/plugin';
import { accountId, bucketNameProblem, partitionOf, s3Client } from '../aws.js';
import type { BucketOutput } from '../outputs.js';

export const RESOURCE_ID = 'storage.bucket';
/** Parts of a multipart upload cut short are billed until aborted: S3 aborts them after this many days. */
const ABORT_INCOMPLETE_UPLOADS_DAYS = 1;

export async function bucketName(ctx: ResourceContext): Promise<string> {
  return ctx.naming.bucket(await accountId(ctx), ctx.config.region);
}

function output(ctx: ResourceContext, name: string): BucketOutput {
  return {
    bucketName: name,
    bucketArn: `arn:${partitionOf(ctx.config.region)}:s3:::${name}`,
    region: ctx.config.region,
  };
}

const conflict = (ctx: ResourceContext, name: string, why: string) =>
  ctx.error({
    code: 'BUCKET_CONFLICT',
    message: `The S3 bucket ${name} exists but is not this site's (${why}): site never touches it.`,
    suggestions: [
      'Choose another site name (`name` in the config), or delete or tag that bucket yourself if it is a leftover of this site.',
    ],
    exitCode: 1,
    details: { bucket: name },
  });

/**
 * storage.bucket: the site's private bucket of content releases. Block Public Access (all four), SSE-S3, a
 * lifecycle rule that aborts incomplete multipart uploads, the site's tags. Buckets are found by their name
 * (derived from site, account and region) and proven ours by their tags.
 */
export function bucketResource(): ResourceOf<typeof RESOURCE_ID> {
  return {
    id: RESOURCE_ID,
    title: 'S3 bucket',
    kind: 'managed',
    dependsOn: [],
    // (STS GetCallerIdentity, for the account id in the name, needs no permission.)
    iam: [
      's3:ListBucket',
      's3:GetBucketTagging',
      's3:CreateBucket',
      's3:PutBucketOwnershipControls',
      's3:PutBucketPublicAccessBlock',
      's3:GetBucketPublicAccessBlock',
      's3:PutEncryptionConfiguration',
      's3:GetEncryptionConfiguration',
      's3:PutLifecycleConfiguration',
      's3:PutBucketTagging',
      's3:ListBucketVersions',
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:DeleteBucket',
    ],

    async discover(ctx) {
      const name = await bucketName(ctx);
      const s3 = await s3Client(ctx);
      try {
        await s3.headBucket({ Bucket: name });
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404 || ctx.isAwsError(error, 'NotFound', 'NoSuchBucket')) return undefined;
        if (status === 403) throw conflict(ctx, name, 'it belongs to another account');
        throw error;
      }
      let tags: { Key?: string; Value?: string }[] = [];
      try {
        tags = (await s3.getBucketTagging({ Bucket: name })).TagSet ?? [];
      } catch (error) {
        if (!ctx.isAwsError(error, 'NoSuchTagSet', 'NoSuchTagSetError')) throw error;
      }
      if (!ctx.tags.isOwned(tags, RESOURCE_ID)) throw conflict(ctx, name, "it lacks the site's tags");
      return output(ctx, name);
    },

    async preconditions(ctx) {
      const name = await bucketName(ctx);
      const problem = bucketNameProblem(name);
      if (problem)
        throw ctx.error({
          code: 'BUCKET_NAME_INVALID',
          message: `The site's bucket would be named ${name}, which S3 refuses: ${problem}.`,
          suggestions: ['Choose a shorter site name (`name` in the config).'],
          exitCode: 2,
          details: { bucket: name },
        });
    },

    async create(ctx) {
      const name = await bucketName(ctx);
      const s3 = await s3Client(ctx);
      const region = ctx.config.region;
      ctx.progress(`creating ${name}`);
      try {
        await s3.createBucket({
          Bucket: name,
          // us-east-1 is the one region that takes no location constraint (it refuses its own name).
          ...(region === 'us-east-1'
            ? {}
            : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
          ObjectOwnership: 'BucketOwnerEnforced',
        });
      } catch (error) {
        // Ours already (a resumed deploy): carry on and make sure every setting below holds.
        if (!ctx.isAwsError(error, 'BucketAlreadyOwnedByYou')) throw error;
      }
      // Tags first: a bucket cut short here is still recognised (and cleaned up) as this site's.
      await s3.putBucketTagging({
        Bucket: name,
        Tagging: { TagSet: ctx.tags.forResource(RESOURCE_ID, name) },
      });
      await s3.putPublicAccessBlock({
        Bucket: name,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      });
      await s3.putBucketEncryption({
        Bucket: name,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      });
      await s3.putBucketLifecycleConfiguration({
        Bucket: name,
        LifecycleConfiguration: {
          Rules: [
            {
              ID: 'site-abort-incomplete-uploads',
              Status: 'Enabled',
              Filter: { Prefix: '' },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: ABORT_INCOMPLETE_UPLOADS_DAYS },
            },
          ],
        },
      });
      return output(ctx, name);
    },

    async destroy(ctx, found) {
      const s3 = await s3Client(ctx);
      ctx.progress('deleting every object version');
      // Every version and delete marker, a page at a time (versioning may have been turned on by hand).
      let keyMarker: string | undefined;
      let versionIdMarker: string | undefined;
      for (;;) {
        let page;
        try {
          page = await s3.listObjectVersions({
            Bucket: found.bucketName,
            KeyMarker: keyMarker,
            VersionIdMarker: versionIdMarker,
          });
        } catch (error) {
          if (ctx.isAwsError(error, 'NoSuchBucket')) return;
          throw error;
        }
        const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].flatMap((v) =>
          v.Key ? [{ Key: v.Key, VersionId: v.VersionId ?? undefined }] : [],
        );
        if (objects.length > 0)
          await s3.deleteObjects({ Bucket: found.bucketName, Delete: { Objects: objects, Quiet: true } });
        if (!page.IsTruncated) break;
        keyMarker = page.NextKeyMarker;
        versionIdMarker = page.NextVersionIdMarker;
      }
      ctx.progress('deleting the bucket');
      try {
        await s3.deleteBucket({ Bucket: found.bucketName });
      } catch (error) {
        if (!ctx.isAwsError(error, 'NoSuchBucket')) throw error;
      }
    },

    async status(ctx, found) {
      return [{ name: found.bucketName, id: found.bucketArn, state: 'private' }];
    },

    summarize: (found) => ({ bucketName: found.bucketName, bucketArn: found.bucketArn }),
  };
}
