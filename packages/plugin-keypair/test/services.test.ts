import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { instancesUsingKey, listKeyPairs } from '../src/services/key-pairs.js';
import { generateLocalKey } from '../src/ssh-key.js';
import {
  interceptEc2,
  createTestContext,
  paramsUnder,
  setUpNock,
  tagSet,
  tearDownNockExpectingAllCalls,
} from '@site-cli/core/testing';

describe('keypair services', () => {
  let dir: string;
  beforeEach(async () => {
    setUpNock();
    dir = await mkdtemp(path.join(tmpdir(), 'site-keypair-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    tearDownNockExpectingAllCalls();
  });

  it("lists this site's key pairs with fingerprint, creation time and whether the pair's private key is here", async () => {
    const key = generateLocalKey('ed25519', 'demo-key');
    const describe = interceptEc2(
      'DescribeKeyPairs',
      `<keySet><item><keyPairId>key-1</keyPairId><keyFingerprint>fp1</keyFingerprint><keyName>demo-key</keyName><keyType>ed25519</keyType><publicKey>${key.publicKeyOpenSsh}</publicKey>${tagSet({ 'site:name': 'demo' })}<createTime>2025-01-02T03:04:05.000Z</createTime></item></keySet>`,
    );
    await writeFile(path.join(dir, 'demo-key.pem'), key.privateKeyPem);
    const { ctx } = createTestContext({ name: 'demo' }, { configDir: dir });
    const rows = await listKeyPairs(ctx);
    assert.deepEqual(rows, [
      {
        site: 'demo',
        keyName: 'demo-key',
        keyPairId: 'key-1',
        keyType: 'ed25519',
        fingerprint: 'fp1',
        created: '2025-01-02T03:04:05.000Z',
        pemPath: path.join(dir, 'demo-key.pem'),
        pemPresent: true,
      },
    ]);
    assert.equal(describe[0].params['Filter.1.Name'], 'tag:site:name');
    assert.equal(describe[0].params.IncludePublicKey, 'true');
  });

  it("does not count a file of the name whose key is not the pair's as the private key", async () => {
    const pairKey = generateLocalKey('ed25519', 'demo-key');
    interceptEc2(
      'DescribeKeyPairs',
      `<keySet><item><keyPairId>key-1</keyPairId><keyName>demo-key</keyName><publicKey>${pairKey.publicKeyOpenSsh}</publicKey>${tagSet({ 'site:name': 'demo' })}</item></keySet>`,
    );
    await writeFile(path.join(dir, 'demo-key.pem'), generateLocalKey('ed25519', 'demo-key').privateKeyPem);
    const { ctx } = createTestContext({ name: 'demo' }, { configDir: dir });
    assert.equal((await listKeyPairs(ctx))[0]?.pemPresent, false);
  });

  it('--all lists every key pair ManagedBy=site, with the site each belongs to', async () => {
    const describe = interceptEc2(
      'DescribeKeyPairs',
      `<keySet><item><keyPairId>key-2</keyPairId><keyName>zeta-key</keyName>${tagSet({ 'site:name': 'zeta' })}</item><item><keyPairId>key-1</keyPairId><keyName>alpha-key</keyName>${tagSet({ 'site:name': 'alpha' })}</item></keySet>`,
    );
    const { ctx } = createTestContext({ name: 'demo' }, { configDir: dir });
    const rows = await listKeyPairs(ctx, { all: true });
    assert.deepEqual(
      rows.map((r) => [r.site, r.keyName, r.pemPresent]),
      [
        ['alpha', 'alpha-key', false],
        ['zeta', 'zeta-key', false],
      ],
    );
    assert.deepEqual(paramsUnder(describe[0].params, 'Filter.'), {
      'Filter.1.Name': 'tag:ManagedBy',
      'Filter.1.Value.1': 'site',
      'Filter.2.Name': 'tag:site:resource',
      'Filter.2.Value.1': 'keypair.key-pair',
    });
  });

  it('finds the live instances of the site launched with the key', async () => {
    const describe = interceptEc2(
      'DescribeInstances',
      '<reservationSet><item><reservationId>r-1</reservationId><instancesSet><item><instanceId>i-0aaa</instanceId></item></instancesSet></item></reservationSet>',
    );
    const { ctx } = createTestContext({ name: 'demo' });
    assert.deepEqual(await instancesUsingKey(ctx, 'demo-key'), ['i-0aaa']);
    assert.deepEqual(paramsUnder(describe[0].params, 'Filter.'), {
      'Filter.1.Name': 'tag:site:name',
      'Filter.1.Value.1': 'demo',
      'Filter.2.Name': 'tag:ManagedBy',
      'Filter.2.Value.1': 'site',
      'Filter.3.Name': 'key-name',
      'Filter.3.Value.1': 'demo-key',
      'Filter.4.Name': 'instance-state-name',
      'Filter.4.Value.1': 'pending',
      'Filter.4.Value.2': 'running',
      'Filter.4.Value.3': 'stopping',
      'Filter.4.Value.4': 'stopped',
    });
  });

  it('finds them on every page, following NextToken with the same filters', async () => {
    const reservation = (id: string) =>
      `<reservationSet><item><reservationId>r-${id}</reservationId><instancesSet><item><instanceId>${id}</instanceId></item></instancesSet></item></reservationSet>`;
    const describe = interceptEc2(
      'DescribeInstances',
      (params) =>
        params.NextToken === 'page-2'
          ? reservation('i-0bbb')
          : `${reservation('i-0aaa')}<nextToken>page-2</nextToken>`,
      2,
    );
    const { ctx } = createTestContext({ name: 'demo' });
    assert.deepEqual(await instancesUsingKey(ctx, 'demo-key'), ['i-0aaa', 'i-0bbb']);
    assert.deepEqual(
      describe.map((call) => call.params.NextToken),
      [undefined, 'page-2'],
    );
    assert.equal(describe[1].params['Filter.3.Value.1'], 'demo-key');
  });
});
