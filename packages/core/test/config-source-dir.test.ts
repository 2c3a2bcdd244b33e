import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SiteError } from '../src/errors.js';
import { loadConfig } from '../src/config/load.js';

/** `source.dir` (issue 13): a folder relative to the config file, or `--source DIR` relative to where you are. */
describe('config: source.dir', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'site-source-dir-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  async function project(config: string): Promise<string> {
    const dir = await mkdtemp(path.join(root, 'p-'));
    await mkdir(path.join(dir, '.git'));
    await mkdir(path.join(dir, 'site'));
    await writeFile(path.join(dir, 'site', 'site.config.yaml'), config);
    return dir;
  }
  async function failure(promise: Promise<unknown>): Promise<SiteError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof SiteError, String(error));
      return error;
    }
    assert.fail('expected an error');
  }

  it('resolves source.dir against the config file, and --source against the current folder', async () => {
    const dir = await project('source: { dir: ./public }\n');
    const fromFile = await loadConfig({ cwd: path.join(dir, 'site'), env: {} });
    assert.equal(fromFile.config.source?.dir, path.join(dir, 'site', 'public'));
    assert.deepEqual(fromFile.sources['source.dir'], {
      kind: 'file',
      file: path.join(dir, 'site', 'site.config.yaml'),
    });

    const fromFlag = await loadConfig({
      cwd: dir,
      configPath: path.join(dir, 'site', 'site.config.yaml'),
      env: {},
      flags: { sourceDir: 'elsewhere' },
    });
    assert.equal(fromFlag.config.source?.dir, path.join(dir, 'elsewhere'));
    assert.deepEqual(fromFlag.sources['source.dir'], { kind: 'flag', name: '--source' });
  });

  it('refuses source.dir beside source.url, and beside template, exit 2 naming the key', async () => {
    const both = await project('source: { dir: ./public, url: "https://example.com/site.zip" }\n');
    const error = await failure(loadConfig({ cwd: path.join(both, 'site'), env: {} }));
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /source/);
    assert.match(error.message, /either source\.url or source\.dir, not both/);

    const template = await project(
      'template: { id: "2137", name: barista_cafe }\nsource: { dir: ./public }\n',
    );
    const conflict = await failure(loadConfig({ cwd: path.join(template, 'site'), env: {} }));
    assert.equal(conflict.exitCode, 2);
    assert.match(conflict.message, /either template or source, not both/);

    const flag = await project('template: { id: "2137", name: barista_cafe }\n');
    const flagged = await failure(
      loadConfig({ cwd: path.join(flag, 'site'), env: {}, flags: { sourceDir: './public' } }),
    );
    assert.match(flagged.message, /flag --source/);
  });

  it('refuses an empty source', async () => {
    const dir = await project('source: {}\n');
    const error = await failure(loadConfig({ cwd: path.join(dir, 'site'), env: {} }));
    assert.match(error.message, /either source\.url \(a zip to serve\) or source\.dir \(your own folder\)/);
  });
});
