import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetBucketAclCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeletePublicAccessBlockCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { request } from 'node:http';
import { readObject, startSimulator, type SimState, type Simulator } from '../src/index.js';
import { failure } from './helpers.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const s3Of = (sim: Simulator, region = 'us-east-1') =>
  new S3Client({
    endpoint: sim.endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });

/** The S3 error a call ends in: its code and HTTP status. */
async function refusal(fn: () => Promise<unknown>): Promise<[string, number | undefined]> {
  const e = await failure(fn);
  return [e.name, e.$metadata?.httpStatusCode];
}

/** A request signed (in form only) for S3, for what the SDK never sends. */
const s3Headers = (extra: Record<string, string> = {}) => ({
  authorization:
    'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0',
  ...extra,
});

describe('S3', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let s3: S3Client;
  beforeEach(async () => {
    sim = await startSimulator({ profile: 'fast', seed: 1 });
    s3 = s3Of(sim);
  });
  afterEach(() => sim.stop());

  describe('buckets', () => {
    it('creates a private, encrypted bucket in us-east-1, finds and lists it, and deletes it', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'site-cafe-1' }));
      assert.equal(
        (await s3.send(new HeadBucketCommand({ Bucket: 'site-cafe-1' }))).$metadata.httpStatusCode,
        200,
      );
      assert.equal(
        (await s3.send(new GetBucketLocationCommand({ Bucket: 'site-cafe-1' }))).LocationConstraint,
        undefined,
      );
      const listed = await s3.send(new ListBucketsCommand({}));
      assert.deepEqual(
        listed.Buckets?.map((b) => b.Name),
        ['site-cafe-1'],
      );
      assert.match(listed.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
      // New buckets since 2023: Block Public Access on, SSE-S3 on, versioning never set.
      const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'site-cafe-1' }));
      assert.deepEqual(block.PublicAccessBlockConfiguration, {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      });
      const sse = await s3.send(new GetBucketEncryptionCommand({ Bucket: 'site-cafe-1' }));
      assert.equal(
        sse.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
        'AES256',
      );
      assert.equal(
        (await s3.send(new GetBucketVersioningCommand({ Bucket: 'site-cafe-1' }))).Status,
        undefined,
      );
      await s3.send(new DeleteBucketCommand({ Bucket: 'site-cafe-1' }));
      assert.deepEqual(await refusal(() => s3.send(new HeadBucketCommand({ Bucket: 'site-cafe-1' }))), [
        'NotFound',
        404,
      ]);
      assert.deepEqual(
        await refusal(() => s3.send(new GetBucketLocationCommand({ Bucket: 'site-cafe-1' }))),
        ['NoSuchBucket', 404],
      );
    });

    it('refuses names against the naming rules, and names other accounts hold', async () => {
      for (const name of [
        'ab',
        'Site-Upper',
        'under_score',
        '-dash-first',
        'two..dots',
        '192.168.5.4',
        'xn--abc',
        'thing-s3alias',
        'a'.repeat(64),
      ])
        assert.deepEqual(
          await refusal(() => s3.send(new CreateBucketCommand({ Bucket: name }))),
          ['InvalidBucketName', 400],
          name,
        );
      assert.deepEqual(await refusal(() => s3.send(new CreateBucketCommand({ Bucket: 'my-bucket' }))), [
        'BucketAlreadyExists',
        409,
      ]);
      assert.equal((await s3.send(new ListBucketsCommand({}))).Buckets?.length ?? 0, 0, 'nothing created');
    });

    it('us-east-1 takes no location constraint and answers 200 to its owner re-creating a bucket', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'site-east' }));
      await s3.send(new CreateBucketCommand({ Bucket: 'site-east' }));
      assert.deepEqual(
        await refusal(() =>
          s3.send(
            new CreateBucketCommand({
              Bucket: 'site-west',
              CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
            }),
          ),
        ),
        ['IllegalLocationConstraintException', 400],
      );
      assert.deepEqual(
        await refusal(() =>
          s3.send(
            new CreateBucketCommand({
              Bucket: 'site-west',
              CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never },
            }),
          ),
        ),
        ['InvalidLocationConstraint', 400],
      );
    });

    it('other regions need their own constraint; re-creating is BucketAlreadyOwnedByYou', async () => {
      await sim.stop();
      sim = await startSimulator({ profile: 'fast', region: 'eu-west-1' });
      s3 = s3Of(sim, 'eu-west-1');
      // The SDK adds its region's constraint itself: the bare request, as another client may send it.
      const bare = await fetch(`${sim.endpoint}/site-eu`, {
        method: 'PUT',
        headers: s3Headers({ authorization: s3Headers().authorization.replace('us-east-1', 'eu-west-1') }),
      });
      assert.equal(bare.status, 400);
      assert.match(await bare.text(), /<Code>IllegalLocationConstraintException<\/Code>/);
      const config = {
        Bucket: 'site-eu',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' as const },
      };
      await s3.send(new CreateBucketCommand(config));
      assert.equal(
        (await s3.send(new GetBucketLocationCommand({ Bucket: 'site-eu' }))).LocationConstraint,
        'eu-west-1',
      );
      assert.equal((await s3.send(new HeadBucketCommand({ Bucket: 'site-eu' }))).BucketRegion, 'eu-west-1');
      assert.deepEqual(await refusal(() => s3.send(new CreateBucketCommand(config))), [
        'BucketAlreadyOwnedByYou',
        409,
      ]);
    });

    it('will not delete a bucket while an object or a version remains', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'site-full' }));
      await s3.send(
        new PutBucketVersioningCommand({
          Bucket: 'site-full',
          VersioningConfiguration: { Status: 'Enabled' },
        }),
      );
      await s3.send(new PutObjectCommand({ Bucket: 'site-full', Key: 'index.html', Body: 'v1' }));
      await s3.send(new DeleteObjectCommand({ Bucket: 'site-full', Key: 'index.html' }));
      // The key is gone from listings, but its version and the delete marker remain.
      assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: 'site-full' }))).KeyCount, 0);
      assert.deepEqual(await refusal(() => s3.send(new DeleteBucketCommand({ Bucket: 'site-full' }))), [
        'BucketNotEmpty',
        409,
      ]);
      const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: 'site-full' }));
      await s3.send(
        new DeleteObjectsCommand({
          Bucket: 'site-full',
          Delete: {
            Objects: [...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])].map((v) => ({
              Key: v.Key,
              VersionId: v.VersionId,
            })),
          },
        }),
      );
      await s3.send(new DeleteBucketCommand({ Bucket: 'site-full' }));
    });
  });

  describe('bucket configuration', () => {
    beforeEach(() => s3.send(new CreateBucketCommand({ Bucket: 'site-conf' })));
    const Bucket = 'site-conf';

    it('Block Public Access: put, get, delete', async () => {
      await s3.send(
        new PutPublicAccessBlockCommand({
          Bucket,
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: false },
        }),
      );
      const got = await s3.send(new GetPublicAccessBlockCommand({ Bucket }));
      assert.deepEqual(got.PublicAccessBlockConfiguration, {
        BlockPublicAcls: true,
        IgnorePublicAcls: false,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      });
      await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
      assert.deepEqual(await refusal(() => s3.send(new GetPublicAccessBlockCommand({ Bucket }))), [
        'NoSuchPublicAccessBlockConfiguration',
        404,
      ]);
    });

    it('encryption: takes SSE-KMS, refuses a KMS key with SSE-S3', async () => {
      await s3.send(
        new PutBucketEncryptionCommand({
          Bucket,
          ServerSideEncryptionConfiguration: {
            Rules: [
              { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true },
            ],
          },
        }),
      );
      const got = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
      assert.equal(got.ServerSideEncryptionConfiguration?.Rules?.[0]?.BucketKeyEnabled, true);
      assert.deepEqual(
        await refusal(() =>
          s3.send(
            new PutBucketEncryptionCommand({
              Bucket,
              ServerSideEncryptionConfiguration: {
                Rules: [
                  {
                    ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: 'alias/x' },
                  },
                ],
              },
            }),
          ),
        ),
        ['InvalidArgument', 400],
      );
    });

    it('versioning: Enabled then Suspended, never back to unversioned', async () => {
      await s3.send(
        new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }),
      );
      assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, 'Enabled');
      await s3.send(
        new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }),
      );
      assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, 'Suspended');
      assert.deepEqual(
        await refusal(() => s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: {} }))),
        ['MalformedXML', 400],
      );
    });

    it('lifecycle: keeps the last N noncurrent versions; refuses rules without an action, duplicate ids, zero days', async () => {
      const rule = {
        ID: 'old-versions',
        Status: 'Enabled' as const,
        Filter: { Prefix: '' },
        NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 3 },
      };
      await s3.send(
        new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [rule] } }),
      );
      const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
      assert.deepEqual(got.Rules?.[0]?.NoncurrentVersionExpiration, {
        NoncurrentDays: 1,
        NewerNoncurrentVersions: 3,
      });
      const put = (rules: object[]) => () =>
        s3.send(
          new PutBucketLifecycleConfigurationCommand({
            Bucket,
            LifecycleConfiguration: { Rules: rules as never },
          }),
        );
      assert.deepEqual(await refusal(put([{ ID: 'x', Status: 'Enabled', Filter: {} }])), [
        'InvalidRequest',
        400,
      ]);
      assert.deepEqual(await refusal(put([rule, rule])), ['InvalidArgument', 400]);
      assert.deepEqual(
        await refusal(put([{ ...rule, NoncurrentVersionExpiration: { NoncurrentDays: 0 } }])),
        ['InvalidArgument', 400],
      );
      await s3.send(new DeleteBucketLifecycleCommand({ Bucket }));
      assert.deepEqual(await refusal(() => s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))), [
        'NoSuchLifecycleConfiguration',
        404,
      ]);
    });

    it('tags: put, get, delete; refuses aws: keys and duplicates', async () => {
      assert.deepEqual(await refusal(() => s3.send(new GetBucketTaggingCommand({ Bucket }))), [
        'NoSuchTagSet',
        404,
      ]);
      const TagSet = [
        { Key: 'site:name', Value: 'cafe' },
        { Key: 'ManagedBy', Value: 'site' },
      ];
      await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet } }));
      assert.deepEqual((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet, TagSet);
      const put = (tags: { Key: string; Value: string }[]) => () =>
        s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: tags } }));
      assert.deepEqual(await refusal(put([{ Key: 'aws:x', Value: '1' }])), ['InvalidTag', 400]);
      assert.deepEqual(
        await refusal(
          put([
            { Key: 'a', Value: '1' },
            { Key: 'a', Value: '2' },
          ]),
        ),
        ['InvalidTag', 400],
      );
      await s3.send(new DeleteBucketTaggingCommand({ Bucket }));
      assert.deepEqual(await refusal(() => s3.send(new GetBucketTaggingCommand({ Bucket }))), [
        'NoSuchTagSet',
        404,
      ]);
    });

    it('policy: refuses bad JSON, other resources, and a public policy while Block Public Access says so', async () => {
      assert.deepEqual(await refusal(() => s3.send(new GetBucketPolicyCommand({ Bucket }))), [
        'NoSuchBucketPolicy',
        404,
      ]);
      const statement = (Principal: unknown, Resource = `arn:aws:s3:::${Bucket}/*`) =>
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal, Action: 's3:GetObject', Resource }],
        });
      const role = { AWS: 'arn:aws:iam::123456789012:role/site-cafe' };
      const put = (Policy: string) => () => s3.send(new PutBucketPolicyCommand({ Bucket, Policy }));
      assert.deepEqual(await refusal(put('not json')), ['MalformedPolicy', 400]);
      assert.deepEqual(await refusal(put(statement(role, 'arn:aws:s3:::other-bucket/*'))), [
        'MalformedPolicy',
        400,
      ]);
      assert.deepEqual(await refusal(put(statement('*'))), ['AccessDenied', 403]);
      await put(statement(role))();
      assert.equal((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy, statement(role));
      assert.equal(
        (await s3.send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus?.IsPublic,
        false,
      );
      await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: {} }));
      await put(statement('*'))();
      assert.equal(
        (await s3.send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus?.IsPublic,
        true,
      );
    });
  });

  describe('objects', () => {
    const Bucket = 'site-objects';
    beforeEach(() => s3.send(new CreateBucketCommand({ Bucket })));

    it('stores bytes with their MD5 ETag and type, reads them back whole or by range, and deletes them', async () => {
      const body = Buffer.from('<h1>Barista café</h1>');
      const md5 = createHash('md5').update(body).digest();
      const put = await s3.send(
        new PutObjectCommand({
          Bucket,
          Key: 'v1/index.html',
          Body: body,
          ContentType: 'text/html',
          ContentMD5: md5.toString('base64'),
        }),
      );
      assert.equal(put.ETag, `"${md5.toString('hex')}"`);
      assert.equal(put.ServerSideEncryption, 'AES256');
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'v1/index.html' }));
      assert.equal(got.ContentType, 'text/html');
      assert.equal(got.ContentLength, body.length);
      assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(body));
      const part = await s3.send(new GetObjectCommand({ Bucket, Key: 'v1/index.html', Range: 'bytes=4-9' }));
      assert.equal(part.$metadata.httpStatusCode, 206);
      assert.equal(part.ContentRange, `bytes 4-9/${body.length}`);
      assert.equal(await part.Body!.transformToString(), 'Barist');
      assert.deepEqual(
        await refusal(() =>
          s3.send(new GetObjectCommand({ Bucket, Key: 'v1/index.html', Range: 'bytes=999-' })),
        ),
        ['InvalidRange', 416],
      );
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'v1/index.html' }));
      assert.equal(head.ETag, put.ETag);
      assert.equal(head.ContentLength, body.length);
      assert.deepEqual(readObject(sim.snapshot() as SimState, Bucket, 'v1/index.html'), {
        body,
        etag: put.ETag,
      });
      await s3.send(new DeleteObjectCommand({ Bucket, Key: 'v1/index.html' }));
      assert.deepEqual(await refusal(() => s3.send(new GetObjectCommand({ Bucket, Key: 'v1/index.html' }))), [
        'NoSuchKey',
        404,
      ]);
      assert.deepEqual(
        await refusal(() => s3.send(new HeadObjectCommand({ Bucket, Key: 'v1/index.html' }))),
        ['NotFound', 404],
      );
      assert.equal(readObject(sim.snapshot() as SimState, Bucket, 'v1/index.html'), undefined);
      assert.deepEqual(
        await refusal(() => s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket-x', Key: 'a' }))),
        ['NoSuchBucket', 404],
      );
    });

    it('refuses bytes that do not match their Content-MD5 or checksum, keeping nothing', async () => {
      const Body = Buffer.from('hello');
      const otherMd5 = createHash('md5').update('other').digest('base64');
      assert.deepEqual(
        await refusal(() => s3.send(new PutObjectCommand({ Bucket, Key: 'a', Body, ContentMD5: otherMd5 }))),
        ['BadDigest', 400],
      );
      assert.deepEqual(
        await refusal(() =>
          s3.send(new PutObjectCommand({ Bucket, Key: 'a', Body, ContentMD5: 'bm90LW1kNQ==' })),
        ),
        ['InvalidDigest', 400],
      );
      const otherSha = createHash('sha256').update('other').digest('base64');
      assert.deepEqual(
        await refusal(() =>
          s3.send(new PutObjectCommand({ Bucket, Key: 'a', Body, ChecksumSHA256: otherSha })),
        ),
        ['BadDigest', 400],
      );
      const sha = createHash('sha256').update(Body).digest('base64');
      const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'b', Body, ChecksumSHA256: sha }));
      assert.equal(put.ChecksumSHA256, sha);
      assert.equal(
        (await s3.send(new ListObjectsV2Command({ Bucket }))).KeyCount,
        1,
        'only the good upload landed',
      );
      // A signed payload hash that is not the body's.
      const raw = await fetch(`${sim.endpoint}/${Bucket}/c`, {
        method: 'PUT',
        headers: s3Headers({ 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex') }),
        body: 'hello',
      });
      assert.equal(raw.status, 400);
      assert.match(await raw.text(), /<Code>XAmzContentSHA256Mismatch<\/Code>/);
    });

    it('lists keys in pages, by prefix and with common prefixes', async () => {
      for (const key of ['v1/index.html', 'v1/css/a.css', 'v1/css/b.css', 'v2/index.html', 'version.txt'])
        await s3.send(new PutObjectCommand({ Bucket, Key: key, Body: key }));
      const keys: string[] = [];
      let ContinuationToken: string | undefined;
      let pages = 0;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket, Prefix: 'v', MaxKeys: 2, ContinuationToken }),
        );
        keys.push(...(page.Contents ?? []).map((c) => c.Key!));
        ContinuationToken = page.NextContinuationToken;
        pages++;
      } while (ContinuationToken);
      assert.deepEqual(keys, [
        'v1/css/a.css',
        'v1/css/b.css',
        'v1/index.html',
        'v2/index.html',
        'version.txt',
      ]);
      assert.equal(pages, 3);
      const top = await s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/' }));
      assert.deepEqual(
        top.CommonPrefixes?.map((p) => p.Prefix),
        ['v1/', 'v2/'],
      );
      assert.deepEqual(
        top.Contents?.map((c) => c.Key),
        ['version.txt'],
      );
      assert.deepEqual(
        await refusal(() => s3.send(new ListObjectsV2Command({ Bucket, ContinuationToken: '!!' }))),
        ['InvalidArgument', 400],
      );
    });

    it('keeps every version while versioning is on; a delete leaves a marker; copies', async () => {
      await s3.send(
        new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }),
      );
      const v1 = await s3.send(new PutObjectCommand({ Bucket, Key: 'index.html', Body: 'one' }));
      const v2 = await s3.send(new PutObjectCommand({ Bucket, Key: 'index.html', Body: 'two' }));
      assert.ok(v1.VersionId && v2.VersionId && v1.VersionId !== v2.VersionId);
      const old = await s3.send(new GetObjectCommand({ Bucket, Key: 'index.html', VersionId: v1.VersionId }));
      assert.equal(await old.Body!.transformToString(), 'one');
      const copy = await s3.send(
        new CopyObjectCommand({ Bucket, Key: 'copy.html', CopySource: `${Bucket}/index.html` }),
      );
      assert.equal(copy.CopyObjectResult?.ETag, v2.ETag);
      assert.deepEqual(
        await refusal(() =>
          s3.send(new CopyObjectCommand({ Bucket, Key: 'index.html', CopySource: `${Bucket}/index.html` })),
        ),
        ['InvalidRequest', 400],
      );
      const deleted = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'index.html' }));
      assert.equal(deleted.DeleteMarker, true);
      assert.deepEqual(await refusal(() => s3.send(new GetObjectCommand({ Bucket, Key: 'index.html' }))), [
        'NoSuchKey',
        404,
      ]);
      const versions = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'index' }));
      assert.deepEqual(
        versions.Versions?.map((v) => [v.VersionId, v.IsLatest]),
        [
          [v2.VersionId, false],
          [v1.VersionId, false],
        ],
      );
      assert.deepEqual(
        versions.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest]),
        [[deleted.VersionId, true]],
      );
      assert.deepEqual(
        await refusal(() => s3.send(new GetObjectCommand({ Bucket, Key: 'index.html', VersionId: 'nope' }))),
        ['NoSuchVersion', 404],
      );
    });

    it('deletes in batches, and refuses a batch without an integrity header', async () => {
      for (const key of ['a', 'b']) await s3.send(new PutObjectCommand({ Bucket, Key: key, Body: key }));
      const done = await s3.send(
        new DeleteObjectsCommand({
          Bucket,
          Delete: { Objects: [{ Key: 'a' }, { Key: 'b' }, { Key: 'never' }] },
        }),
      );
      assert.deepEqual(
        done.Deleted?.map((d) => d.Key),
        ['a', 'b', 'never'],
      );
      assert.equal((await s3.send(new ListObjectsV2Command({ Bucket }))).KeyCount, 0);
      const body = '<Delete><Object><Key>x</Key></Object></Delete>';
      const raw = await fetch(`${sim.endpoint}/${Bucket}?delete`, {
        method: 'POST',
        headers: s3Headers(),
        body,
      });
      assert.equal(raw.status, 400);
      assert.match(await raw.text(), /<Code>InvalidRequest<\/Code>/);
      const malformed = await fetch(`${sim.endpoint}/${Bucket}?delete`, {
        method: 'POST',
        headers: s3Headers({ 'content-md5': createHash('md5').update('<Delete>').digest('base64') }),
        body: '<Delete>',
      });
      assert.equal(malformed.status, 400);
      assert.match(await malformed.text(), /<Code>MalformedXML<\/Code>/);
    });

    it('joins a multipart upload; refuses small parts, wrong ETags, and aborted uploads', async () => {
      const big = Buffer.alloc(5 * 1024 * 1024, 'a');
      const tail = Buffer.from('the end');
      const start = () =>
        s3.send(
          new CreateMultipartUploadCommand({ Bucket, Key: 'site.zip', ContentType: 'application/zip' }),
        );
      const { UploadId } = await start();
      const part = (PartNumber: number, Body: Buffer, id = UploadId) =>
        s3.send(new UploadPartCommand({ Bucket, Key: 'site.zip', UploadId: id, PartNumber, Body }));
      const one = await part(1, big);
      const two = await part(2, tail);
      const complete =
        (Parts: { PartNumber: number; ETag?: string }[], id = UploadId) =>
        () =>
          s3.send(
            new CompleteMultipartUploadCommand({
              Bucket,
              Key: 'site.zip',
              UploadId: id,
              MultipartUpload: { Parts },
            }),
          );
      assert.deepEqual(
        await refusal(
          complete([
            { PartNumber: 1, ETag: two.ETag },
            { PartNumber: 2, ETag: two.ETag },
          ]),
        ),
        ['InvalidPart', 400],
      );
      assert.deepEqual(
        await refusal(
          complete([
            { PartNumber: 2, ETag: two.ETag },
            { PartNumber: 1, ETag: one.ETag },
          ]),
        ),
        ['InvalidPartOrder', 400],
      );
      const done = await complete([
        { PartNumber: 1, ETag: one.ETag },
        { PartNumber: 2, ETag: two.ETag },
      ])();
      assert.match(done.ETag ?? '', /^"[0-9a-f]{32}-2"$/);
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'site.zip' }));
      assert.equal(got.ContentType, 'application/zip');
      assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([big, tail])));
      assert.deepEqual(await refusal(() => part(3, tail)), ['NoSuchUpload', 404]);
      const small = await start();
      const a = await part(1, tail, small.UploadId);
      const b = await part(2, tail, small.UploadId);
      assert.deepEqual(
        await refusal(
          complete(
            [
              { PartNumber: 1, ETag: a.ETag },
              { PartNumber: 2, ETag: b.ETag },
            ],
            small.UploadId,
          ),
        ),
        ['EntityTooSmall', 400],
      );
      await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'site.zip', UploadId: small.UploadId }));
      assert.deepEqual(await refusal(() => part(3, tail, small.UploadId)), ['NoSuchUpload', 404]);
    });

    it('logs an upload by its size, answers virtual-host requests, and says what it does not implement', async () => {
      await s3.send(new PutObjectCommand({ Bucket, Key: 'logged.txt', Body: 'twelve bytes' }));
      assert.equal((sim.calls.at(-1)!.params as { Body: unknown }).Body, '<12 bytes>');
      const viaHost = await new Promise<string>((resolve, reject) =>
        request(
          `${sim.endpoint}/logged.txt`,
          { headers: { ...s3Headers(), host: `${Bucket}.localhost:${sim.port}` } },
          (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => resolve(text));
          },
        )
          .on('error', reject)
          .end(),
      );
      assert.equal(viaHost, 'twelve bytes');
      assert.deepEqual(await refusal(() => s3.send(new GetBucketAclCommand({ Bucket }))), [
        'NotImplemented',
        501,
      ]);
    });

    it('keeps the bytes in the state file: a new simulator on it serves them', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sim-s3-'));
      try {
        await sim.stop();
        sim = await startSimulator({ profile: 'fast', stateFile: join(dir, 'state.json') });
        s3 = s3Of(sim);
        await s3.send(new CreateBucketCommand({ Bucket }));
        await s3.send(new PutObjectCommand({ Bucket, Key: 'kept.bin', Body: Buffer.from([0, 1, 2, 255]) }));
        await sim.stop();
        sim = await startSimulator({ profile: 'fast', stateFile: join(dir, 'state.json') });
        const got = await s3Of(sim).send(new GetObjectCommand({ Bucket, Key: 'kept.bin' }));
        assert.deepEqual([...(await got.Body!.transformToByteArray())], [0, 1, 2, 255]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('with the AWS CLI', function () {
    const AWS = '/usr/bin/aws';
    this.timeout(180_000);
    before(function () {
      if (!existsSync(AWS)) this.skip();
    });
    const aws = async (...args: string[]) =>
      (
        await promisify(execFile)(AWS, [...args, '--endpoint-url', sim.endpoint], {
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            AWS_ACCESS_KEY_ID: 'test',
            AWS_SECRET_ACCESS_KEY: 'test',
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_PAGER: '',
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          },
        })
      ).stdout;

    it('makes a bucket, copies a folder up and back, lists it, and removes it with --force', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sim-s3-cli-'));
      try {
        mkdirSync(join(dir, 'up', 'css'), { recursive: true });
        writeFileSync(join(dir, 'up', 'index.html'), '<h1>café</h1>');
        writeFileSync(join(dir, 'up', 'css', 'a b+c.css'), 'body{}');
        // Past 8 MB the CLI uploads in parts.
        const big = Buffer.alloc(9 * 1024 * 1024, 'z');
        writeFileSync(join(dir, 'up', 'big.bin'), big);
        await aws('s3', 'mb', 's3://site-cli');
        await aws('s3', 'cp', '--recursive', join(dir, 'up'), 's3://site-cli/v1/');
        const listing = await aws('s3', 'ls', '--recursive', 's3://site-cli');
        assert.match(listing, /v1\/index\.html/);
        assert.match(listing, /v1\/css\/a b\+c\.css/);
        assert.match(await aws('s3', 'ls'), /site-cli/);
        await aws('s3', 'cp', 's3://site-cli/v1/index.html', join(dir, 'down.html'));
        assert.equal(readFileSync(join(dir, 'down.html'), 'utf8'), '<h1>café</h1>');
        await aws('s3', 'cp', 's3://site-cli/v1/big.bin', join(dir, 'big.out'));
        assert.ok(readFileSync(join(dir, 'big.out')).equals(big));
        const block = JSON.parse(await aws('s3api', 'get-public-access-block', '--bucket', 'site-cli'));
        assert.equal(block.PublicAccessBlockConfiguration.BlockPublicPolicy, true);
        await aws('s3', 'rb', '--force', 's3://site-cli');
        assert.doesNotMatch(await aws('s3', 'ls'), /site-cli/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
