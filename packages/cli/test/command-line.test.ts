import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { resolvePluginSource } from '../src/command-line/plugin-source.js';
import { wantsJson } from '../src/command-line/json.js';

describe('the command line', () => {
  describe('a plugin to install, as users type it', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'site-plugin-source-'));
    writeFileSync(path.join(cwd, 'site-cli-plugin-https-0.1.0.tgz'), '');
    mkdirSync(path.join(cwd, 'my-plugin'));

    it('an existing tarball or folder, relative or absolute, goes to npm as file:<absolute path>', async () => {
      const tarball = path.join(cwd, 'site-cli-plugin-https-0.1.0.tgz');
      for (const typed of ['./site-cli-plugin-https-0.1.0.tgz', 'site-cli-plugin-https-0.1.0.tgz', tarball])
        assert.deepEqual(await resolvePluginSource(typed, cwd), {
          kind: 'path',
          spec: `file:${tarball}`,
          path: tarball,
        });
      const folder = path.join(cwd, 'my-plugin');
      assert.deepEqual(await resolvePluginSource('./my-plugin', cwd), {
        kind: 'path',
        spec: `file:${folder}`,
        path: folder,
      });
      assert.deepEqual(await resolvePluginSource('../' + path.basename(cwd) + '/my-plugin', cwd), {
        kind: 'path',
        spec: `file:${folder}`,
        path: folder,
      });
    });

    it('a path that is not there is missing, never a GitHub repository', async () => {
      for (const typed of [
        './nope.tgz',
        '../nope',
        'dist/plugin.tgz',
        'owner/repo',
        '/no/such/plugin',
        'nope.tar.gz',
      ])
        assert.equal((await resolvePluginSource(typed, cwd)).kind, 'missing', typed);
      assert.deepEqual(await resolvePluginSource('~/no-such-plugin-here', cwd), {
        kind: 'missing',
        path: path.join(homedir(), 'no-such-plugin-here'),
      });
    });

    it('npm names (a bare word, even when a folder has its name), scoped names and URLs pass as given', async () => {
      for (const typed of [
        'my-plugin',
        'site-plugin-x',
        '@site-cli/plugin-https',
        '@scope/name@1.2.0',
        'file:./x.tgz',
        'https://github.com/o/r',
        'git+ssh://git@github.com/o/r.git',
      ])
        assert.deepEqual(await resolvePluginSource(typed, cwd), { kind: 'as-given', spec: typed }, typed);
    });
  });

  it('--json counts only before `--`', () => {
    assert.equal(wantsJson(['status', '--json']), true);
    assert.equal(wantsJson(['status']), false);
    assert.equal(wantsJson(['instance', 'ssh', '--', '--json']), false);
  });
});
