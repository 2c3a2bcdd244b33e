import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSimulator, type Simulator } from '@site-cli/aws-sim';
import { runSite, tempProject } from './run-site.js';

/**
 * A `source.dir` site end to end on aws-sim (issue 13): a bad folder refused before anything exists, deploy, a
 * content-only update that keeps every instance, rollback, destroy to nothing — S3 and IAM read back with the SDK.
 * Which version each target serves is aws-sim's instance model's business (the `preview` work): until it answers
 * with X-Site-Version, deploy says it cannot follow the switch, and this test checks the pointer instead.
 */

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const json = (stdout: string) => JSON.parse(stdout) as { status: number; result: any; error?: any };

describe('a source.dir site end to end against aws-sim', function () {
  this.timeout(180_000);
  let sim: Simulator;
  let project: ReturnType<typeof tempProject>;
  let env: NodeJS.ProcessEnv;
  const site = (args: string[]) => runSite(args, { cwd: project.dir, env });
  const name = 'cafe-folder';
  const bucket = `${name}-123456789012-us-east-1`;

  async function clients() {
    const { S3 } = await import('@aws-sdk/client-s3');
    const { IAM } = await import('@aws-sdk/client-iam');
    const common = { region: 'us-east-1', endpoint: sim.endpoint, credentials };
    return { s3: new S3({ ...common, forcePathStyle: true }), iam: new IAM(common) };
  }
  async function pointer() {
    const { s3 } = await clients();
    const answer = await s3.getObject({ Bucket: bucket, Key: 'current.json' });
    return JSON.parse(await answer.Body!.transformToString());
  }
  async function buckets() {
    const { s3 } = await clients();
    return ((await s3.listBuckets({})).Buckets ?? []).map((b) => b.Name);
  }
  /** The site's role and instance profile that exist (by name: aws-sim's IAM has no List* calls). */
  async function iamLeft() {
    const { iam } = await clients();
    const exists = (call: Promise<unknown>) =>
      call.then(
        () => true,
        (error: { name?: string }) => {
          if (error.name !== 'NoSuchEntityException' && error.name !== 'NoSuchEntity') throw error;
          return false;
        },
      );
    const left: string[] = [];
    if (await exists(iam.getRole({ RoleName: `${name}-instance-role` }))) left.push('role');
    if (await exists(iam.getInstanceProfile({ InstanceProfileName: `${name}-instance-profile` })))
      left.push('instance profile');
    return left;
  }

  before(async () => {
    sim = await startSimulator({ profile: 'fast', seed: 13 });
    project = tempProject();
    env = {
      ...project.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: sim.endpoint,
      SITE_CHECKIP_URL: `${sim.endpoint}/_sim/checkip`,
      SITE_SIMULATOR_ENDPOINT: sim.endpoint,
    };
    mkdirSync(path.join(project.dir, 'public'));
    writeFileSync(path.join(project.dir, 'public', 'index.html'), '<h1>First edit</h1>\n');
    writeFileSync(path.join(project.dir, 'site.config.yaml'), `name: ${name}\nsource: { dir: ./public }\n`);
  });
  after(async () => sim?.stop());

  it('refuses a missing folder (exit 2) before anything exists', async () => {
    const run = await site(['deploy', '--yes', '--json', '--source', 'no-such-folder']);
    assert.equal(run.code, 2, run.stderr);
    const { error } = json(run.stdout);
    assert.equal(error.code, 'SOURCE_DIR_INVALID');
    assert.match(error.message, /no-such-folder/);
    assert.deepEqual(await buckets(), []);
    assert.deepEqual(await iamLeft(), []);
  });

  it('deploys, updates the content in place, rolls back and destroys to nothing', async () => {
    const first = await site(['deploy', '--yes', '--json']);
    assert.equal(first.code, 0, first.stderr);
    const v1 = (await pointer()).version;
    assert.match(v1, /^[0-9a-f]{12}$/);
    assert.deepEqual(await iamLeft(), ['role', 'instance profile']);
    const instances = json((await site(['instance', 'status', '--json'])).stdout).result;

    writeFileSync(path.join(project.dir, 'public', 'index.html'), '<h1>Second edit</h1>\n');
    const second = await site(['deploy', '--yes', '--json']);
    assert.equal(second.code, 0, second.stderr);
    const v2 = (await pointer()).version;
    assert.notEqual(v2, v1);
    assert.deepEqual(json((await site(['instance', 'status', '--json'])).stdout).result, instances);

    const back = await site(['rollback', '--json']);
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual([json(back.stdout).result.from, json(back.stdout).result.to], [v2, v1]);
    assert.equal((await pointer()).version, v1);

    const gone = await site(['destroy', '--yes', '--json']);
    assert.equal(gone.code, 0, gone.stderr);
    assert.deepEqual(await buckets(), []);
    assert.deepEqual(await iamLeft(), []);
  });
});
