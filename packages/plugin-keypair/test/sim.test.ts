import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ResourceContext } from '@site-cli/core/plugin';
import { createTestContext } from '@site-cli/core/testing';
import { startSimulator, type Simulator } from '@site-cli/aws-sim';
import { keyPairResource } from '../src/resources/key-pair.js';
import { listKeyPairs } from '../src/services/key-pairs.js';
import { generateLocalKey, importedFingerprint, parsePrivateKey } from '../src/ssh-key.js';

/** Behaviour against aws-sim (real wire protocol on loopback): what a user would check. */
describe('keypair.key-pair against aws-sim', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let dir: string;
  const resource = keyPairResource();

  before(async () => {
    sim = await startSimulator({ profile: 'fast' });
  });
  after(async () => {
    await sim?.stop();
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'site-keypair-sim-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function context(
    config: Record<string, unknown> = {},
    timeScale = 0.05,
  ): { ctx: ResourceContext; warnings: string[] } {
    const options = { endpoint: sim.endpoint, maxAttempts: 3, configDir: dir, timeScale };
    const { ctx, log } = createTestContext({ name: 'simkeys', ...config }, options);
    return { ctx, warnings: log.warnings };
  }

  it('create → discover → no drift → destroy → gone, with the .pem written 0400 and removed', async () => {
    const created = await resource.create(context().ctx);
    assert.equal(created.keyName, 'simkeys-key');
    assert.equal((await stat(created.pemPath)).mode & 0o777, 0o400);
    assert.match(await readFile(created.pemPath, 'utf8'), /PRIVATE KEY/);

    const { ctx } = context();
    const found = await resource.discover(ctx);
    assert.deepEqual(found, created);
    assert.deepEqual(resource.diff!(ctx, found!), []);
    const listed = await listKeyPairs(ctx);
    assert.deepEqual(
      listed.map((row) => [row.site, row.keyName, row.pemPresent]),
      [['simkeys', 'simkeys-key', true]],
    );

    await resource.destroy(ctx, found!);
    await resource.destroy(context().ctx, found!);
    assert.equal(await resource.discover(context().ctx), undefined);
    assert.deepEqual(await readdir(dir), []);
  });

  it('a pair whose .pem is gone is found with pemPresent false and a warning; creating again refuses an existing file', async () => {
    const created = await resource.create(context({ name: 'simkeys2' }).ctx);
    await rm(created.pemPath, { force: true });
    const { ctx, warnings } = context({ name: 'simkeys2' });
    const found = await resource.discover(ctx);
    assert.equal(found?.pemPresent, false);
    assert.match(warnings[0], /site keypair delete/);
    await resource.destroy(ctx, found!);

    // A stale file of the same name: no new pair is created over it.
    await writeFile(created.pemPath, 'old key');
    const before = sim.mutatingCalls().length;
    await assert.rejects(resource.create(context({ name: 'simkeys2' }).ctx), { code: 'KEY_FILE_EXISTS' });
    assert.equal(sim.mutatingCalls().length, before);
    assert.equal(await readFile(created.pemPath, 'utf8'), 'old key');
  });

  it('refuses a same-named key pair without our tags and leaves it alone', async () => {
    const { ctx } = context({ name: 'simkeys3' });
    const ec2 = await ctx.aws.ec2();
    await ec2.createKeyPair({ KeyName: 'simkeys3-key' });
    await assert.rejects(resource.discover(ctx), { code: 'KEYPAIR_CONFLICT' });
    await assert.rejects(resource.create(context({ name: 'simkeys3' }).ctx), { code: 'KEYPAIR_CONFLICT' });
    const still = await ec2.describeKeyPairs({ KeyNames: ['simkeys3-key'] });
    assert.equal(still.KeyPairs?.length, 1);
    assert.deepEqual(await readdir(dir), []);
    await ec2.deleteKeyPair({ KeyName: 'simkeys3-key' });
  });
  describe('when the ImportKeyPair answer is lost (the pair is made, the caller hears a 500)', () => {
    afterEach(() => sim.setFaults({}));

    /** What `ssh-keygen -l -E sha256` says of the .pem: the fingerprint ssh itself would use. */
    function sshKeygenFingerprint(pemPath: string): string | undefined {
      try {
        return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pemPath]).toString().split(' ')[1];
      } catch {
        return undefined;
      }
    }

    it('the re-run converges on the pair, with the .pem saved before the call proven by its fingerprint', async () => {
      sim.setFaults({ lostResponseRate: 1 });
      const options = { endpoint: sim.endpoint, maxAttempts: 1, configDir: dir, timeScale: 0.05 };
      const lost = createTestContext({ name: 'simlost' }, options);
      await assert.rejects(resource.create(lost.ctx), /internal error/i);
      sim.setFaults({});
      const ec2 = await lost.ctx.aws.ec2();
      const [pair] = (await ec2.describeKeyPairs({ KeyNames: ['simlost-key'] })).KeyPairs ?? [];
      assert.ok(pair, 'the pair exists in AWS although its answer was lost');

      const { ctx, warnings } = context({ name: 'simlost' });
      const found = await resource.discover(ctx);
      assert.equal(found?.keyPairId, pair.KeyPairId);
      assert.equal(found?.pemPresent, true);
      assert.deepEqual(warnings, []);
      const key = parsePrivateKey(await readFile(found!.pemPath, 'utf8'));
      assert.equal(importedFingerprint(key), pair.KeyFingerprint);
      const bySsh = sshKeygenFingerprint(found!.pemPath);
      if (bySsh) assert.equal(`${bySsh}=`, `SHA256:${pair.KeyFingerprint}`);
      await resource.destroy(ctx, found!);
      assert.deepEqual(await readdir(dir), []);
    });

    it('the SDK retry of a lost answer gets Duplicate, which resolves to our pair within the same run', async () => {
      sim.setFaults({ lostResponseRate: 1 });
      const before = sim.mutatingCalls().length;
      const created = await resource.create(context({ name: 'simretry' }).ctx);
      sim.setFaults({});
      assert.equal(sim.mutatingCalls().length, before + 1, 'one ImportKeyPair made the pair');
      assert.equal(created.pemPresent, true);
      const key = parsePrivateKey(await readFile(created.pemPath, 'utf8'));
      assert.equal(importedFingerprint(key), created.fingerprint);
      await resource.destroy(context({ name: 'simretry' }).ctx, created);
    });

    it("a foreign .pem in place of our pair's key is refused, and left alone", async () => {
      const created = await resource.create(context({ name: 'simforeign' }).ctx);
      await chmod(created.pemPath, 0o600);
      // A key site made for this pair on another run (its comment matches), but not the one AWS holds.
      const foreign = generateLocalKey('ed25519', 'site:simforeign/simforeign-key');
      await writeFile(created.pemPath, foreign.privateKeyPem);
      // As a resumed run whose discovery missed the pair would: import, Duplicate, compare fingerprints.
      await assert.rejects(resource.create(context({ name: 'simforeign' }).ctx), {
        code: 'KEY_FILE_MISMATCH',
      });
      const { ctx, warnings } = context({ name: 'simforeign' });
      const found = await resource.discover(ctx);
      assert.equal(found?.pemMismatch, true);
      assert.match(warnings.join('\n'), /is not the private key/);
      await resource.destroy(ctx, found!);
      assert.equal(await readFile(created.pemPath, 'utf8'), foreign.privateKeyPem);
    });
  });

  describe('just after a create, while AWS does not list the pair yet (eventual consistency)', () => {
    beforeEach(() => sim.setFaults({ consistencyWindowMs: 1000 }));
    // Waits scaled to 1/5: the pair shows up after 1 s, well within the 2 s (or 6 s) the resource gives it.
    const slower = (name: string, keyDir?: string) => context({ name, ...(keyDir ? { keyDir } : {}) }, 0.2);
    afterEach(() => sim.setFaults({}));

    it('a run resumed right after Ctrl-C adopts the pair whose private key it just saved', async () => {
      const created = await resource.create(context({ name: 'simkeys4' }).ctx);
      // The interrupted run's discovery missed it; the resumed one plans a create.
      const { ctx } = slower('simkeys4');
      assert.equal(await resource.discover(ctx), undefined);
      const before = sim.mutatingCalls().length;
      const adopted = await resource.create(ctx);
      assert.deepEqual(adopted, created);
      assert.equal(sim.mutatingCalls().length, before, 'no second ImportKeyPair');
      await resource.destroy(context({ name: 'simkeys4' }).ctx, adopted);
    });

    it('two runs creating at once: the one AWS answers Duplicate resolves to the pair, with no private key here', async () => {
      const other = await mkdtemp(path.join(tmpdir(), 'site-keypair-other-'));
      try {
        const first = await resource.create(context({ name: 'simkeys5' }).ctx);
        const { ctx, warnings } = slower('simkeys5', other);
        const second = await resource.create(ctx);
        assert.equal(second.keyPairId, first.keyPairId);
        assert.equal(second.pemPresent, false);
        assert.match(warnings.join('\n'), /private key .* is not on this machine/);
        await resource.destroy(context({ name: 'simkeys5' }).ctx, first);
      } finally {
        await rm(other, { recursive: true, force: true });
      }
    });
  });
});
