import { stat } from 'node:fs/promises';
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExitCode, SiteError } from '../errors.js';
import { displayPath } from './display-path.js';
import { jsonLoader, yamlLoader } from './parse.js';
import { runLoader, unreadableError } from './run-loader.js';

/**
 * Finding and reading the configuration file: exactly the --config file, or the one cosmiconfig finds from
 * the current folder up. Two in one folder, a --config that is missing, a folder or a device, and a
 * package.json without a "site" key are refused with a SiteError (exit 2) before anything is read.
 */

/** Where cosmiconfig looks, in each folder from the current one up. */
export const CONFIG_SEARCH_PLACES = [
  'site.config.ts',
  'site.config.mjs',
  'site.config.cjs',
  'site.config.js',
  'site.config.json',
  'site.config.yaml',
  'site.config.yml',
  '.siterc',
  '.siterc.json',
  '.siterc.yaml',
  '.siterc.yml',
  '.siterc.js',
  'package.json',
];

export interface FoundConfigFile {
  /** Absolute. */
  file: string;
  /** What the file holds; undefined when it is empty. */
  content: unknown;
}

/** Read the file cosmiconfig finds (or exactly `configPath`); undefined when there is none. cosmiconfig and yaml load only here. */
export async function findConfigFile(
  cwd: string,
  configPath: string | undefined,
): Promise<FoundConfigFile | undefined> {
  const { cosmiconfig } = await import('cosmiconfig');
  const explorer = cosmiconfig('site', {
    searchPlaces: CONFIG_SEARCH_PLACES,
    searchStrategy: 'none',
    ignoreEmptySearchPlaces: false,
    cache: false,
    loaders: {
      '.json': jsonLoader,
      '.yaml': yamlLoader,
      '.yml': yamlLoader,
      noExt: yamlLoader,
      default: yamlLoader,
    },
  });

  if (configPath !== undefined) {
    const file = path.resolve(cwd, configPath);
    await assertReadable(file, configPath);
    const result = await runLoader(file, cwd, () => explorer.load(file), configPath);
    if (result === null) {
      throw new SiteError({
        code: 'CONFIG_NOT_FOUND',
        message: `${configPath} has no "site" key: there is no site configuration in it.`,
        suggestions: ['Add a "site" object to package.json, or point --config at a site.config.yaml.'],
        exitCode: ExitCode.usage,
        details: { file },
      });
    }
    return { file: result.filepath, content: result.isEmpty ? undefined : result.config };
  }

  for (const dir of searchFolders(cwd)) {
    assertOneConfigFile(dir, cwd);
    const result = await runLoader(dir, cwd, () => explorer.search(dir));
    if (result) return { file: result.filepath, content: result.isEmpty ? undefined : result.config };
  }
  return undefined;
}

/** cwd, then each parent, up to and including the home folder or the root of a git checkout. */
export function searchFolders(cwd: string): string[] {
  const home = path.resolve(os.homedir());
  const folders: string[] = [];
  let dir = path.resolve(cwd);
  for (;;) {
    folders.push(dir);
    const parent = path.dirname(dir);
    if (dir === home || parent === dir || existsSync(path.join(dir, '.git'))) return folders;
    dir = parent;
  }
}

/**
 * Two configuration files in one folder: cosmiconfig would read the first of CONFIG_SEARCH_PLACES and ignore the
 * other without a word, so say which and stop.
 */
function assertOneConfigFile(dir: string, cwd: string): void {
  const found = CONFIG_SEARCH_PLACES.filter((place) => {
    const file = path.join(dir, place);
    try {
      if (!statSync(file).isFile()) return false;
      if (place !== 'package.json') return true;
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      return manifest.site !== undefined;
    } catch {
      return false;
    }
  });
  if (found.length < 2) return;
  const shown = found.map(
    (place) => displayPath(path.join(dir, place), cwd) + (place === 'package.json' ? ' ("site" key)' : ''),
  );
  throw new SiteError({
    code: 'CONFIG_AMBIGUOUS',
    message: `Found ${found.length} site configurations in ${displayPath(dir, cwd) || '.'}: ${shown.join(', ')}. site reads one, and would ignore the others without a word.`,
    suggestions: [
      `Keep one of them (merge the other into it), or choose with --config, e.g. --config ${shown[0]!.replace(/ \("site" key\)$/, '')}.`,
    ],
    exitCode: ExitCode.usage,
    details: { files: found.map((place) => path.join(dir, place)) },
  });
}

/** The --config file exists and is a regular file; `shown` is the path as the user wrote it. */
async function assertReadable(file: string, shown: string): Promise<void> {
  try {
    const stats = await stat(file);
    if (!stats.isDirectory() && !stats.isFile()) {
      // /dev/null, a FIFO or a socket: it would read as "no settings" and deploy the defaults.
      const kind = stats.isCharacterDevice()
        ? 'a character device'
        : stats.isBlockDevice()
          ? 'a block device'
          : stats.isFIFO()
            ? 'a named pipe'
            : stats.isSocket()
              ? 'a socket'
              : 'not a regular file';
      throw new SiteError({
        code: 'CONFIG_UNREADABLE',
        message: `Cannot use ${shown} as the configuration: it is ${kind}, not a regular file.`,
        suggestions: [
          'Point --config at a site.config.yaml (or .json, .js, .ts), or leave --config out to use the defaults.',
        ],
        exitCode: ExitCode.usage,
        details: { file },
      });
    }
    if (stats.isDirectory()) {
      throw new SiteError({
        code: 'CONFIG_UNREADABLE',
        message: `Cannot read the configuration ${shown}: it is a folder.`,
        suggestions: [`Point --config at a file, e.g. ${path.join(shown, 'site.config.yaml')}.`],
        exitCode: ExitCode.usage,
        details: { file },
      });
    }
  } catch (error) {
    if (error instanceof SiteError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new SiteError({
        code: 'CONFIG_NOT_FOUND',
        message: `The configuration file ${shown} does not exist (looked at ${file}).`,
        suggestions: ['Check the --config path, or run `site config init` to create a site.config.yaml.'],
        exitCode: ExitCode.usage,
        details: { file },
      });
    }
    throw unreadableError(file, shown, error);
  }
}
