import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import * as ec2 from '@aws-sdk/client-ec2';
import { startSimulator, type Simulator } from '../src/index.js';
import { clients, failure } from './helpers.js';

/** Public keys made by `ssh-keygen`, with the fingerprints AWS gives imported keys (see key-pairs.ts). */
const ED25519 = {
  line: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAtSl1IzkYX+TWCpMuI5URgAQ2WlmDIEk8DnFQO2rapj vector',
  fingerprint: 'XJuuW2QUxhjP78JSSLlOCj4gUTuFhGnLGtNtnyEWryQ=', // ssh-keygen -l -E sha256, base64 padded
};
const RSA = {
  base64:
    'AAAAB3NzaC1yc2EAAAADAQABAAAAgQDBBqX/ByOY2RrhDxaG19AC91keY+5NgooWy8Z4kwEVBUgzNM98I8RMQqHGxaZI7iJqDZCJPNhuTgGgsiPOrWem6uXN0+R9UY2a3jJsVIhsVPN+FcR6szG7sdHSGR98cvJaZjt/lo8gdVhrJFdqcVXfBnS1+47BfPANYUCHsxqVBw==',
  fingerprint: 'e6:68:32:6e:21:0d:72:6e:85:fc:c8:86:ca:15:26:66', // MD5 of the DER public key (openssl md5 -c)
};
const TAGS = [{ Key: 'site:name', Value: 'demo' }];

describe('EC2 ImportKeyPair', () => {
  let sim: Simulator;
  let c: ec2.EC2Client;
  beforeEach(async () => {
    sim = await startSimulator();
    c = clients(sim).ec2;
  });
  afterEach(() => sim.stop());

  const importKey = (
    KeyName: string,
    material: string | Buffer,
    extra: Partial<ec2.ImportKeyPairCommandInput> = {},
  ) => c.send(new ec2.ImportKeyPairCommand({ KeyName, PublicKeyMaterial: Buffer.from(material), ...extra }));

  it('imports an OpenSSH ed25519 key with its tags; the fingerprint is the OpenSSH SHA-256', async () => {
    const out = await importKey('ed', ED25519.line, {
      TagSpecifications: [{ ResourceType: 'key-pair', Tags: TAGS }],
    });
    assert.equal(out.KeyName, 'ed');
    assert.match(out.KeyPairId!, /^key-0[0-9a-f]{16}$/);
    assert.equal(out.KeyFingerprint, ED25519.fingerprint);
    assert.deepEqual(out.Tags, TAGS);
    const [pair] = (
      await c.send(new ec2.DescribeKeyPairsCommand({ KeyNames: ['ed'], IncludePublicKey: true }))
    ).KeyPairs!;
    assert.equal(pair!.KeyType, 'ed25519');
    assert.equal(pair!.KeyFingerprint, ED25519.fingerprint);
    assert.equal(pair!.PublicKey, ED25519.line);
    assert.deepEqual(pair!.Tags, TAGS);
  });

  it('imports ssh-rsa, RFC 4716 and base64 DER alike: RSA fingerprint is the MD5 of the DER public key', async () => {
    const line = await importKey('rsa-line', `ssh-rsa ${RSA.base64} me@host\n`);
    assert.equal(line.KeyFingerprint, RSA.fingerprint);
    const wrapped = RSA.base64.match(/.{1,70}/g)!.join('\n');
    const ssh2 = `---- BEGIN SSH2 PUBLIC KEY ----\nComment: "1024-bit RSA, \\\nconverted"\n${wrapped}\n---- END SSH2 PUBLIC KEY ----\n`;
    assert.equal((await importKey('rsa-4716', ssh2)).KeyFingerprint, RSA.fingerprint);
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = publicKey.export({ format: 'der', type: 'spki' });
    const fromDer = await importKey('rsa-der', der);
    assert.match(fromDer.KeyFingerprint!, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const [pair] = (await c.send(new ec2.DescribeKeyPairsCommand({ KeyNames: ['rsa-der'] }))).KeyPairs!;
    assert.equal(pair!.KeyType, 'rsa');
  });

  it('answers InvalidKey.Format for what is not a public key, and creates nothing', async () => {
    for (const garbage of [
      'nope',
      'ssh-ed25519 AAAA',
      `ssh-rsa ${ED25519.line.split(' ')[1]}`, // an ed25519 blob under the rsa name
      '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
    ]) {
      const error = await failure(() => importKey('bad', garbage));
      assert.equal(error.name, 'InvalidKey.Format', garbage);
      assert.equal(error.$metadata.httpStatusCode, 400);
    }
    assert.deepEqual(sim.mutatingCalls(), []);
  });

  it('answers InvalidKeyPair.Duplicate for a taken name, and DryRunOperation without creating', async () => {
    await importKey('taken', ED25519.line);
    assert.equal((await failure(() => importKey('taken', ED25519.line))).name, 'InvalidKeyPair.Duplicate');
    const dry = await failure(() =>
      importKey('dry', ED25519.line, {
        DryRun: true,
        TagSpecifications: [{ ResourceType: 'key-pair', Tags: TAGS }],
      }),
    );
    assert.equal(dry.name, 'DryRunOperation');
    assert.equal(dry.$metadata.httpStatusCode, 412);
    const names = (await c.send(new ec2.DescribeKeyPairsCommand({}))).KeyPairs!.map((k) => k.KeyName);
    assert.deepEqual(names, ['taken']);
  });

  it('a denied ImportKeyPair (or its CreateTags) answers UnauthorizedOperation', async () => {
    await sim.stop();
    sim = await startSimulator({ faults: { deny: { 'ec2:CreateTags': 'UnauthorizedOperation' } } });
    c = clients(sim).ec2;
    const tagged = { TagSpecifications: [{ ResourceType: 'key-pair' as const, Tags: TAGS }] };
    assert.equal((await failure(() => importKey('k', ED25519.line, tagged))).name, 'UnauthorizedOperation');
    assert.equal((await importKey('k', ED25519.line)).KeyName, 'k');
  });
});
