// Puts this plugin's runtime dependencies (and the registry's metadata for them) in the npm cache, the way
// `npm install` asks for them, so that `site plugins install <tarball>` can then run with npm offline
// (the end-to-end test does exactly that). `npm ci` alone is not enough: it caches tarballs and abbreviated
// metadata, while an install resolving `^4.x` ranges reads the full metadata. Needs the npm registry.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../package.json'), 'utf8'),
);
// Bundled dependencies (the plugin kit) travel inside the tarball: nothing to fetch for them.
const bundled = new Set(pkg.bundleDependencies ?? []);
const specs = Object.entries(pkg.dependencies ?? {})
  .filter(([name]) => !bundled.has(name))
  .map(([name, range]) => `${name}@${range}`);
const work = mkdtempSync(join(tmpdir(), 'site-plugin-prefetch-'));
try {
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'prefetch', private: true }));
  execFileSync(
    'npm',
    ['install', '--no-save', '--omit', 'dev', '--ignore-scripts', '--no-audit', '--no-fund', ...specs],
    { cwd: work, stdio: 'inherit' },
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
