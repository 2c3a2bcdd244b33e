import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { keyPairResource } from '../src/resources/key-pair.js';
import type { KeyPairOutput } from '../src/outputs.js';
import hook from '../src/hooks/resources.js';
import { generateLocalKey, importedFingerprint, parsePrivateKey } from '../src/ssh-key.js';
import {
  interceptEc2,
  createTestContext,
  paramsUnder,
  setUpNock,
  tagSet,
  tearDownNockExpectingAllCalls,
} from '@site-cli/core/testing';

const KEY = generateLocalKey('ed25519', 'demo-key');
const PRIVATE_KEY = KEY.privateKeyPem;
const OUR_TAGS = {
  Environment: 'Demo',
  Name: 'demo-key',
  'site:name': 'demo',
  'site:resource': 'keypair.key-pair',
  ManagedBy: 'site',
};

function keyItem(
  name: string,
  id: string,
  tags: Record<string, string>,
  fingerprint = `fp+${id}=`,
  publicKey?: string,
): string {
  const published = publicKey ? `<publicKey>${publicKey}</publicKey>` : '';
  return `<item><keyPairId>${id}</keyPairId><keyFingerprint>${fingerprint}</keyFingerprint><keyName>${name}</keyName><keyType>ed25519</keyType>${published}${tagSet(tags)}<createTime>2025-01-02T03:04:05.000Z</createTime></item>`;
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
    assert.ok(resources[0].iam.includes('ec2:ImportKeyPair'));
    assert.ok(!resources[0].iam.includes('ec2:CreateKeyPair'));
  });

  describe('create', () => {
    const pemIn = (...parts: string[]) => path.join(dir, ...parts);
    const importAnswer = (fingerprint: string, id = 'key-0abc') =>
      `<keyFingerprint>${fingerprint}</keyFingerprint><keyName>demo-key</keyName><keyPairId>${id}</keyPairId>${tagSet(OUR_TAGS)}`;

    it('generates an ed25519 key here, saves it 0400 first, then imports only its public key with the site tags', async () => {
      const pemPath = pemIn('keys', 'demo-key.pem');
      let pemAtImport = '';
      const imported = interceptEc2('ImportKeyPair', () => {
        pemAtImport = readFileSync(pemPath, 'utf8');
        const key = parsePrivateKey(pemAtImport);
        return importAnswer(importedFingerprint(key));
      });
      const { ctx, log } = context();
      const out = await resource.create(ctx);

      const key = parsePrivateKey(await readFile(pemPath, 'utf8'));
      assert.equal(key.type, 'ed25519');
      assert.match(
        pemAtImport,
        /^-----BEGIN OPENSSH PRIVATE KEY-----\n/,
        'the .pem was on disk before the call',
      );
      assert.deepEqual(out, {
        keyName: 'demo-key',
        keyPairId: 'key-0abc',
        pemPath,
        pemPresent: true,
        fingerprint: importedFingerprint(key),
      });
      const params = imported[0].params;
      assert.equal(params.KeyName, 'demo-key');
      const sent = Buffer.from(params.PublicKeyMaterial, 'base64').toString();
      assert.equal(sent, key.publicKeyOpenSsh);
      assert.equal(key.comment, 'site:demo/demo-key', 'the key says which site and pair it was made for');
      assert.doesNotMatch(sent, /PRIVATE/);
      assert.equal(params['TagSpecification.1.ResourceType'], 'key-pair');
      const tags: Record<string, string> = {};
      for (let i = 1; params[`TagSpecification.1.Tag.${i}.Key`]; i++) {
        tags[params[`TagSpecification.1.Tag.${i}.Key`]] = params[`TagSpecification.1.Tag.${i}.Value`];
      }
      assert.deepEqual(tags, OUR_TAGS);
      assert.equal(params['TagSpecification.2.ResourceType'], undefined);
      assert.equal((await stat(pemPath)).mode & 0o777, 0o400);
      assert.ok(log.infos.some((line) => line.includes(pemPath)));
    });

    it('uses keyName from the config', async () => {
      const imported = interceptEc2('ImportKeyPair', `<keyName>my-key</keyName><keyPairId>key-1</keyPairId>`);
      const { ctx } = context({ keyName: 'my-key' });
      const out = await resource.create(ctx);
      assert.equal(imported[0].params.KeyName, 'my-key');
      assert.equal(out.pemPath, pemIn('keys', 'my-key.pem'));
    });

    it('never overwrites an existing .pem that is not a private key: stops before calling ImportKeyPair', async () => {
      await writeFile(pemIn('demo-key.pem'), 'precious', { mode: 0o600 });
      const { ctx } = context({ keyDir: '.' });
      // No interceptor: any AWS call would fail the test with a network error instead of KEY_FILE_EXISTS.
      await assert.rejects(resource.create(ctx), (error: any) => {
        assert.equal(error.code, 'KEY_FILE_EXISTS');
        assert.equal(error.exitCode, 2);
        assert.ok(error.message.includes(pemIn('demo-key.pem')));
        assert.ok(error.suggestions.some((s: string) => /move/i.test(s)));
        assert.ok(error.suggestions.some((s: string) => /keyName/.test(s)));
        return true;
      });
      assert.equal(await readFile(pemIn('demo-key.pem'), 'utf8'), 'precious');
    });

    it('refuses a private key of another type in the way (an RSA key where site makes ed25519)', async () => {
      await writeFile(pemIn('demo-key.pem'), generateLocalKey('rsa', 'x').privateKeyPem, { mode: 0o400 });
      await assert.rejects(resource.create(context({ keyDir: '.' }).ctx), (error: any) => {
        assert.equal(error.code, 'KEY_FILE_EXISTS');
        assert.match(error.message, /it is a rsa key, not ed25519/);
        return true;
      });
    });

    it("refuses a user's own ed25519 key of the pair's name: it is not resumed (nor later deleted)", async () => {
      const own = generateLocalKey('ed25519', 'me@laptop');
      await writeFile(pemIn('demo-key.pem'), own.privateKeyPem, { mode: 0o400 });
      await assert.rejects(resource.create(context({ keyDir: '.' }).ctx), (error: any) => {
        assert.equal(error.code, 'KEY_FILE_EXISTS');
        assert.match(error.message, /not a key site made for this key pair/);
        return true;
      });
      assert.equal(await readFile(pemIn('demo-key.pem'), 'utf8'), own.privateKeyPem);
    });

    it('resumes with the private key a stopped run saved: imports ITS public key, never writes over it', async () => {
      const saved = generateLocalKey('ed25519', 'site:demo/demo-key');
      await writeFile(pemIn('demo-key.pem'), saved.privateKeyPem, { mode: 0o400 });
      const imported = interceptEc2('ImportKeyPair', importAnswer(importedFingerprint(saved)));
      const { ctx, log } = context({ keyDir: '.' });
      await resource.preconditions!(ctx);
      const out = await resource.create(ctx);
      assert.equal(out.pemPresent, true);
      assert.equal(
        Buffer.from(imported[0].params.PublicKeyMaterial, 'base64').toString().split(' ')[1],
        saved.publicKeyOpenSsh.split(' ')[1],
      );
      assert.equal(await readFile(pemIn('demo-key.pem'), 'utf8'), saved.privateKeyPem);
      assert.ok(log.infos.some((line) => /Resuming/.test(line)));
    });

    it('refuses a key folder it cannot write to, before calling AWS', async () => {
      await writeFile(pemIn('not-a-folder'), '');
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
      await writeFile(pemIn('keys', 'demo-key.pem'), 'someone else', { mode: 0o600 });
      await assert.rejects(resource.preconditions(context().ctx), (error: any) => {
        assert.equal(error.code, 'KEY_FILE_EXISTS');
        assert.equal(error.exitCode, 2);
        assert.match(
          error.message,
          /does not exist in us-east-1, and that file is not a private key site could import/,
        );
        return true;
      });
      assert.equal(await readFile(pemIn('keys', 'demo-key.pem'), 'utf8'), 'someone else');
      await writeFile(pemIn('a-file'), '');
      await assert.rejects(
        resource.preconditions(context({ keyDir: 'a-file' }).ctx),
        /KEY_DIR_NOT_WRITABLE|Cannot write the private key/,
      );
    });

    it('refuses a same-named key pair without our tags (conflict) and keeps no key of its own', async () => {
      interceptEc2('ImportKeyPair', {
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

    it('a lost ImportKeyPair answer: the retry gets Duplicate, and the fingerprint proves the pair is the saved key', async () => {
      const saved = generateLocalKey('ed25519', 'site:demo/demo-key');
      await writeFile(pemIn('demo-key.pem'), saved.privateKeyPem, { mode: 0o400 });
      interceptEc2('ImportKeyPair', { error: 'InvalidKeyPair.Duplicate' });
      interceptEc2(
        'DescribeKeyPairs',
        `<keySet>${keyItem('demo-key', 'key-ours', OUR_TAGS, importedFingerprint(saved))}</keySet>`,
      );
      const { ctx, log } = context({ keyDir: '.' });
      const out = await resource.create(ctx);
      assert.equal(out.keyPairId, 'key-ours');
      assert.equal(out.pemPresent, true);
      assert.deepEqual(log.warnings, []);
    });

    it("refuses a .pem that AWS's fingerprint proves is not the key of our pair, and leaves it alone", async () => {
      const foreign = generateLocalKey('ed25519', 'site:demo/demo-key');
      await writeFile(pemIn('demo-key.pem'), foreign.privateKeyPem, { mode: 0o400 });
      interceptEc2('ImportKeyPair', { error: 'InvalidKeyPair.Duplicate' });
      interceptEc2('DescribeKeyPairs', `<keySet>${keyItem('demo-key', 'key-ours', OUR_TAGS)}</keySet>`);
      await assert.rejects(resource.create(context({ keyDir: '.' }).ctx), (error: any) => {
        assert.equal(error.code, 'KEY_FILE_MISMATCH');
        assert.equal(error.exitCode, 2);
        assert.match(error.message, /is not the private key of the key pair demo-key \(key-ours\)/);
        return true;
      });
      assert.equal(await readFile(pemIn('demo-key.pem'), 'utf8'), foreign.privateKeyPem);
    });

    it('another run imported first: our just-written key is taken back, the pair is theirs (pem missing → warning)', async () => {
      interceptEc2('ImportKeyPair', { error: 'InvalidKeyPair.Duplicate' });
      interceptEc2('DescribeKeyPairs', `<keySet>${keyItem('demo-key', 'key-ours', OUR_TAGS)}</keySet>`);
      const { ctx, log } = context();
      const out = await resource.create(ctx);
      assert.equal(out.keyPairId, 'key-ours');
      assert.equal(out.pemPresent, false);
      assert.equal(log.warnings.length, 1);
      assert.deepEqual(await readdir(pemIn('keys')), []);
    });

    it('preflight: a pair that already exists (not yet listed) is left for create to resolve', async () => {
      interceptEc2('ImportKeyPair', { error: 'InvalidKeyPair.Duplicate' });
      await resource.preflight!(context().ctx, { action: 'create' });
      interceptEc2('ImportKeyPair', { error: 'UnauthorizedOperation', status: 403 });
      await assert.rejects(resource.preflight!(context().ctx, { action: 'create' }), {
        code: 'PREFLIGHT_DENIED',
      });
    });

    it('preflight: a DryRun ImportKeyPair with the site tags (and a throwaway public key)', async () => {
      const dry = interceptEc2('ImportKeyPair', {
        error: 'DryRunOperation',
        message: 'Request would have succeeded, but DryRun flag is set.',
        status: 412,
      });
      const { ctx } = context();
      await resource.preflight!(ctx, { action: 'create' });
      assert.equal(dry[0].params.DryRun, 'true');
      assert.equal(dry[0].params['TagSpecification.1.ResourceType'], 'key-pair');
      assert.match(Buffer.from(dry[0].params.PublicKeyMaterial, 'base64').toString(), /^ssh-ed25519 AAAA/);
      assert.equal(
        await readdir(pemIn('keys'))
          .catch(() => [])
          .then((f) => f.length),
        0,
      );
    });
  });

  describe('discover', () => {
    it("finds the pair by this site's tags, server-side, and sees its .pem", async () => {
      const describe = interceptEc2(
        'DescribeKeyPairs',
        `<keySet>${keyItem('demo-key', 'key-0abc', OUR_TAGS, importedFingerprint(KEY))}</keySet>`,
      );
      const { ctx } = context();
      const pemPath = path.join(dir, 'keys', 'demo-key.pem');
      await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(pemPath)));
      await writeFile(pemPath, PRIVATE_KEY, { mode: 0o400 });
      const out = await resource.discover(ctx);
      assert.deepEqual(out, {
        keyName: 'demo-key',
        keyPairId: 'key-0abc',
        pemPath,
        pemPresent: true,
        fingerprint: importedFingerprint(KEY),
      });
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

    it("a .pem whose key is not the pair's (by AWS's fingerprint): pemPresent false, a warning, and destroy keeps the file", async () => {
      interceptEc2('DescribeKeyPairs', `<keySet>${keyItem('demo-key', 'key-0abc', OUR_TAGS)}</keySet>`);
      const del = interceptEc2('DeleteKeyPair', '<return>true</return>');
      const { ctx, log } = context({ keyDir: '.' });
      const pemPath = path.join(dir, 'demo-key.pem');
      await writeFile(pemPath, PRIVATE_KEY, { mode: 0o400 });
      const out = await resource.discover(ctx);
      assert.equal(out?.pemPresent, false);
      assert.equal(out?.pemMismatch, true);
      assert.match(log.warnings[0], /is not the private key of the key pair demo-key \(key-0abc\)/);
      assert.equal((await resource.status!(ctx, out!))[0].state, 'private key does not match');
      await resource.destroy(ctx, out!);
      assert.equal(del[0].params.KeyName, 'demo-key');
      assert.equal(await readFile(pemPath, 'utf8'), PRIVATE_KEY);
    });

    it("proves the .pem by the pair's public key (IncludePublicKey), whatever form the fingerprint takes", async () => {
      // moto's fingerprint form (hex SHA-256 of the DER public key) is no AWS form: the public key decides.
      const spkiSha256 = createHash('sha256')
        .update(KEY.publicKey.export({ format: 'der', type: 'spki' }))
        .digest('hex')
        .replace(/(..)(?!$)/g, '$1:');
      const describe = interceptEc2(
        'DescribeKeyPairs',
        `<keySet>${keyItem('demo-key', 'key-0abc', OUR_TAGS, 'not-a-known-form', `${KEY.publicKeyOpenSsh}`)}</keySet>`,
      );
      interceptEc2(
        'DescribeKeyPairs',
        `<keySet>${keyItem('demo-key', 'key-0abc', OUR_TAGS, spkiSha256)}</keySet>`,
      );
      const other = generateLocalKey('ed25519', 'demo-key');
      interceptEc2(
        'DescribeKeyPairs',
        `<keySet>${keyItem('demo-key', 'key-0abc', OUR_TAGS, importedFingerprint(KEY), other.publicKeyOpenSsh)}</keySet>`,
      );
      const { ctx } = context({ keyDir: '.' });
      await writeFile(path.join(dir, 'demo-key.pem'), PRIVATE_KEY, { mode: 0o400 });
      assert.equal((await resource.discover(ctx))?.pemPresent, true, 'by the public key');
      assert.equal(describe[0].params.IncludePublicKey, 'true');
      const byMotoFingerprint = await keyPairResource().discover(context({ keyDir: '.' }).ctx);
      assert.equal(byMotoFingerprint?.pemPresent, true, "by moto's fingerprint form");
      // A public key that is not this key's outweighs a fingerprint that matches.
      const byOtherKey = await keyPairResource().discover(context({ keyDir: '.' }).ctx);
      assert.equal(byOtherKey?.pemMismatch, true, 'another public key');
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
    it('deletes the pair by name (what every EC2 endpoint reads) and only its own .pem', async () => {
      const del = interceptEc2('DeleteKeyPair', '<return>true</return>');
      const { ctx } = context({ keyDir: '.' });
      const pemPath = path.join(dir, 'demo-key.pem');
      await writeFile(pemPath, PRIVATE_KEY, { mode: 0o400 });
      await writeFile(path.join(dir, 'other-key.pem'), 'other', { mode: 0o400 });
      await resource.destroy(ctx, { keyName: 'demo-key', keyPairId: 'key-0abc', pemPath, pemPresent: true });
      assert.equal(del[0].params.KeyName, 'demo-key');
      assert.equal(del[0].params.KeyPairId, undefined);
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
