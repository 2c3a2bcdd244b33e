import { strict as assert } from 'node:assert';
import { pemCheck, readableByOthers } from '../src/doctor.js';
import type { KeyPairOutput } from '../src/outputs.js';

const found: KeyPairOutput = {
  keyName: 'shop-key',
  keyPairId: 'key-0123',
  pemPath: '/home/ana/shop/shop-key.pem',
  pemPresent: true,
};
const RECOVER = 'run `site keypair delete` then `site deploy`.';

describe('keypair doctor: the .pem present, 0400 and the pair’s key', () => {
  it('passes the pair’s own key at 0400', () => {
    assert.equal(pemCheck(found, 0o400, RECOVER).status, 'pass');
  });

  it('fails a key group or others can read, with the chmod that fixes it', () => {
    for (const mode of [0o644, 0o640, 0o604, 0o440]) {
      const check = pemCheck(found, mode, RECOVER);
      assert.equal(check.status, 'fail', mode.toString(8));
      assert.equal(check.fix, 'chmod 400 /home/ana/shop/shop-key.pem');
    }
    assert.match(pemCheck(found, 0o644, RECOVER).message, /mode 0644/);
    assert.equal(readableByOthers(0o600), false);
  });

  it('warns an owner-writable key (ssh takes it; site writes 0400)', () => {
    assert.equal(pemCheck(found, 0o600, RECOVER).status, 'warn');
  });

  it('fails a missing key, and a file that is another key, with the recovery', () => {
    const missing = pemCheck({ ...found, pemPresent: false }, undefined, RECOVER);
    assert.equal(missing.status, 'fail');
    assert.match(missing.fix ?? '', /keypair delete/);
    const other = pemCheck({ ...found, pemPresent: false, pemMismatch: true }, 0o400, RECOVER);
    assert.equal(other.status, 'fail');
    assert.match(other.message, /not the private key of the key pair shop-key/);
  });
});
