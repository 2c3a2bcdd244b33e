import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const script = path.join(root, 'packages/cli/scripts/architecture-diagrams.mjs');
const committed = path.join(root, 'docs/architecture.md');

/** Runs the diagram script; never rejects. */
async function diagrams(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [script, ...args], { cwd: root }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? -1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }),
  );
}

describe('docs/architecture.md', function () {
  this.timeout(60_000);

  it('shows the packages and the resource graph as the code draws them now', async () => {
    const { code, stderr } = await diagrams('--check');
    // On failure the script's message says what differs and the command that redraws the diagrams.
    assert.equal(code, 0, stderr);
  });

  describe('when a diagram is stale', () => {
    let dir: string;
    let stale: string;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'site-architecture-'));
      stale = path.join(dir, 'architecture.md');
      const doc = await readFile(committed, 'utf8');
      // A resource dropped its last dependency since the doc was generated.
      const edge = /^ {2}\w+ --> alb_site_health$/m.exec(doc)?.[0];
      assert.ok(edge, 'the committed resource graph has an edge into alb.site-health');
      await writeFile(stale, doc.replace(`${edge}\n`, ''));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('--check fails and tells how to regenerate', async () => {
      const { code, stderr } = await diagrams('--check', '--doc', stale);
      assert.equal(code, 1);
      assert.match(stderr, /a diagram differs from what the code draws now/);
      assert.match(stderr, /node packages\/cli\/scripts\/architecture-diagrams\.mjs/);
    });

    it('regenerating restores the committed doc', async () => {
      assert.equal((await diagrams('--doc', stale)).code, 0);
      assert.equal(await readFile(stale, 'utf8'), await readFile(committed, 'utf8'));
    });
  });
});
