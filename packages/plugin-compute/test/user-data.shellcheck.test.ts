/**
 * The generated user data passes ShellCheck (Debian's `shellcheck`; CI installs it), every severity down to
 * style, for the template's URL and for a source URL full of shell syntax.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { buildUserData } from '../src/user-data.js';
import { bucketEndpoint, buildStorageUserData } from '../src/user-data-storage.js';

const SCRIPTS = {
  'the Tooplate template': buildUserData({ template: { id: '2137', name: 'barista_cafe' } }),
  'a source URL with quotes, $( ) and backticks': buildUserData({
    template: { id: '2137', name: 'barista_cafe' },
    source: { url: 'https://example.com/it\'s $(reboot) `id` "x".zip' },
  }),
  'a source.dir site (its bucket, pointer and poll)': buildStorageUserData({
    bucket: 'cafe-123456789012-us-east-1',
    region: 'us-east-1',
    endpoint: bucketEndpoint('cafe-123456789012-us-east-1', 'us-east-1'),
    pointer: 'current.json',
    pollSeconds: 2,
  }),
  "the instance's site-content-sync tool": readFileSync(
    new URL('../assets/site-content-sync.sh', import.meta.url),
    'utf8',
  ),
};

describe('user data, shellcheck', function () {
  before(function () {
    const version = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
    if (version.error || version.status !== 0) {
      console.log(
        `      skipped: shellcheck is not installed here (apt-get install shellcheck; CI installs it)`,
      );
      this.skip();
    }
  });

  for (const [what, script] of Object.entries(SCRIPTS)) {
    it(`finds nothing in the script for ${what}`, () => {
      const result = spawnSync('shellcheck', ['--shell=bash', '--severity=style', '--format=gcc', '-'], {
        input: script,
        encoding: 'utf8',
      });
      assert.equal(result.error, undefined);
      assert.equal(result.stdout + result.stderr, '', 'shellcheck findings');
      assert.equal(result.status, 0);
    });
  }
});
