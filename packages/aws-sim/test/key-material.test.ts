import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ec2 from '@aws-sdk/client-ec2';
import { awsFingerprint, keyOfBlob, openSshLine, sshBlob } from '../src/ec2/key-material.js';
import { startSimulator, type Simulator } from '../src/index.js';
import { clients } from './helpers.js';

/** Keys made by ssh-keygen and what ssh-keygen and openssl print for them (fixtures/ssh-keygen/make-vectors.sh). */
const VECTORS = JSON.parse(
  readFileSync(
    path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/ssh-keygen/vectors.json'),
    'utf8',
  ),
) as Record<'ed25519' | 'rsa', Record<string, string>>;

const blobOf = (line: string) => Buffer.from(line.trim().split(/\s+/)[1]!, 'base64');
const bare = (fingerprint: string) => fingerprint.replace(/^(SHA256|MD5):/, '');

/** Whether a tool is installed (it may still exit non-zero for the probe). */
function installed(bin: string): boolean {
  try {
    execFileSync(bin, ['-?'], { stdio: 'ignore' });
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
  return true;
}

const tool = (bin: string, args: string[], input?: Buffer) =>
  execFileSync(bin, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });

describe('key material, pinned to ssh-keygen', () => {
  it("reads ssh-keygen's wire blobs and writes them back byte for byte", () => {
    for (const vector of [VECTORS.ed25519, VECTORS.rsa]) {
      const blob = blobOf(vector.publicKey!);
      const key = keyOfBlob(blob)!;
      assert.ok(key, vector.publicKey);
      assert.deepEqual(sshBlob(key), blob);
      assert.equal(openSshLine(key, vector.publicKey!.trim().split(' ')[2]), vector.publicKey!.trim());
    }
  });

  it("agrees with ssh-keygen's PKCS#8 export of the RSA key and with the private keys it wrote", () => {
    const rsa = keyOfBlob(blobOf(VECTORS.rsa.publicKey!))!;
    assert.deepEqual(
      rsa.export({ format: 'der', type: 'spki' }),
      createPublicKey(VECTORS.rsa.pkcs8PublicPem!).export({ format: 'der', type: 'spki' }),
    );
    assert.deepEqual(
      sshBlob(createPublicKey(createPrivateKey(VECTORS.rsa.privateKey!))),
      blobOf(VECTORS.rsa.publicKey!),
    );
  });

  it("gives AWS's fingerprints: ssh-keygen's SHA-256 padded for ed25519, openssl's MD5 / SHA-1 for RSA", () => {
    const ed = keyOfBlob(blobOf(VECTORS.ed25519.publicKey!))!;
    assert.equal(awsFingerprint(ed), `${bare(VECTORS.ed25519.sha256!)}=`);
    const rsa = keyOfBlob(blobOf(VECTORS.rsa.publicKey!))!;
    assert.equal(awsFingerprint(rsa), VECTORS.rsa.importedFingerprint);
    const pkcs8 = createPrivateKey(VECTORS.rsa.privateKey!).export({ format: 'der', type: 'pkcs8' });
    assert.equal(awsFingerprint(rsa, pkcs8), VECTORS.rsa.createdFingerprint);
  });

  it('refuses blobs that are not exactly one key', () => {
    const ed = blobOf(VECTORS.ed25519.publicKey!);
    assert.equal(keyOfBlob(ed, 'ssh-rsa'), undefined, 'an ed25519 blob under the rsa name');
    assert.equal(keyOfBlob(Buffer.concat([ed, Buffer.from([0, 0, 0, 0])])), undefined, 'a field too many');
    assert.equal(keyOfBlob(ed.subarray(0, ed.length - 1)), undefined, 'truncated');
  });
});

describe('EC2 key pairs, pinned to ssh-keygen', () => {
  let sim: Simulator;
  let c: ec2.EC2Client;
  beforeEach(async () => {
    sim = await startSimulator();
    c = clients(sim).ec2;
  });
  afterEach(() => sim.stop());
  const describe1 = async (KeyName: string) =>
    (await c.send(new ec2.DescribeKeyPairsCommand({ KeyNames: [KeyName], IncludePublicKey: true })))
      .KeyPairs![0]!;

  it("imports ssh-keygen's keys in each format AWS takes, with AWS's fingerprint and the key as published", async () => {
    const forms: [string, string, string][] = [
      ['ed-line', VECTORS.ed25519.publicKey!, VECTORS.ed25519.publicKey!.trim()],
      [
        'ed-4716',
        VECTORS.ed25519.rfc4716!,
        VECTORS.ed25519.publicKey!.trim().split(' ').slice(0, 2).join(' '),
      ],
      ['rsa-line', VECTORS.rsa.publicKey!, VECTORS.rsa.publicKey!.trim()],
      ['rsa-4716', VECTORS.rsa.rfc4716!, VECTORS.rsa.publicKey!.trim().split(' ').slice(0, 2).join(' ')],
      [
        'rsa-pem',
        VECTORS.rsa.pkcs8PublicPem!,
        VECTORS.rsa.publicKey!.trim().split(' ').slice(0, 2).join(' '),
      ],
    ];
    for (const [name, material, published] of forms) {
      const out = await c.send(
        new ec2.ImportKeyPairCommand({ KeyName: name, PublicKeyMaterial: Buffer.from(material) }),
      );
      const expected = name.startsWith('ed')
        ? `${bare(VECTORS.ed25519.sha256!)}=`
        : VECTORS.rsa.importedFingerprint;
      assert.equal(out.KeyFingerprint, expected, name);
      const pair = await describe1(name);
      assert.equal(pair.PublicKey, published, name);
      assert.equal(pair.KeyFingerprint, expected, name);
    }
    const [withoutKey] = (
      await c.send(new ec2.DescribeKeyPairsCommand({ KeyNames: ['ed-line'], IncludePublicKey: false }))
    ).KeyPairs!;
    assert.equal(withoutKey!.PublicKey, undefined, 'IncludePublicKey false: no public key');
  });

  it('creates key pairs whose private keys ssh-keygen and openssl read, with the fingerprints they print', async function () {
    if (!installed('ssh-keygen') || !installed('openssl')) {
      console.log(
        '      (skipped: ssh-keygen or openssl is not installed; the vectors above still pin both sides)',
      );
      this.skip();
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'aws-sim-keys-'));
    try {
      for (const KeyType of ['ed25519', 'rsa'] as const) {
        const created = await c.send(new ec2.CreateKeyPairCommand({ KeyName: KeyType, KeyType }));
        const file = path.join(dir, KeyType);
        writeFileSync(file, `${created.KeyMaterial}\n`, { mode: 0o600 });
        const derived = tool('ssh-keygen', ['-y', '-f', file]).trim();
        const pair = await describe1(KeyType);
        assert.equal(blobOf(pair.PublicKey!).toString('base64'), derived.split(' ')[1], KeyType);
        if (KeyType === 'ed25519') {
          writeFileSync(`${file}.pub`, `${derived}\n`);
          const printed = tool('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`]).split(' ')[1]!;
          assert.equal(created.KeyFingerprint, `${bare(printed)}=`);
        } else {
          const der = execFileSync('openssl', [
            'pkcs8',
            '-in',
            file,
            '-inform',
            'PEM',
            '-outform',
            'DER',
            '-topk8',
            '-nocrypt',
          ]);
          const printed = tool('openssl', ['sha1', '-c'], der);
          assert.equal(created.KeyFingerprint, printed.trim().split(' ').pop());
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
