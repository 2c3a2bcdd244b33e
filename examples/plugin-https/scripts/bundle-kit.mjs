// The plugin kit goes inside this plugin's tarball (package.json `bundleDependencies`), so the tarball installs
// with npm offline, from its own files and the npm cache (see prefetch.mjs): @site-cli/plugin-kit is not on
// the registry yet. `npm pack` bundles what is in ./node_modules; this plugin lives in site's repository and
// resolves the kit from the workspace, so `prepack` puts the kit's packed files there and `postpack` removes
// them (the plugin builds and tests against the workspace's kit). Published, a plugin simply depends on it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const plugin = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(plugin, 'node_modules/@site-cli/plugin-kit');
rmSync(join(plugin, 'node_modules'), { recursive: true, force: true });
if (process.argv[2] === 'remove') process.exit(0);

const kit = resolve(plugin, '../../packages/plugin-kit');
const work = mkdtempSync(join(tmpdir(), 'site-plugin-kit-'));
try {
  const packed = execFileSync(
    'npm',
    ['pack', '--silent', '--ignore-scripts', '--dry-run=false', '--pack-destination', work],
    {
      cwd: kit,
      encoding: 'utf8',
    },
  )
    .trim()
    .split('\n')
    .at(-1);
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', join(work, packed), '-C', target, '--strip-components=1']);
} finally {
  rmSync(work, { recursive: true, force: true });
}
