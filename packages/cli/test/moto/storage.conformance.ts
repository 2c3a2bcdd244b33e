import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { startTooplateMirror } from '@site-cli/core/testing/tooplate-mirror';
import path from 'node:path';
import { runSite, tempProject } from '../run-site.js';
import { awsCli, recordingProxy, startMoto, type Moto } from './moto.js';

/**
 * Conformance for a `source.dir` site (issue 13) against moto: `site init --template` from a loopback zip, deploy, a content-only update that replaces no
 * instance, rollback, destroy — the bucket, role and instance profile read back with the AWS CLI v2.
 */

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const LIVE = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];
// moto's account.
const ACCOUNT = '123456789012';

describe('a source.dir site against moto (conformance)', function () {
  this.timeout(300_000);
  let moto: Moto;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let aws: Awaited<ReturnType<typeof awsCli>>;
  let project: ReturnType<typeof tempProject>;
  let mirror: Awaited<ReturnType<typeof startTooplateMirror>>;
  const name = `moto-st-${randomBytes(3).toString('hex')}`;
  const bucket = `${name}-${ACCOUNT}-us-east-1`;
  const site = (...args: string[]) =>
    runSite([...args, '--endpoint-url', proxy.url], {
      cwd: project.dir,
      env: {
        ...project.env,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_REGION: 'us-east-1',
      },
    });
  const writePage = (heading: string) =>
    writeFileSync(path.join(project.dir, 'public', 'index.html'), `<!doctype html><h1>${heading}</h1>\n`);
  const liveInstances = async () =>
    (
      await aws(
        'ec2',
        'describe-instances',
        '--filters',
        `Name=tag:site:name,Values=${name}`,
        `Name=instance-state-name,Values=${LIVE.join(',')}`,
      )
    ).Reservations.flatMap((r: any) => r.Instances);
  const pointer = async () => {
    const file = path.join(project.dir, 'pointer.json');
    await aws('s3api', 'get-object', '--bucket', bucket, '--key', 'current.json', file);
    return JSON.parse(readFileSync(file, 'utf8'));
  };

  before(async () => {
    mirror = await startTooplateMirror();
    moto = await startMoto();
    proxy = await recordingProxy(moto.url);
    aws = await awsCli(moto.url);
    project = tempProject();
    // As a new user starts: `site init` from a template zip (served on loopback), then an edit.
    const init = await runSite(['init', '--template', '2137_barista_cafe', '--name', name, '--json'], {
      cwd: project.dir,
      env: { ...project.env, SITE_TEMPLATE_BASE_URL: mirror.base },
    });
    assert.equal(init.code, 0, init.stderr);
    assert.deepEqual(JSON.parse(init.stdout).result.config, { name, source: { dir: './public' } });
    // moto has no checkip: a fixed SSH source instead of init's `auto`.
    const configFile = path.join(project.dir, 'site.config.yaml');
    const config = readFileSync(configFile, 'utf8');
    assert.match(config, /^ {2}cidr: auto$/m);
    writeFileSync(configFile, config.replace(/^ {2}cidr: auto$/m, '  cidr: 203.0.113.7/32'));
    writePage('Cafe, first edit');
  });
  after(async () => {
    await mirror?.close();
    await proxy?.close();
    await moto?.stop();
  });

  it('deploys a private bucket, a role that reads only its objects, and instances that poll the pointer', async () => {
    const first = await site('deploy', '--yes', '--json');
    assert.equal(first.code, 0, first.stderr);

    const block = await aws('s3api', 'get-public-access-block', '--bucket', bucket);
    assert.deepEqual(block.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const encryption = await aws('s3api', 'get-bucket-encryption', '--bucket', bucket);
    assert.equal(
      encryption.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm,
      'AES256',
    );
    const tags = (await aws('s3api', 'get-bucket-tagging', '--bucket', bucket)).TagSet;
    assert.ok(tags.some((t: any) => t.Key === 'site:name' && t.Value === name));
    assert.ok(tags.some((t: any) => t.Key === 'ManagedBy' && t.Value === 'site'));
    const lifecycle = await aws('s3api', 'get-bucket-lifecycle-configuration', '--bucket', bucket);
    assert.equal(lifecycle.Rules[0].AbortIncompleteMultipartUpload.DaysAfterInitiation, 1);

    const role = (await aws('iam', 'get-role', '--role-name', `${name}-instance-role`)).Role;
    const trust =
      typeof role.AssumeRolePolicyDocument === 'string'
        ? JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument))
        : role.AssumeRolePolicyDocument;
    assert.deepEqual(
      trust.Statement.map((s: any) => s.Principal.Service),
      ['ec2.amazonaws.com'],
    );
    assert.deepEqual((await aws('iam', 'list-role-policies', '--role-name', role.RoleName)).PolicyNames, [
      'site-content-read',
    ]);
    assert.deepEqual(
      (await aws('iam', 'list-attached-role-policies', '--role-name', role.RoleName)).AttachedPolicies,
      [],
    );
    const inline = await aws(
      'iam',
      'get-role-policy',
      '--role-name',
      role.RoleName,
      '--policy-name',
      'site-content-read',
    );
    const policy =
      typeof inline.PolicyDocument === 'string'
        ? JSON.parse(decodeURIComponent(inline.PolicyDocument))
        : inline.PolicyDocument;
    assert.deepEqual(policy.Statement, [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
    ]);
    const profile = (
      await aws('iam', 'get-instance-profile', '--instance-profile-name', `${name}-instance-profile`)
    ).InstanceProfile;
    assert.deepEqual(
      profile.Roles.map((r: any) => r.RoleName),
      [role.RoleName],
    );

    const [instance] = await liveInstances();
    assert.equal(instance.IamInstanceProfile?.Arn, profile.Arn);
    const userData = Buffer.from(
      (
        await aws(
          'ec2',
          'describe-instance-attribute',
          '--instance-id',
          instance.InstanceId,
          '--attribute',
          'userData',
        )
      ).UserData.Value,
      'base64',
    ).toString('utf8');
    assert.match(userData, new RegExp(`^SITE_CONTENT_BUCKET='${bucket}'$`, 'm'));
    assert.match(userData, /^SITE_CONTENT_POINTER='current\.json'$/m);
    assert.match(userData, /^SITE_CONTENT_POLL_SECONDS='2'$/m);

    const current = await pointer();
    assert.match(current.version, /^[0-9a-f]{12}$/);
    assert.equal(current.key, `releases/${current.version}.zip`);
  });

  it('updates the content in place: a new release and pointer, the same instances', async () => {
    const before = (await liveInstances()).map((i: any) => i.InstanceId);
    const previous = (await pointer()).version;
    writePage('Cafe, second edit');
    const plan = await site('plan', '--json');
    assert.equal(plan.code, 3, plan.stderr);
    const steps = JSON.parse(plan.stdout).result.steps.filter((s: any) =>
      ['create', 'update', 'replace', 'delete'].includes(s.action),
    );
    assert.deepEqual(
      steps.map((s: any) => `${s.action} ${s.resourceId}`),
      ['update storage.content'],
    );

    const second = await site('deploy', '--yes', '--json');
    assert.equal(second.code, 0, second.stderr);
    const now = await pointer();
    assert.notEqual(now.version, previous);
    assert.deepEqual(
      (await liveInstances()).map((i: any) => i.InstanceId),
      before,
    );
    const keys = (
      await aws('s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', 'releases/')
    ).Contents.map((o: any) => o.Key);
    assert.deepEqual(keys.sort(), [`releases/${previous}.zip`, `releases/${now.version}.zip`].sort());

    const again = await site('deploy', '--yes', '--json');
    assert.equal(again.code, 0, again.stderr);
    assert.equal((await pointer()).version, now.version);

    const rollback = await site('rollback', '--json');
    assert.equal(rollback.code, 0, rollback.stderr);
    assert.deepEqual(
      { from: JSON.parse(rollback.stdout).result.from, to: JSON.parse(rollback.stdout).result.to },
      { from: now.version, to: previous },
    );
    assert.equal((await pointer()).version, previous);
  });

  it('destroys the bucket with every object, the profile and the role', async () => {
    const gone = await site('destroy', '--yes', '--json');
    assert.equal(gone.code, 0, gone.stderr);
    const buckets = (await aws('s3api', 'list-buckets')).Buckets ?? [];
    assert.deepEqual(
      buckets.filter((b: any) => b.Name === bucket),
      [],
    );
    const roles = (await aws('iam', 'list-roles')).Roles.filter((r: any) => r.RoleName.startsWith(name));
    assert.deepEqual(roles, []);
    const profiles = (await aws('iam', 'list-instance-profiles')).InstanceProfiles.filter((p: any) =>
      p.InstanceProfileName.startsWith(name),
    );
    assert.deepEqual(profiles, []);
  });
});
