import { strict as assert } from 'node:assert';
import { buildUserData, shellQuote, siteZipUrl } from '../src/user-data.js';
import { clientToken, fingerprintOf } from '../src/spec.js';

describe('user data', () => {
  const template = { id: '2137', name: 'barista_cafe' };

  it('installs httpd, downloads the Tooplate zip and starts httpd on Amazon Linux 2023', () => {
    const script = buildUserData({ template });
    const lines = script.split('\n');
    assert.equal(lines[0], '#!/bin/bash');
    assert.ok(lines.includes('set -euo pipefail'));
    assert.ok(lines.includes('exec > >(tee --output-error=warn-nopipe -a /var/log/site-setup.log) 2>&1'));
    assert.ok(script.includes('dnf install -y httpd unzip'));
    assert.ok(script.includes("SITE_URL='https://www.tooplate.com/zip-templates/2137_barista_cafe.zip'"));
    assert.ok(script.includes('curl --location --retry 5 --retry-delay 3 --max-time 120'));
    assert.ok(script.includes('systemctl enable --now httpd'));
    // What it does with them is asserted by running it: user-data.run.test.ts.
  });

  it('ends with one outcome line, also written to the console', () => {
    const script = buildUserData({ template });
    assert.match(
      script,
      /fail\(\) \{\n {2}echo "SITE SETUP FAILED: \$\*"\n {2}to_console "SITE SETUP FAILED: \$\*"\n {2}exit 1\n\}/,
    );
    assert.ok(script.trimEnd().endsWith('to_console "SITE SETUP DONE: httpd serves $SITE_URL"'));
  });

  it('uses source.url instead of the template when set, shell-quoted', () => {
    const url = "https://example.com/it's $(reboot).zip";
    assert.equal(siteZipUrl({ template, source: { url } }), url);
    const script = buildUserData({ template, source: { url } });
    assert.ok(script.includes(`SITE_URL='https://example.com/it'\\''s $(reboot).zip'`));
    assert.ok(!script.includes('tooplate.com/zip-templates'));
  });

  it('quotes any value for the shell', () => {
    assert.equal(shellQuote('plain'), "'plain'");
    assert.equal(shellQuote("a'b"), "'a'\\''b'");
    assert.equal(shellQuote('$(x) `y` "z"'), '\'$(x) `y` "z"\'');
  });

  it('is deterministic, so the fingerprint is stable', () => {
    assert.equal(buildUserData({ template }), buildUserData({ template: { ...template } }));
  });
});

describe('fingerprint and ClientToken', () => {
  const base = {
    instanceType: 't2.micro',
    userData: buildUserData({ template: { id: '2137', name: 'barista_cafe' } }),
    volumeSize: 8,
  };

  it('changes with the instance type, the user data, the volume size and a fixed AMI id', () => {
    const fp = fingerprintOf(base);
    assert.match(fp, /^[0-9a-f]{16}$/);
    assert.notEqual(fingerprintOf({ ...base, instanceType: 't3.micro' }), fp);
    assert.notEqual(fingerprintOf({ ...base, userData: base.userData + '\n' }), fp);
    assert.notEqual(fingerprintOf({ ...base, volumeSize: 10 }), fp);
    assert.notEqual(fingerprintOf({ ...base, fixedImageId: 'ami-0123456789abcdef0' }), fp);
    assert.equal(fingerprintOf({ ...base }), fp);
  });

  it('is 64 ASCII characters, stable, and new for a new security group or index', () => {
    const token = clientToken('barista-cafe', 'sg-1', 'abc', 0);
    assert.match(token, /^[0-9a-f]{64}$/);
    assert.equal(clientToken('barista-cafe', 'sg-1', 'abc', 0), token);
    assert.notEqual(clientToken('barista-cafe', 'sg-2', 'abc', 0), token);
    assert.notEqual(clientToken('barista-cafe', 'sg-1', 'abc', 1), token);
    assert.notEqual(clientToken('barista-cafe', 'sg-1', 'abd', 0), token);
    assert.notEqual(clientToken('barista-cafe', 'sg-1', 'abc', 0, 'i-old'), token);
  });
});
