/**
 * Packing a source folder: what a user relies on — the same files give the same version wherever they are packed,
 * `.git` and `.siteignore`d files stay out, and a folder too big is refused before anything is read or created.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { packSource, SourceProblem } from '../src/pack.js';

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'site-pack-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

/** The names and contents `unzip` (as the instance runs it) finds in the zip. */
async function unzipped(zip: Buffer): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'site-unpack-'));
  await writeFile(join(dir, 'site.zip'), zip);
  execFileSync('unzip', ['-q', 'site.zip', '-d', 'out'], { cwd: dir });
  const listing = execFileSync('find', ['out', '-type', 'f'], { cwd: dir, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .sort();
  const files: Record<string, string> = {};
  for (const path of listing) files[path.slice('out/'.length)] = await readFile(join(dir, path), 'utf8');
  await rm(dir, { recursive: true, force: true });
  return files;
}

const SITE = {
  'index.html': '<h1>Cafe</h1>',
  'css/style.css': 'body { color: brown; }'.repeat(50),
  'img/logo.svg': '<svg/>',
};

describe('packing source.dir', () => {
  const made: string[] = [];
  const make = async (files: Record<string, string>) => {
    const dir = await folder(files);
    made.push(dir);
    return dir;
  };
  after(async () => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('gives the same version and the same zip for the same files, whatever their times and modes', async () => {
    const a = await make(SITE);
    const b = await make(Object.fromEntries(Object.entries(SITE).reverse()));
    await utimes(join(b, 'index.html'), new Date('2001-02-03'), new Date('2001-02-03'));
    await chmod(join(b, 'img/logo.svg'), 0o600);
    const [first, second] = [await packSource(a), await packSource(b)];
    assert.match(first.version, /^[0-9a-f]{12}$/);
    assert.equal(first.version, second.version);
    assert.equal(first.sha256, second.sha256);
    assert.deepEqual(first.zip, second.zip);
    assert.equal(first.files, 3);
    assert.equal(first.hasIndexHtml, true);
  });

  it('changes the version when one byte changes', async () => {
    const a = await make(SITE);
    const b = await make({ ...SITE, 'index.html': '<h1>Cafe!</h1>' });
    assert.notEqual((await packSource(a)).version, (await packSource(b)).version);
  });

  it('makes a zip that unzip (as the instance runs it) unpacks to exactly the files', async () => {
    const packed = await packSource(await make(SITE));
    assert.deepEqual(await unzipped(packed.zip), SITE);
  });

  it('leaves out .git, .siteignore itself and what .siteignore lists', async () => {
    const dir = await make({
      ...SITE,
      '.git/HEAD': 'ref: refs/heads/main',
      'docs/.git/config': '[core]',
      '.siteignore': '# drafts and sources\n/drafts\n*.psd\nnode_modules/\nimg/raw/**\n',
      'drafts/new.html': 'draft',
      'blog/drafts/kept.html': 'anchored pattern: only the top drafts/ goes',
      'img/logo.psd': 'layers',
      'img/raw/a/b.png': 'raw',
      'node_modules/x/index.js': 'x',
    });
    const files = await unzipped((await packSource(dir)).zip);
    assert.deepEqual(Object.keys(files).sort(), [...Object.keys(SITE), 'blog/drafts/kept.html'].sort());
    // The ignored files are not part of the version either.
    const plain = await make({
      ...SITE,
      'blog/drafts/kept.html': 'anchored pattern: only the top drafts/ goes',
    });
    assert.equal((await packSource(dir)).version, (await packSource(plain)).version);
  });

  it('refuses a .siteignore line it does not support, naming the line', async () => {
    const dir = await make({ ...SITE, '.siteignore': '*.psd\n!keep.psd\n' });
    await assert.rejects(packSource(dir), (error: SourceProblem) => {
      assert.equal(error.code, 'SITEIGNORE_INVALID');
      assert.match(error.message, /line 2 "!keep\.psd"/);
      return true;
    });
  });

  it('refuses a folder with too many files, or too many bytes, before reading them', async () => {
    const dir = await make({ ...SITE, 'a.html': 'a', 'b.html': 'b' });
    await assert.rejects(packSource(dir, { maxFiles: 4, maxBytes: 10_000 }), (error: SourceProblem) => {
      assert.equal(error.code, 'SOURCE_TOO_LARGE');
      assert.match(error.message, /more than 4 files/);
      assert.match(error.suggestions.join(' '), /\.siteignore/);
      return true;
    });
    await assert.rejects(packSource(dir, { maxFiles: 100, maxBytes: 500 }), /too big to serve/);
  });

  it('refuses a missing folder, an empty one and a symbolic link, each with what to do', async () => {
    await assert.rejects(packSource('/nonexistent/site-public'), (error: SourceProblem) => {
      assert.equal(error.code, 'SOURCE_DIR_INVALID');
      return true;
    });
    const empty = await make({ '.git/HEAD': 'x' });
    await assert.rejects(packSource(empty), (error: SourceProblem) => error.code === 'SOURCE_DIR_EMPTY');
    const linked = await make(SITE);
    await symlink('/etc/passwd', join(linked, 'passwd'));
    await assert.rejects(packSource(linked), (error: SourceProblem) => {
      assert.match(error.message, /symbolic link, passwd/);
      return true;
    });
  });
});
