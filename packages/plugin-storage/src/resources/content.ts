import type { ResourceContext, ResourceOf } from '@site-cli/core/plugin';
import { POINTER_KEY, s3Client } from '../aws.js';
import type { ContentOutput } from '../outputs.js';
import { packSource, SourceProblem, type PackedSource } from '../pack.js';
import { HISTORY_KEY, listReleases, makeCurrent, readPointer, uploadRelease } from '../releases.js';
import { storageSettings } from '../settings.js';

export const RESOURCE_ID = 'storage.content';

/** The source folder packed once a run (plan's diff, then the upload): a problem with it is a usage error. */
export function packedSource(ctx: ResourceContext): Promise<PackedSource> {
  return ctx.once('storage:packed', async () => {
    const dir = ctx.config.source?.dir;
    if (!dir) throw new Error('storage.content: source.dir is not set');
    try {
      const packed = await packSource(dir);
      if (!packed.hasIndexHtml)
        ctx.log.warn(
          `${dir} has no index.html at its top, so the site answers / with 403 and its targets stay unhealthy.`,
        );
      return packed;
    } catch (error) {
      if (!(error instanceof SourceProblem)) throw error;
      throw ctx.error({
        code: error.code,
        message: error.message,
        suggestions: error.suggestions,
        exitCode: 2,
        details: { key: 'source.dir', dir },
      });
    }
  });
}

async function found(ctx: ResourceContext, bucketName: string): Promise<ContentOutput> {
  const [current, releases] = await Promise.all([
    readPointer(ctx, bucketName),
    listReleases(ctx, bucketName),
  ]);
  return { bucketName, pointerKey: POINTER_KEY, ...(current ? { current } : {}), releases };
}

async function publish(ctx: ResourceContext): Promise<ContentOutput> {
  const bucket = ctx.outputs.require('storage.bucket');
  const packed = await packedSource(ctx);
  const pointer = await uploadRelease(ctx, bucket.bucketName, packed);
  ctx.progress(`making ${pointer.version} current`);
  await makeCurrent(ctx, bucket.bucketName, pointer, storageSettings(ctx.config).keep);
  return found(ctx, bucket.bucketName);
}

/**
 * storage.content: the source folder as a release in the bucket, and the pointer (`current.json`) the instances
 * poll. A changed folder is an update in place — a new release and a new pointer — never a new instance.
 */
export function contentResource(): ResourceOf<typeof RESOURCE_ID> {
  return {
    id: RESOURCE_ID,
    title: 'Site content',
    kind: 'managed',
    dependsOn: ['storage.bucket'],
    iam: ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:DeleteObject'],

    async discover(ctx) {
      const bucket = ctx.outputs.get('storage.bucket');
      return bucket ? found(ctx, bucket.bucketName) : undefined;
    },

    // Packing checks the folder's size and file count before anything is created.
    async preconditions(ctx) {
      await packedSource(ctx);
    },

    async diff(ctx, current) {
      const packed = await packedSource(ctx);
      if (current.current?.version === packed.version) return [];
      return [{ field: 'content version', from: current.current?.version ?? 'none', to: packed.version }];
    },

    create: (ctx) => publish(ctx),
    update: (ctx) => publish(ctx),

    async destroy(ctx, current) {
      // The pointer first: no instance switches to a release that is about to go. The bucket's own destroy
      // removes whatever else is left.
      const s3 = await s3Client(ctx);
      const keys = [POINTER_KEY, HISTORY_KEY, ...current.releases.map((release) => release.key)];
      try {
        await s3.deleteObject({ Bucket: current.bucketName, Key: POINTER_KEY });
        await s3.deleteObjects({
          Bucket: current.bucketName,
          Delete: { Objects: keys.slice(1).map((Key) => ({ Key })), Quiet: true },
        });
      } catch (error) {
        if (!ctx.isAwsError(error, 'NoSuchBucket')) throw error;
      }
    },

    async status(_ctx, current) {
      return [
        {
          name: current.pointerKey,
          id: current.current?.key ?? 'none',
          state: current.current ? `version ${current.current.version}` : 'no release yet',
          detail: `${current.releases.length} release${current.releases.length === 1 ? '' : 's'} kept`,
        },
      ];
    },

    summarize: (current) => ({
      pointerName: current.pointerKey,
      versionId: current.current?.version,
      releases: current.releases.length,
    }),
  };
}
