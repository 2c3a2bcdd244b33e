import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { keyPairResource, type KeyPairOutput } from '../src/resources/key-pair.js';
import hook from '../src/hooks/resources.js';
import {
  interceptEc2,
  createTestContext,
  paramsUnder,
  setUpNock,
  tagSet,
  tearDownNockExpectingAllCalls,
} from '@site-cli/core/testing';

const PRIVATE_KEY =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';
const OUR_TAGS = {
  Environment: 'Demo',
  Name: 'demo-key',
  'site:name': 'demo',
  'site:resource': 'keypair.key-pair',
  ManagedBy: 'site',
};

function keyItem(name: string, id: string, tags: Record<string, string>): string {
  return `<item><keyPairId>${id}</keyPairId><keyFingerprint>fp+${id}=</keyFingerprint><keyName>${name}</keyName><keyType>ed25519</keyType>${tagSet(tags)}<createTime>2025-01-02T03:04:05.000Z</createTime></item>`;
}

describe('keypair.key-pair', () => {
  let dir: string;
  const resource = keyPairResource();

  beforeEach(async () => {
    setUpNock();
    dir = await mkdtemp(path.join(tmpdir(), 'site-keypair-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    tearDownNockExpectingAllCalls();
  });

  const context = (extra: Record<string, unknown> = {}) =>
    createTestContext(
      { name: 'demo', tags: { Environment: 'Demo' }, keyDir: 'keys', ...extra },
      { configDir: dir },
    );

  it('is contributed by the site:resources hook', async () => {
    const resources = await hook({} as never);
    assert.deepEqual(
      resources.map((r) => r.id),
      ['keypair.key-pair'],
    );
    assert.deepEqual(resources[0].dependsOn, []);
    assert.ok(resources[0].iam.includes('ec2:CreateKeyPair'));
  });

  describe('create', () => {
    it('sends the name, ed25519/pem and the site tags at creation, and saves the key 0400 in keyDir', async () => {
      const create = interceptEc2(
        'CreateKeyPair',
        `<keyName>demo-key</keyName><keyFingerprint>fp</keyFingerprint><keyMaterial>${PRIVATE_KEY}</keyMaterial><keyPairId>key-0abc</keyPairId>${tagSet(OUR_TAGS)}`,
      );
      const { ctx, log } = context();
      const out = await resource.create(ctx);

      const pemPath = path.join(dir, 'keys', 'demo-key.pem');
      assert.deepEqual(out, { keyName: 'demo-key', keyPairId: 'key-0abc', pemPath, pemPresent: true });
      const params = create[0].params;
      assert.equal(params.KeyName, 'demo-key');
      assert.equal(params.KeyType, 'ed25519');
      assert.equal(params.KeyFormat, 'pem');
      assert.equal(params['TagSpecification.1.ResourceType'], 'key-pair');
      const tags: Record<string, string> = {};
      for (let i = 1; params[`TagSpecification.1.Tag.${i}.Key`]; i++) {
        tags[params[`TagSpecification.1.Tag.${i}.Key`]] = params[`TagSpecification.1.Tag.${i}.Value`];
      }
      assert.deepEqual(tags, OUR_TAGS);
      assert.equal(params['TagSpecification.2.ResourceType'], undefined);

      assert.equal(await readFile(pemPath, 'utf8'), `${PRIVATE_KEY}\n`);
      assert.equal((await stat(pemPath)).mode & 0o777, 0o400);
      assert.ok(log.infos.some((line) => line.includes(pemPath)));
    });

    it('uses keyName from the config', async () => {
      const create = interceptEc2(
        'CreateKeyPair',
        `<keyName>my-key</keyName><keyMaterial>${PRIVATE_KEY}</keyMaterial><keyPairId>key-1</keyPairId>`,
      );
      const { ctx } = context({ keyName: 'my-key' });
      const out = await resource.create(ctx);
      assert.equal(create[0].params.KeyName, 'my-key');
      assert.equal(out.pemPath, path.join(dir, 'keys', 'my-key.pem'));
    });

    it('never overwrites an existing .pem: stops before calling CreateKeyPair', async () => {
      await writeFile(path.join(dir, 'demo-key.pem'), 'precious', { mode: 0o600 });
      const { ctx } = context({ keyDir: '.' });
      // No interceptor: any AWS call would fail the test with a network error instead of KEY_FILE_EXISTS.
      await assert.rejects(resource.create(ctx), (error: any) => {
        assert.equal(error.code, 'KEY_FILE_EXISTS');
        assert.equal(error.exitCode, 2);
        assert.match(
          error.message,
          new RegExp(path.join(dir, 'demo-key.pem').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
        );
        assert.ok(error.suggestions.some((s: string) => /move/i.test(s)));
        assert.ok(error.suggestions.some((s: string) => /keyName/.test(s)));
        return true;
      });
      assert.equal(await readFile(path.join(dir, 'demo-key.pem'), 'utf8'), 'precious');
    });

    it('refuses a key folder it cannot write to, before calling AWS', async () => {
      await writeFile(path.join(dir, 'not-a-folder'), '');
      const { ctx } = context({ keyDir: 'not-a-folder/keys' });
      await assert.rejects(resource.create(ctx), (error: any) => {
        assert.equal(error.code, 'KEY_DIR_NOT_WRITABLE');
        assert.equal(error.exitCode, 2);
        return true;
      });
    });

    it('checks the key folder and file as a precondition, before anything of the site is created', async () => {
      assert.ok(resource.preconditions, 'the key pair has preconditions');
      // No interceptor: any AWS call would fail the test with a network error.
      await resource.preconditions(context().ctx);
      await writeFile(path.join(dir, 'keys', 'demo-key.pem'), 'someone else', { mode: 0o600 });
      await assert.rejects(resource.preconditions(context().ctx), (error: any) => {
        assert.equal(error.code, 'KEY_FILE_EXISTS');
        assert.equal(error.exitCode, 2);
        assert.match(error.message, /does not exist in us-east-1, so that file is not its private key/);
        return true;
      });
      assert.equal(await readFile(path.join(dir, 'keys', 'demo-key.pem'), 'utf8'), 'someone else');
      await writeFile(path.join(dir, 'a-file'), '');
      await assert.rejects(
        resource.preconditions(context({ keyDir: 'a-file' }).ctx),
        /KEY_DIR_NOT_WRITABLE|Cannot write the private key/,
      );
    });

    it('refuses a same-named key pair without our tags (conflict) and writes nothing', async () => {
      interceptEc2('CreateKeyPair', {
        error: 'InvalidKeyPair.Duplicate',
        message: "The keypair 'demo-key' already exists.",
      });
      const describe = interceptEc2(
        'DescribeKeyPairs',
        `<keySet>${keyItem('demo-key', 'key-theirs', { Owner: 'alice' })}</keySet>`,
      );
      const { ctx } = context();
      await assert.rejects(resource.create(ctx), (error: any) => {
        assert.equal(error.code, 'KEYPAIR_CONFLICT');
        assert.match(error.message, /demo-key/);
        assert.match(error.message, /key-theirs/);
        return true;
      });
      assert.deepEqual(paramsUnder(describe[0].params, 'Filter.'), {
        'Filter.1.Name': 'key-name',
        'Filter.1.Value.1': 'demo-key',
      });
      assert.deepEqual(await readdir(path.join(dir, 'keys')), []);
    });

    it('resolves "already exists" to the pair when its tags prove it is ours (pem missing → warning)', async () => {
      interceptEc2('CreateKeyPair', { error: 'InvalidKeyPair.Duplicate' });
      interceptEc2('DescribeKeyPairs', `<keySet>${keyItem('demo-key', 'key-ours', OUR_TAGS)}</keySet>`);
      const { ctx, log } = context();
      const out = await resource.create(ctx);
      assert.equal(out.keyPairId, 'key-ours');
      assert.equal(out.pemPresent, false);
      assert.equal(log.warnings.length, 1);
    });

    it('takes the new pair back when the key cannot be saved', async () => {
      interceptEc2('CreateKeyPair', `<keyName>demo-key</keyName><keyPairId>key-0abc</keyPairId>`);
      const del = interceptEc2('DeleteKeyPair', '<return>true</return>');
      const { ctx } = context();
      await assert.rejects(resource.create(ctx), { code: 'KEY_FILE_WRITE_FAILED' });
      assert.equal(del[0].params.KeyPairId, 'key-0abc');
    });
  });

  describe('discover', () => {
    it("finds the pair by this site's tags, server-side, and sees its .pem", async () => {
      const describe = interceptEc2(
        'DescribeKeyPairs',
        `<keySet>${keyItem('demo-key', 'key-0abc', OUR_TAGS)}</keySet>`,
      );
      const { ctx } = context();
      const pemPath = path.join(dir, 'keys', 'demo-key.pem');
      await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(pemPath)));
      await writeFile(pemPath, PRIVATE_KEY, { mode: 0o400 });
      const out = await resource.discover(ctx);
      assert.deepEqual(out, { keyName: 'demo-key', keyPairId: 'key-0abc', pemPath, pemPresent: true });
      assert.deepEqual(paramsUnder(describe[0].params, 'Filter.'), {
        'Filter.1.Name': 'tag:site:name',
        'Filter.1.Value.1': 'demo',
        'Filter.2.Name': 'tag:ManagedBy',
        'Filter.2.Value.1': 'site',
        'Filter.3.Name': 'tag:site:resource',
        'Filter.3.Value.1': 'keypair.key-pair',
      });
      assert.deepEqual(resource.diff?.(ctx, out!), []);
    });

    it('returns pemPresent: false and warns how to recover when the private key is not here', async () => {
      interceptEc2('DescribeKeyPairs', `<keySet>${keyItem('demo-key', 'key-0abc', OUR_TAGS)}</keySet>`);
      const { ctx, log } = context();
      const out = await resource.discover(ctx);
      assert.equal(out?.pemPresent, false);
      assert.equal(log.warnings.length, 1);
      assert.match(log.warnings[0], /SSH/);
      assert.match(log.warnings[0], /site keypair delete/);
      assert.match(log.warnings[0], /site deploy/);
      assert.match(log.warnings[0], /site destroy/);
      const rows = await resource.status!(ctx, out!);
      assert.equal(rows[0].state, 'private key missing');
    });

    it('returns undefined when nothing carries our tags and the name is free', async () => {
      interceptEc2('DescribeKeyPairs', '<keySet/>');
      const byName = interceptEc2('DescribeKeyPairs', '<keySet/>');
      const { ctx } = context();
      assert.equal(await resource.discover(ctx), undefined);
      assert.equal(byName[0].params['Filter.1.Name'], 'key-name');
    });

    it('reports a conflict for a same-named pair of someone else, and never touches it', async () => {
      interceptEc2('DescribeKeyPairs', '<keySet/>');
      interceptEc2(
        'DescribeKeyPairs',
        `<keySet>${keyItem('demo-key', 'key-theirs', { 'site:name': 'other', ManagedBy: 'site', 'site:resource': 'keypair.key-pair' })}</keySet>`,
      );
      const { ctx } = context();
      await assert.rejects(resource.discover(ctx), (error: any) => {
        assert.equal(error.code, 'KEYPAIR_CONFLICT');
        assert.match(error.message, /site "other"/);
        return true;
      });
    });

    it('reports a changed keyName as a diff', async () => {
      const { ctx } = context({ keyName: 'new-key' });
      const found: KeyPairOutput = {
        keyName: 'demo-key',
        keyPairId: 'key-1',
        pemPath: '/x/demo-key.pem',
        pemPresent: true,
      };
      assert.deepEqual(resource.diff?.(ctx, found), [{ field: 'key name', from: 'demo-key', to: 'new-key' }]);
    });
  });

  describe('destroy', () => {
    it('deletes the pair by id and only its own .pem', async () => {
      const del = interceptEc2('DeleteKeyPair', '<return>true</return>');
      const { ctx } = context({ keyDir: '.' });
      const pemPath = path.join(dir, 'demo-key.pem');
      await writeFile(pemPath, PRIVATE_KEY, { mode: 0o400 });
      await writeFile(path.join(dir, 'other-key.pem'), 'other', { mode: 0o400 });
      await resource.destroy(ctx, { keyName: 'demo-key', keyPairId: 'key-0abc', pemPath, pemPresent: true });
      assert.equal(del[0].params.KeyPairId, 'key-0abc');
      assert.deepEqual(await readdir(dir), ['other-key.pem']);
    });

    it('is idempotent: a pair already gone and a missing .pem are success', async () => {
      interceptEc2('DeleteKeyPair', { error: 'InvalidKeyPair.NotFound' });
      const { ctx } = context();
      await resource.destroy(ctx, {
        keyName: 'demo-key',
        keyPairId: 'key-0abc',
        pemPath: path.join(dir, 'keys', 'demo-key.pem'),
        pemPresent: false,
      });
    });
  });
});
