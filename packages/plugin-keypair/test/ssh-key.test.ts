import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  candidateFingerprints,
  fingerprintMatches,
  generateLocalKey,
  importedFingerprint,
  normalizeFingerprint,
  parsePrivateKey,
  proveKey,
  publicKeyBlob,
  publicKeyFromBlob,
} from '../src/ssh-key.js';

/** Public keys made by `ssh-keygen -t ed25519` / `-t rsa -b 1024`, with what OpenSSH and openssl print for them. */
const ED25519_VECTOR = {
  line: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAtSl1IzkYX+TWCpMuI5URgAQ2WlmDIEk8DnFQO2rapj',
  sha256: 'XJuuW2QUxhjP78JSSLlOCj4gUTuFhGnLGtNtnyEWryQ', // ssh-keygen -l -E sha256
};
const RSA_VECTOR = {
  line: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDBBqX/ByOY2RrhDxaG19AC91keY+5NgooWy8Z4kwEVBUgzNM98I8RMQqHGxaZI7iJqDZCJPNhuTgGgsiPOrWem6uXN0+R9UY2a3jJsVIhsVPN+FcR6szG7sdHSGR98cvJaZjt/lo8gdVhrJFdqcVXfBnS1+47BfPANYUCHsxqVBw==',
  derMd5: 'e6:68:32:6e:21:0d:72:6e:85:fc:c8:86:ca:15:26:66', // ssh-keygen -e -m PKCS8 | openssl pkey -pubin -outform DER | openssl md5 -c
  rfc4716Md5: '73:42:1e:d0:a0:be:02:da:fb:dd:44:69:0b:5b:df:68', // ssh-keygen -l -E md5
};

function hasSshKeygen(): boolean {
  try {
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
  } catch (error) {
    return (error as { status?: number }).status !== undefined;
  }
  return true;
}

describe('ssh-key: OpenSSH encoding and AWS fingerprints', () => {
  for (const vector of [ED25519_VECTOR, RSA_VECTOR]) {
    it(`decodes and re-encodes the wire blob of ${vector.line.split(' ')[0]} exactly (RFC 4253 / RFC 8709)`, () => {
      const blob = Buffer.from(vector.line.split(' ')[1]!, 'base64');
      const { type, publicKey } = publicKeyFromBlob(blob);
      const again = publicKeyBlob(publicKey);
      assert.equal(again.type, type);
      assert.equal(again.blob.toString('base64'), blob.toString('base64'));
    });
  }

  it('ed25519: AWS (imported) = OpenSSH SHA-256, base64', () => {
    const blob = Buffer.from(ED25519_VECTOR.line.split(' ')[1]!, 'base64');
    const { type, publicKey } = publicKeyFromBlob(blob);
    assert.equal(importedFingerprint({ type, blob, publicKey }), `${ED25519_VECTOR.sha256}=`);
  });

  it('rsa: AWS (imported) = MD5 of the DER public key; the RFC 4716 MD5 also proves the key', () => {
    const blob = Buffer.from(RSA_VECTOR.line.split(' ')[1]!, 'base64');
    const { type, publicKey } = publicKeyFromBlob(blob);
    assert.equal(importedFingerprint({ type, blob, publicKey }), RSA_VECTOR.derMd5);
  });

  it('normalises fingerprints as AWS and ssh-keygen print them', () => {
    assert.equal(
      normalizeFingerprint(`SHA256:${ED25519_VECTOR.sha256}`),
      normalizeFingerprint(`${ED25519_VECTOR.sha256}=`),
    );
    assert.equal(normalizeFingerprint('MD5:AB:cd:01'), 'ab:cd:01');
  });

  for (const type of ['ed25519', 'rsa'] as const) {
    it(`a generated ${type} key reads back from its .pem text with the same public key and fingerprints`, () => {
      const key = generateLocalKey(type, 'demo-key');
      assert.match(key.publicKeyOpenSsh, new RegExp(`^ssh-${type} AAAA[A-Za-z0-9+/]+=* demo-key$`));
      const read = parsePrivateKey(key.privateKeyPem);
      assert.equal(read.type, type);
      assert.equal(read.blob.toString('base64'), key.blob.toString('base64'));
      assert.ok(fingerprintMatches(read, importedFingerprint(key)));
      assert.ok(!fingerprintMatches(read, importedFingerprint(generateLocalKey(type, 'other'))));
    });
  }

  it('refuses what is not an unencrypted private key', () => {
    assert.throws(() => parsePrivateKey('precious'));
    assert.throws(() => parsePrivateKey(ED25519_VECTOR.line));
    const key = generateLocalKey('ed25519', 'x');
    const body = key.privateKeyPem.split('\n').slice(1, -2).join('');
    const bytes = Buffer.from(body, 'base64');
    bytes[bytes.length - 40] ^= 0xff; // inside the secret half
    const broken = `-----BEGIN OPENSSH PRIVATE KEY-----\n${bytes.toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`;
    assert.throws(() => parsePrivateKey(broken));
  });

  describe('against ssh-keygen', function () {
    this.timeout(30_000);
    let dir: string;
    before(function () {
      if (!hasSshKeygen()) this.skip();
    });
    beforeEach(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'site-sshkey-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    const keygen = (...args: string[]) => execFileSync('ssh-keygen', args).toString().trim();

    for (const type of ['ed25519', 'rsa'] as const) {
      it(`ssh-keygen reads our ${type} .pem: same public key (-y) and fingerprint (-l)`, async () => {
        const key = generateLocalKey(type, 'demo-key');
        const pem = path.join(dir, 'demo-key.pem');
        await writeFile(pem, key.privateKeyPem, { mode: 0o600 });
        assert.equal(
          keygen('-y', '-f', pem).split(' ').slice(0, 2).join(' '),
          key.publicKeyOpenSsh.split(' ').slice(0, 2).join(' '),
        );
        const sha256 = keygen('-l', '-E', 'sha256', '-f', pem).split(' ')[1]!;
        if (type === 'ed25519')
          assert.equal(normalizeFingerprint(sha256), normalizeFingerprint(importedFingerprint(key)));
        else
          assert.ok(
            candidateFingerprints(key).includes(
              normalizeFingerprint(keygen('-l', '-E', 'md5', '-f', pem).split(' ')[1]!),
            ),
          );
      });

      it(`we read a ${type} key made by ssh-keygen: same public key as its .pub`, async () => {
        const file = path.join(dir, 'made');
        keygen(
          '-q',
          '-t',
          type,
          '-N',
          '',
          '-C',
          'c',
          '-f',
          file,
          ...(type === 'rsa' ? ['-m', 'PEM', '-b', '2048'] : []),
        );
        const key = parsePrivateKey(await readFile(file, 'utf8'));
        const pub = (await readFile(`${file}.pub`, 'utf8')).split(' ');
        assert.equal(key.publicKeyOpenSsh.split(' ').slice(0, 2).join(' '), `${pub[0]} ${pub[1]}`);
      });
    }
  });
});

/** Keys made by ssh-keygen, with what ssh-keygen and openssl print for them (see make-vectors.sh beside it). */
const VECTORS = JSON.parse(
  readFileSync(
    path.resolve(
      path.dirname(fileURLToPath(import.meta.url)),
      '../../aws-sim/test/fixtures/ssh-keygen/vectors.json',
    ),
    'utf8',
  ),
) as Record<'ed25519' | 'rsa', Record<string, string>>;

describe('ssh-key: pinned to ssh-keygen', () => {
  const bare = (fingerprint: string) => fingerprint.replace(/^(SHA256|MD5):/, '');

  it("reads ssh-keygen's OpenSSH ed25519 private key: its public key, comment and fingerprint are ssh-keygen's", () => {
    const vector = VECTORS.ed25519;
    const key = parsePrivateKey(vector.privateKey!);
    assert.equal(key.type, 'ed25519');
    assert.equal(key.comment, 'vector-ed25519');
    assert.equal(key.publicKeyOpenSsh, vector.publicKey!.trim());
    assert.equal(importedFingerprint(key), `${bare(vector.sha256!)}=`); // AWS pads; ssh-keygen does not
    assert.ok(fingerprintMatches(key, vector.sha256!));
    assert.equal(proveKey(key, { PublicKey: vector.publicKey }), 'match');
  });

  it("reads ssh-keygen's PEM RSA private key: AWS's imported and created fingerprints are openssl's", () => {
    const vector = VECTORS.rsa;
    const key = parsePrivateKey(vector.privateKey!);
    assert.equal(key.type, 'rsa');
    assert.equal(key.publicKeyOpenSsh, vector.publicKey!.trim().split(' ').slice(0, 2).join(' '));
    assert.equal(importedFingerprint(key), vector.importedFingerprint);
    const candidates = candidateFingerprints(key);
    assert.ok(candidates.includes(vector.createdFingerprint!), 'SHA-1 of the PKCS#8 DER (CreateKeyPair)');
    assert.ok(candidates.includes(bare(vector.md5!)), 'RFC 4716 MD5 of the wire blob');
    assert.equal(proveKey(key, { PublicKey: vector.publicKey, KeyFingerprint: 'ignored' }), 'match');
  });

  it("writes keys ssh-keygen's vectors tell apart: one key's public key never proves the other", () => {
    const ed = parsePrivateKey(VECTORS.ed25519.privateKey!);
    const rsa = parsePrivateKey(VECTORS.rsa.privateKey!);
    assert.equal(proveKey(ed, { PublicKey: VECTORS.rsa.publicKey }), 'mismatch');
    assert.equal(proveKey(rsa, { KeyFingerprint: VECTORS.ed25519.sha256 }), 'mismatch');
    assert.equal(proveKey(rsa, {}), 'unknown');
  });
});
