import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { ResourceContext } from '@site-cli/core/plugin';
import { buildUserData, siteLabel } from './user-data.js';
import { bucketEndpoint, buildStorageUserData, type ContentSource } from './user-data-storage.js';

/** What the configuration asks each instance to be; its fingerprint decides keep or replace. */
export interface InstanceSpec {
  instanceType: string;
  userData: string;
  volumeSize: number;
  /** Only a fixed AMI id: a newer image matching a filter is no reason to replace. */
  fixedImageId?: string;
  /** A `source.dir` site: the instance profile that lets the instances read the bucket. */
  instanceProfileArn?: string;
  /** Template id_name, source URL, or the user data file: tagged so diff can say what changed. */
  template: string;
  count: number;
  fingerprint: string;
}

export const TAG_FINGERPRINT = 'site:fingerprint';
export const TAG_INDEX = 'site:index';
export const TAG_INSTANCE_TYPE = 'site:instance-type';
export const TAG_TEMPLATE = 'site:template';
export const TAG_USER_DATA = 'site:user-data';
export const TAG_VOLUME_SIZE = 'site:volume-size';
export const TAG_AMI = 'site:ami';

export const SSH_USER = 'ec2-user';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function fingerprintOf(spec: Omit<InstanceSpec, 'fingerprint' | 'count' | 'template'>): string {
  return sha256(
    JSON.stringify({
      instanceType: spec.instanceType,
      userData: spec.userData,
      volumeSize: spec.volumeSize,
      imageId: spec.fixedImageId ?? null,
    }),
  ).slice(0, 16);
}

/**
 * Outputs of plugin-storage, read by id without its type declarations: plugin-storage reads the load balancer's
 * outputs, which read compute's, so compute importing storage's types would make the packages a cycle. The
 * fields below are the ones `@site-cli/plugin-storage/outputs` declares (BucketOutput, InstanceProfileOutput).
 */
interface StorageBucketView {
  bucketName: string;
  region: string;
}
interface StorageProfileView {
  instanceProfileArn: string;
}
function storageOutput<T>(ctx: ResourceContext, resourceId: string): T | undefined {
  const outputs = ctx.outputs as unknown as { get(id: string): unknown };
  return ctx.outputs.has(resourceId) ? (outputs.get(resourceId) as T) : undefined;
}

/** The instances' poll of the pointer: seconds between two reads (aws-sim's instance model reads it too). */
export const CONTENT_POLL_SECONDS = 2;

/**
 * Where a `source.dir` site's instances read their content: storage.bucket's outputs (types only). Undefined for
 * other sites, and before the bucket exists (a plan of a first deploy).
 */
export function contentSource(ctx: ResourceContext): ContentSource | undefined {
  if (!ctx.config.source?.dir) return undefined;
  const bucket = storageOutput<StorageBucketView>(ctx, 'storage.bucket');
  if (!bucket) return undefined;
  return {
    bucket: bucket.bucketName,
    region: bucket.region,
    endpoint: bucketEndpoint(bucket.bucketName, bucket.region),
    pointer: 'current.json',
    pollSeconds: CONTENT_POLL_SECONDS,
  };
}

/** The user data text: the configured file (read now) or the generated script. */
export async function userDataText(ctx: ResourceContext): Promise<{ text: string; template: string }> {
  const file = ctx.config.instance.userDataFile;
  const content = contentSource(ctx);
  // The label is tagged: the bucket and pointer, never the version (a new version is no new instance).
  if (file === undefined && content)
    return { text: buildStorageUserData(content), template: `s3://${content.bucket}/${content.pointer}` };
  if (file === undefined) return { text: buildUserData(ctx.config), template: siteLabel(ctx.config) };
  const path = isAbsolute(file) ? file : resolve(ctx.configDir, file);
  try {
    return { text: await readFile(path, 'utf8'), template: `file:${file}` };
  } catch (error) {
    throw ctx.error({
      code: 'USER_DATA_FILE_NOT_FOUND',
      message: `instance.userDataFile: cannot read ${path} (${(error as Error).message}).`,
      suggestions: [
        'Fix the path in instance.userDataFile (relative to the config file), or remove it to use the generated script.',
      ],
      exitCode: 2,
      details: { key: 'instance.userDataFile', value: file, path },
    });
  }
}

export async function desiredSpec(ctx: ResourceContext): Promise<InstanceSpec> {
  const { text, template } = await userDataText(ctx);
  const ami = ctx.config.instance.ami;
  const base = {
    instanceType: ctx.config.instance.type,
    userData: text,
    volumeSize: ctx.config.instance.volumeSize,
    fixedImageId: typeof ami === 'string' ? ami : undefined,
  };
  const profile = ctx.config.source?.dir
    ? storageOutput<StorageProfileView>(ctx, 'storage.instance-profile')
    : undefined;
  return {
    ...base,
    ...(profile ? { instanceProfileArn: profile.instanceProfileArn } : {}),
    template,
    count: ctx.config.instance.count ?? 1,
    fingerprint: fingerprintOf(base),
  };
}

/** The tags beyond the site's own that each instance (and its volume) carries. */
export function specTags(spec: InstanceSpec, index: number): Record<string, string> {
  const tags: Record<string, string> = {
    [TAG_FINGERPRINT]: spec.fingerprint,
    [TAG_INDEX]: String(index),
    [TAG_INSTANCE_TYPE]: spec.instanceType,
    [TAG_TEMPLATE]: spec.template.slice(0, 256),
    [TAG_USER_DATA]: sha256(spec.userData).slice(0, 16),
    [TAG_VOLUME_SIZE]: String(spec.volumeSize),
  };
  if (spec.fixedImageId) tags[TAG_AMI] = spec.fixedImageId;
  return tags;
}

/**
 * RunInstances' idempotency token (docs/resource-graph.md): sha256(site, instance security group id,
 * fingerprint, index) — 64 hex characters, AWS's limit. `salt` chains a fresh token when the first one
 * belongs to an instance that was terminated since (same spec relaunched at the same index).
 */
export function clientToken(
  site: string,
  securityGroupId: string,
  fingerprint: string,
  index: number,
  salt?: string,
): string {
  const base = sha256([site, securityGroupId, fingerprint, String(index)].join('\n'));
  return salt === undefined ? base : sha256(`${base}\n${salt}`);
}
