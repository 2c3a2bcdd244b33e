#!/usr/bin/env node
// Draws the two diagrams of docs/architecture.md from the code, so they cannot drift from it:
//   packages  — every workspace package (and examples/*) and its @site-cli/* dependencies, from the package.json files;
//   resources — the resource graph of the CLI's built-in plugins (ids, dependsOn), from their site:resources hooks.
// The resources come from the built plugins (lib/), so run `npm run build` first.
//
//   node packages/cli/scripts/architecture-diagrams.mjs          rewrite the generated blocks of the doc
//   node packages/cli/scripts/architecture-diagrams.mjs --check  exit 1 when the doc differs from the code
//   … --doc FILE                                                  another copy of the doc (the test's)
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DEFAULT_DOC = path.join(ROOT, 'docs/architecture.md');
const CLI_DIR = path.join(ROOT, 'packages/cli');
export const REGENERATE = 'npm run build && node packages/cli/scripts/architecture-diagrams.mjs';

const readJson = async (file) => JSON.parse(await readFile(file, 'utf8'));
/** A Mermaid node id: letters, digits and underscores only. */
const nodeId = (name) => name.replace(/^@/, '').replace(/[^A-Za-z0-9]/g, '_');

/** The workspace packages (root package.json) and the example plugins, each with its folder. */
async function loadPackages() {
  const root = await readJson(path.join(ROOT, 'package.json'));
  const examples = (await readdir(path.join(ROOT, 'examples'), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => `examples/${entry.name}`)
    .sort();
  const folders = [...root.workspaces, ...examples];
  const packages = [];
  for (const folder of folders) {
    const file = path.join(ROOT, folder, 'package.json');
    const pjson = await readJson(file).catch(() => undefined);
    if (pjson) packages.push({ folder, pjson });
  }
  return packages;
}

/**
 * The floor a package stands on, read from what its package.json declares: the binary, the plugins (they answer
 * site:resources), the kit the plugins share (a site-plugin package without resources), and each other package
 * (the core, the simulator) on a floor of its own, named by its folder.
 */
function floorOf({ folder, pjson }) {
  if (pjson.oclif?.bin) return ['cli', 'cli'];
  if (pjson.oclif?.hooks?.['site:resources'])
    return folder.startsWith('examples/')
      ? ['examples', 'third-party plugins (examples)']
      : ['plugins', 'plugins'];
  if (pjson.keywords?.includes('site-plugin')) return ['kit', 'plugin kit'];
  const name = path.basename(folder);
  return [nodeId(name), name];
}

const FLOOR_ORDER = ['cli', 'plugins', 'examples', 'kit'];

/** Mermaid: packages grouped by floor; solid arrows are run-time dependencies, dotted ones dev / type-only / build order. */
export function packagesDiagram(packages) {
  const names = new Set(packages.map(({ pjson }) => pjson.name));
  const lines = ['flowchart TB'];
  const floors = new Map();
  for (const p of packages) {
    const [key, title] = floorOf(p);
    if (!floors.has(key)) floors.set(key, { title, members: [] });
    floors.get(key).members.push(p);
  }
  const rank = (key) => (FLOOR_ORDER.includes(key) ? FLOOR_ORDER.indexOf(key) : FLOOR_ORDER.length);
  const ordered = [...floors].sort(([a], [b]) => rank(a) - rank(b));
  for (const [floor, { title, members }] of ordered) {
    lines.push(`  subgraph ${floor}["${title}"]`);
    for (const { folder, pjson } of members)
      lines.push(`    ${nodeId(pjson.name)}["${pjson.name}<br/>${folder}"]`);
    lines.push('  end');
  }
  for (const { pjson } of packages) {
    const from = nodeId(pjson.name);
    const runtime = Object.keys({ ...pjson.dependencies, ...pjson.peerDependencies }).filter((d) =>
      names.has(d),
    );
    const dev = [...Object.keys(pjson.devDependencies ?? {}), ...(pjson.nx?.implicitDependencies ?? [])]
      .filter((d) => names.has(d) && !runtime.includes(d))
      .filter((d, index, all) => all.indexOf(d) === index);
    for (const dependency of runtime.sort()) lines.push(`  ${from} --> ${nodeId(dependency)}`);
    for (const dependency of dev.sort()) lines.push(`  ${from} -.-> ${nodeId(dependency)}`);
  }
  return lines.join('\n');
}

/**
 * Every built-in plugin's resources, as its site:resources hook returns them: the built-in plugins are the
 * workspace packages the CLI lists in oclif.plugins, in that order (the order site runs their hooks in).
 */
async function loadResources(packages) {
  const cli = await readJson(path.join(CLI_DIR, 'package.json'));
  const byName = new Map(packages.map((p) => [p.pjson.name, p]));
  const require = createRequire(path.join(CLI_DIR, 'package.json'));
  const core = await import(pathToFileURL(require.resolve('@site-cli/core')).href);
  const runtime = core.createPluginApi();
  const contributions = [];
  for (const name of cli.oclif.plugins) {
    const plugin = byName.get(name);
    const hookFile = plugin?.pjson.oclif?.hooks?.['site:resources'];
    if (!hookFile) continue;
    const hookPath = path.join(ROOT, plugin.folder, hookFile);
    const module = await import(pathToFileURL(hookPath).href).catch((error) => {
      throw new Error(
        `cannot load ${path.relative(ROOT, hookPath)} (${error.message}): run \`npm run build\` first`,
      );
    });
    const hook = module.default;
    // What site passes the hook, for a site with the default configuration: the graph drawn is that site's.
    const resources = await hook.call(
      {
        config: undefined,
        debug() {},
        log() {},
        warn() {},
        error(message) {
          throw new Error(String(message));
        },
      },
      { runtime, siteConfig: core.siteConfigSchema.parse({}) },
    );
    contributions.push({ plugin: { name, version: plugin.pjson.version }, resources: resources ?? [] });
  }
  // The core's own registry refuses duplicates, unknown dependencies and cycles, as site would.
  core.buildRegistry(contributions);
  return contributions;
}

/** Mermaid: one box per plugin, one node per resource; an arrow goes from a resource to what depends on it. */
export function resourcesDiagram(contributions) {
  const lines = ['flowchart LR'];
  const shape = { managed: ['["', '"]'], data: ['("', '")'], check: ['{{"', '"}}'] };
  for (const { plugin, resources } of contributions) {
    lines.push(`  subgraph ${nodeId(plugin.name)}["${plugin.name}"]`);
    for (const resource of resources) {
      const kind = resource.kind ?? 'managed';
      const [open, close] = shape[kind] ?? shape.managed;
      lines.push(`    ${nodeId(resource.id)}${open}${resource.id}<br/>${resource.title} · ${kind}${close}`);
    }
    lines.push('  end');
  }
  for (const { resources } of contributions)
    for (const resource of resources)
      for (const dependency of [...resource.dependsOn].sort())
        lines.push(`  ${nodeId(dependency)} --> ${nodeId(resource.id)}`);
  return lines.join('\n');
}

/** The generated blocks, by name. */
export async function generate() {
  const packages = await loadPackages();
  const contributions = await loadResources(packages);
  return {
    packages: packagesDiagram(packages),
    resources: resourcesDiagram(contributions),
  };
}

const begin = (name) => `<!-- generated:${name} by \`${REGENERATE}\`; do not edit -->`;
const end = (name) => `<!-- /generated:${name} -->`;

/** The doc with each generated block replaced; throws when a block's markers are missing. */
export function fillIn(doc, blocks) {
  let result = doc;
  for (const [name, diagram] of Object.entries(blocks)) {
    const start = result.indexOf(`<!-- generated:${name} `);
    const stop = result.indexOf(end(name));
    if (start === -1 || stop === -1 || stop < start)
      throw new Error(
        `the doc has no block "${name}": put \`${begin(name)}\` and \`${end(name)}\` where it goes.`,
      );
    result = `${result.slice(0, start)}${begin(name)}\n\n\`\`\`mermaid\n${diagram}\n\`\`\`\n\n${result.slice(stop)}`;
  }
  return result;
}

async function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const docFile = args.includes('--doc') ? path.resolve(args[args.indexOf('--doc') + 1]) : DEFAULT_DOC;
  const doc = await readFile(docFile, 'utf8');
  const wanted = fillIn(doc, await generate());
  if (wanted === doc) {
    if (!check) console.log(`${path.relative(ROOT, docFile)}: the diagrams match the code.`);
    return;
  }
  if (check) {
    console.error(
      `${path.relative(ROOT, docFile)}: a diagram differs from what the code draws now (a package, a dependency, a resource or a dependsOn changed).\nRegenerate it with \`${REGENERATE}\` and commit the result.`,
    );
    process.exitCode = 1;
    return;
  }
  await writeFile(docFile, wanted);
  console.log(`${path.relative(ROOT, docFile)}: diagrams regenerated.`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
