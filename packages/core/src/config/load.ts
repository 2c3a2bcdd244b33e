import { readFile, stat } from 'node:fs/promises';
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { ExitCode, SiteError } from '../errors.js';
import { siteConfigSchema, siteConfigShape, type SiteConfig } from './schema.js';
import { ConfigSyntaxProblem, jsonLoader, yamlLoader } from './parse.js';
import { USER_DATA_HEADERS, USER_DATA_MAX_BYTES } from './limits.js';

/**
 * Find, read, merge and validate the site configuration.
 * Precedence: flags > environment > config file > schema defaults. Every value remembers where it came from.
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

/** A plugin's own configuration section, under its own top-level key (from the `site:config-schema` hook). */
export interface PluginConfigSection {
  key: string;
  schema: z.ZodType;
  /** The plugin's package name, for messages. */
  plugin: string;
}

export interface LoadConfigFlags {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  keyDir?: string;
}

export interface LoadConfigOptions {
  /** Where the search starts; default process.cwd(). */
  cwd?: string;
  /** Exactly this file (--config), no search. */
  configPath?: string;
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  flags?: LoadConfigFlags;
  pluginSections?: PluginConfigSection[];
}

export type ConfigSource =
  | { kind: 'default' }
  | { kind: 'file'; file: string }
  | { kind: 'env'; name: string }
  | { kind: 'flag'; name: string };

export interface LoadedConfig {
  config: SiteConfig;
  /** The configuration file that was read (absolute), if any. */
  file?: string;
  /** The configuration file's folder, or the current folder when there is none. Relative paths in the file start here. */
  dir: string;
  /** Where every leaf value came from, by dotted key path ('instance.type'). */
  sources: Record<string, ConfigSource>;
}

/** One problem with one value. */
export interface ConfigIssue {
  /** Where the value came from: the file as shown to the user, 'environment AWS_REGION' or 'flag --region'. */
  file: string;
  /** Dotted key path, e.g. 'instance.type'; '' for the whole file. */
  path: string;
  /** The value found (undefined when missing). */
  value: unknown;
  /** What was expected, in words. */
  expected: string;
  /** The whole line: `<file>: <path>: found <value>, expected <expected>`. */
  message: string;
  /** 1-based, for syntax errors. */
  line?: number;
  column?: number;
}

export interface ConfigValidation {
  ok: boolean;
  /** The file that was checked (absolute), if one was found. */
  file?: string;
  issues: ConfigIssue[];
  /** One line each: what to try. */
  suggestions: string[];
}

/** Settings that environment variables provide, in order of preference. */
export const CONFIG_ENV_VARIABLES: Readonly<Record<keyof LoadConfigFlags | 'name', readonly string[]>> = {
  region: ['AWS_REGION', 'AWS_DEFAULT_REGION'],
  profile: ['AWS_PROFILE'],
  endpointUrl: ['AWS_ENDPOINT_URL'],
  name: ['SITE_NAME'],
  keyDir: ['SITE_KEY_DIR'],
};

/** The command-line flag of each setting flags can override. */
export const CONFIG_FLAG_NAMES: Readonly<Record<keyof LoadConfigFlags, string>> = {
  region: '--region',
  profile: '--profile',
  endpointUrl: '--endpoint-url',
  keyDir: '--key-dir',
};

/** Keys whose relative paths resolve against the config file's folder (or the current folder for env and flags). */
const PATH_KEYS = ['keyDir', 'instance.userDataFile'];

/** Load and validate; throws SiteError CONFIG_NOT_FOUND / CONFIG_UNREADABLE / CONFIG_SYNTAX / CONFIG_INVALID (all exit 2). */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const resolved = await resolveConfig(options);
  if (resolved.issues.length > 0)
    throw configInvalidError(resolved.file, resolved.issues, resolved.suggestions);
  return resolved.loaded!;
}

/**
 * Check the configuration without throwing on bad content: syntax errors and invalid values come back as issues.
 * A missing or unreadable --config file still throws (there is nothing to validate).
 */
export async function validateConfigFile(options: LoadConfigOptions = {}): Promise<ConfigValidation> {
  try {
    const { file, issues, suggestions } = await resolveConfig(options);
    return { ok: issues.length === 0, file, issues, suggestions };
  } catch (error) {
    if (error instanceof SiteError && error.code === 'CONFIG_SYNTAX') {
      const details = error.details as { file: string; issue: ConfigIssue };
      return { ok: false, file: details.file, issues: [details.issue], suggestions: error.suggestions };
    }
    throw error;
  }
}

/** The configuration schema with the plugins' sections as extra optional top-level keys. */
export function buildConfigSchema(pluginSections: readonly PluginConfigSection[] = []): z.ZodType {
  if (pluginSections.length === 0) return siteConfigSchema;
  const extra: Record<string, z.ZodType> = {};
  for (const section of pluginSections) {
    const owner =
      section.key in siteConfigShape
        ? 'site itself'
        : pluginSections.find((s) => s !== section && s.key === section.key)?.plugin;
    if (owner !== undefined || !/^[A-Za-z][\w-]*$/.test(section.key)) {
      throw new SiteError({
        code: 'PLUGIN_CONFIG_CONFLICT',
        message:
          owner === undefined
            ? `The plugin ${section.plugin} asks for the configuration key "${section.key}", which is not a valid key name.`
            : `The plugin ${section.plugin} asks for the configuration key "${section.key}", which ${owner} already uses.`,
        suggestions: [
          `Update or uninstall ${section.plugin} (\`site plugins uninstall ${section.plugin}\`).`,
        ],
        exitCode: ExitCode.failure,
        details: { plugin: section.plugin, key: section.key },
      });
    }
    extra[section.key] = section.schema.optional();
  }
  return siteConfigSchema.extend(extra);
}

// ---------------------------------------------------------------------------------------------

interface Resolved {
  file?: string;
  issues: ConfigIssue[];
  suggestions: string[];
  loaded?: LoadedConfig;
}

type Layer = { kind: 'env'; name: string } | { kind: 'flag'; name: string };

async function resolveConfig(options: LoadConfigOptions): Promise<Resolved> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const pluginSections = options.pluginSections ?? [];
  const found = await readConfigFile(cwd, options.configPath);
  const file = found?.file;
  const dir = file ? path.dirname(file) : cwd;
  const fileLabel = file ? displayPath(file, cwd) : 'defaults';

  const issues: ConfigIssue[] = [];
  let fileContent: Record<string, unknown> = {};
  if (found && found.content !== undefined && found.content !== null) {
    if (isPlainObject(found.content)) fileContent = found.content;
    else
      issues.push(makeIssue(fileLabel, '', found.content, 'a mapping of settings such as `name: my-site`'));
  }

  // Overlay environment, then flags: the later wins.
  const input: Record<string, unknown> = structuredClone(fileContent);
  const overrides = new Map<string, Layer>();
  for (const [key, names] of Object.entries(CONFIG_ENV_VARIABLES)) {
    const name = names.find((n) => env[n] !== undefined && env[n] !== '');
    if (name === undefined) continue;
    input[key] = env[name];
    overrides.set(key, { kind: 'env', name });
  }
  for (const [key, flag] of Object.entries(CONFIG_FLAG_NAMES)) {
    const value = options.flags?.[key as keyof LoadConfigFlags];
    if (value === undefined) continue;
    input[key] = value;
    overrides.set(key, { kind: 'flag', name: flag });
  }
  const labelFor = (keyPath: string) => {
    const layer = overrides.get(keyPath.split('.')[0]);
    if (layer) return layer.kind === 'env' ? `environment ${layer.name}` : `flag ${layer.name}`;
    return fileLabel;
  };

  const schema = buildConfigSchema(pluginSections);
  const result =
    issues.length > 0 ? undefined : schema.safeParse(input, { error: expectedMessage, reportInput: true });
  const suggestions: string[] = [];
  if (result && !result.success) {
    for (const zodIssue of result.error.issues) {
      for (const issue of toConfigIssues(zodIssue, input, labelFor)) {
        issues.push(issue.issue);
        if (issue.suggestion) suggestions.push(issue.suggestion);
      }
    }
  }
  if (input.template !== undefined && input.source !== undefined) {
    // The user data serves source and ignores template: one of them was written for nothing.
    issues.push(
      makeIssue(
        labelFor('source'),
        'source',
        input.source,
        'either template or source, not both (source would be served and template ignored): remove one of them',
      ),
    );
    suggestions.push('Keep `template` to serve a Tooplate template, or `source` to serve your own zip.');
  }
  if (issues.length > 0 || !result?.success) {
    const pluginHint = unknownKeyHint(issues, pluginSections);
    return { file, issues: mergeIssues(issues), suggestions: [...new Set([...suggestions, ...pluginHint])] };
  }

  const config = result.data as Record<string, unknown>;
  for (const section of pluginSections) {
    // A plugin section whose schema has defaults for everything is present even when the file leaves it out.
    if (config[section.key] !== undefined) continue;
    const defaults = section.schema.safeParse({});
    if (defaults.success && defaults.data !== undefined) config[section.key] = defaults.data;
  }
  if (config.keyDir === undefined) config.keyDir = dir;
  for (const keyPath of PATH_KEYS) {
    const value = getPath(config, keyPath);
    if (typeof value !== 'string') continue;
    const base = overrides.has(keyPath.split('.')[0]) ? cwd : dir;
    setPath(config, keyPath, path.resolve(base, value));
  }

  const userDataIssue = await checkUserDataFile(config, labelFor('instance.userDataFile'), input);
  if (userDataIssue) return { file, issues: [userDataIssue], suggestions: [] };

  const sources: Record<string, ConfigSource> = {};
  for (const leaf of leafPaths(config)) {
    const layer = overrides.get(leaf.split('.')[0]);
    if (layer) sources[leaf] = layer;
    else if (file && getPath(fileContent, leaf) !== undefined) sources[leaf] = { kind: 'file', file };
    else sources[leaf] = { kind: 'default' };
  }
  return { file, issues: [], suggestions: [], loaded: { config: config as SiteConfig, file, dir, sources } };
}

/** Read the file cosmiconfig finds (or exactly `configPath`). cosmiconfig and yaml load only here. */
async function readConfigFile(
  cwd: string,
  configPath: string | undefined,
): Promise<{ file: string; content: unknown } | undefined> {
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
    const result = await guardLoad(file, cwd, () => explorer.load(file), configPath);
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
    const result = await guardLoad(dir, cwd, () => explorer.search(dir));
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
    throw unreadable(file, shown, error);
  }
}

/** Syntax errors become CONFIG_SYNTAX, anything else CONFIG_UNREADABLE, naming the file. */
async function guardLoad<T>(where: string, cwd: string, load: () => Promise<T>, shown?: string): Promise<T> {
  try {
    return await stdoutToStderr(load);
  } catch (error) {
    if (error instanceof SiteError) throw error;
    const file = (error as { filepath?: string }).filepath ?? where;
    if (error instanceof ConfigSyntaxProblem) throw await syntaxError(error, cwd);
    if (error instanceof SyntaxError) {
      throw await syntaxError(
        new ConfigSyntaxProblem(file, cleanLoaderMessage(error.message), 'JavaScript'),
        cwd,
      );
    }
    throw unreadable(file, shown ?? displayPath(file, cwd), error);
  }
}

/**
 * A .js / .ts configuration runs when it is read, and what it prints must not reach stdout, which belongs to
 * the command (one --json document): while it loads, stdout writes go to stderr.
 */
async function stdoutToStderr<T>(load: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    return await load();
  } finally {
    process.stdout.write = write;
  }
}

/**
 * instance.userDataFile as EC2 and the instance take it: at most 16 KB before base64, UTF-8 text (it is sent
 * as such), in a format cloud-init runs, and a #! line without a carriage return. Undefined when fine.
 */
async function checkUserDataFile(
  config: Record<string, unknown>,
  label: string,
  input: Record<string, unknown>,
): Promise<ConfigIssue | undefined> {
  const file = getPath(config, 'instance.userDataFile');
  if (typeof file !== 'string') return undefined;
  const written = getPath(input, 'instance.userDataFile');
  const problem = (expected: string) => makeIssue(label, 'instance.userDataFile', written, expected);
  let bytes: Buffer;
  try {
    if (!(await stat(file)).isFile()) return problem(`a regular file (${file} is not one)`);
    bytes = await readFile(file);
  } catch (error) {
    return problem(`a readable file (${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  if (bytes.length === 0) return problem(`a script or cloud-config (${file} is empty)`);
  if (bytes.length > USER_DATA_MAX_BYTES)
    return problem(
      `at most ${USER_DATA_MAX_BYTES} bytes, EC2's limit on user data before base64 (${file} has ${bytes.length}): ` +
        'move the bulk into a file the script downloads',
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = '\u0000';
  }
  if (text.includes('\u0000'))
    return problem(
      `UTF-8 text (${file} is binary or another encoding; gzip or other binary user data is not supported)`,
    );
  const body = text;
  if (!USER_DATA_HEADERS.some((header) => body.startsWith(header)))
    return problem(
      `a file cloud-init runs: its first line must start with #! (a script) or #cloud-config, #include, ` +
        `#cloud-boothook, #part-handler, ## template: jinja, or be a MIME multi-part archive (${file} starts with ${showValue(body.split('\n')[0], 40)}, which cloud-init ignores)`,
    );
  if (text.startsWith('#!') && /^[^\n]*\r/.test(text))
    return problem(
      `a script with Unix line endings (${file} has Windows CRLF line endings: "#!…\\r" names no interpreter): convert it with dos2unix`,
    );
  return undefined;
}

async function syntaxError(problem: ConfigSyntaxProblem, cwd: string): Promise<SiteError> {
  const shown = displayPath(problem.file, cwd);
  const at = problem.line === undefined ? '' : `:${problem.line}:${problem.column ?? 1}`;
  const message = `${shown}${at}: ${problem.language} syntax error: ${problem.reason}`;
  let sourceLine: string | undefined;
  if (problem.line !== undefined) {
    const text = await readFile(problem.file, 'utf8').catch(() => '');
    sourceLine = text.split(/\r?\n/)[problem.line - 1];
  }
  const issue: ConfigIssue = {
    file: shown,
    path: '',
    value: sourceLine,
    expected: `valid ${problem.language}`,
    message,
    line: problem.line,
    column: problem.column,
  };
  return new SiteError({
    code: 'CONFIG_SYNTAX',
    message,
    suggestions: [
      problem.line === undefined
        ? `Fix the ${problem.language} in ${shown}.`
        : `Fix line ${problem.line}, column ${problem.column ?? 1} of ${shown}` +
          (problem.language === 'YAML'
            ? ' (indent with spaces; quote values that contain ": " or start with special characters).'
            : '.'),
    ],
    exitCode: ExitCode.usage,
    details: { file: problem.file, line: problem.line, column: problem.column, issue },
    cause: problem,
  });
}

function unreadable(file: string, shown: string, error: unknown): SiteError {
  const reason = cleanLoaderMessage(error instanceof Error ? error.message : String(error));
  return new SiteError({
    code: 'CONFIG_UNREADABLE',
    message: `Cannot read the configuration ${shown}: ${reason}`,
    suggestions:
      file.endsWith('.ts') && /typescript/i.test(reason)
        ? [
            'A site.config.ts needs the typescript package: `npm install --save-dev typescript`, or use site.config.yaml.',
          ]
        : ['Check that the file exists, is readable, and (for .js/.ts) runs on its own with node.'],
    exitCode: ExitCode.usage,
    details: { file },
    cause: error,
  });
}

function cleanLoaderMessage(message: string): string {
  return message.replace(/^(?:JSON|YAML|TypeScript) Error in [^\n]*:\n/, '').split('\n')[0];
}

// ---------------------------------------------------------------------------------------------
// Issues

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  null: 'null',
};

/** zod error map: every message says what was expected, in words (schema-level messages win over this). */
function expectedMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      const hint = schemaHint(issue.inst);
      return hint ? `${expected} (${hint})` : expected;
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const word =
        issue.code === 'too_small'
          ? issue.inclusive
            ? 'at least'
            : 'more than'
          : issue.inclusive
            ? 'at most'
            : 'less than';
      if (issue.origin === 'string') return `${word} ${String(bound)} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${word} ${String(bound)} items`;
      return `a number ${word} ${String(bound)}`;
    }
    case 'invalid_format':
      return issue.format === 'url' ? 'a URL such as https://example.com' : `a ${issue.format}`;
    case 'invalid_value':
      return `one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `one of: ${objectKeys(issue.inst).join(', ')}`;
    case 'invalid_key':
      return 'a valid key';
    case 'invalid_union':
      return schemaHint(issue.inst) ?? 'a value of another form';
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    default:
      return undefined;
  }
}

type SchemaLike = { _zod?: { def?: Record<string, unknown> }; description?: string };

/** A short phrase for what a schema accepts: its first custom check message, else its description. */
function schemaHint(inst: unknown): string | undefined {
  const schema = inst as SchemaLike | undefined;
  const checks = (schema?._zod?.def?.checks ?? []) as { _zod?: { def?: { error?: unknown } } }[];
  for (const check of checks) {
    const error = check._zod?.def?.error;
    if (typeof error === 'function') {
      try {
        const message = (error as (issue: unknown) => unknown)({});
        if (typeof message === 'string' && message) return message;
      } catch {
        // a message function that needs a real issue: no hint from it
      }
    }
  }
  return schema?.description
    ? schema.description.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase())
    : undefined;
}

function objectKeys(inst: unknown): string[] {
  const shape = (inst as SchemaLike | undefined)?._zod?.def?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape).filter((k) => k !== '$schema') : [];
}

function toConfigIssues(
  issue: z.core.$ZodIssue,
  input: Record<string, unknown>,
  labelFor: (keyPath: string) => string,
): { issue: ConfigIssue; suggestion?: string }[] {
  const base = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const known = issue.message.startsWith('one of: ')
      ? issue.message.slice('one of: '.length).split(', ')
      : [];
    return issue.keys.map((key) => {
      const keyPath = [...base, key].join('.');
      const nearest = nearestKey(key, known);
      const where = base.length > 0 ? ` under ${base.join('.')}` : '';
      return {
        issue: makeIssue(labelFor(keyPath), keyPath, getPath(input, keyPath), issue.message),
        suggestion: nearest
          ? `Did you mean "${[...base, nearest].join('.')}" instead of "${keyPath}"?`
          : `Remove "${keyPath}": the keys${where} are ${known.join(', ')}.`,
      };
    });
  }
  const keyPath = base.join('.');
  if (issue.code === 'invalid_key') {
    // The key itself is wrong: show the key, and what a key must be.
    const expected = issue.issues.map((inner) => inner.message).join(' and ') || issue.message;
    return [{ issue: makeIssue(labelFor(keyPath), keyPath, base.at(-1), expected) }];
  }
  const value = 'input' in issue ? issue.input : getPath(input, keyPath);
  return [{ issue: makeIssue(labelFor(keyPath), keyPath, value, issue.message) }];
}

function makeIssue(file: string, keyPath: string, value: unknown, expected: string): ConfigIssue {
  const where = keyPath === '' ? '(top level)' : keyPath;
  return {
    file,
    path: keyPath,
    value,
    expected,
    message: `${file}: ${where}: found ${showValue(value)}, expected ${expected}`,
  };
}

/** Issues about the same value become one, expecting all of what was expected. */
function mergeIssues(issues: ConfigIssue[]): ConfigIssue[] {
  const merged = new Map<string, ConfigIssue>();
  for (const issue of issues) {
    const id = `${issue.file}\u0000${issue.path}`;
    const seen = merged.get(id);
    if (!seen) merged.set(id, issue);
    else if (!seen.expected.split(' and ').includes(issue.expected)) {
      merged.set(
        id,
        makeIssue(issue.file, issue.path, issue.value, `${seen.expected} and ${issue.expected}`),
      );
    }
  }
  return [...merged.values()];
}

function unknownKeyHint(issues: ConfigIssue[], pluginSections: readonly PluginConfigSection[]): string[] {
  const known = [...Object.keys(siteConfigShape), ...pluginSections.map((section) => section.key)];
  const strangers = issues.filter(
    (issue) => issue.expected.startsWith('one of: ') && issue.path !== '' && !issue.path.includes('.'),
  );
  return strangers.some((issue) => nearestKey(issue.path, known) === undefined)
    ? ["A plugin's own section is known only while the plugin is installed: check `site plugins`."]
    : [];
}

/** JSON of the value, clipped: what the user wrote. */
export function showValue(value: unknown, max = 60): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The closest key by edit distance, if it is close enough to be a typo. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

function configInvalidError(
  file: string | undefined,
  issues: ConfigIssue[],
  suggestions: string[],
): SiteError {
  const count = issues.length === 1 ? 'a problem' : `${issues.length} problems`;
  return new SiteError({
    code: 'CONFIG_INVALID',
    message: `The site configuration has ${count}:\n${issues.map((issue) => `  ${issue.message}`).join('\n')}`,
    suggestions: [...suggestions, 'Fix these and check with `site config validate`.'],
    exitCode: ExitCode.usage,
    details: {
      file,
      issues: issues.map(({ file, path, value, expected, message }) => ({
        file,
        path,
        value,
        expected,
        message,
      })),
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function getPath(value: unknown, keyPath: string): unknown {
  if (keyPath === '') return value;
  let current = value;
  for (const key of keyPath.split('.')) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

function setPath(target: Record<string, unknown>, keyPath: string, value: unknown): void {
  const keys = keyPath.split('.');
  let current = target;
  for (const key of keys.slice(0, -1)) {
    if (!isPlainObject(current[key])) return;
    current = current[key] as Record<string, unknown>;
  }
  current[keys.at(-1)!] = value;
}

/** Dotted paths of every leaf: scalars, lists and empty mappings. */
function leafPaths(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, child]) => {
    const keyPath = prefix ? `${prefix}.${key}` : key;
    return isPlainObject(child) && Object.keys(child).length > 0
      ? leafPaths(child, keyPath)
      : child === undefined
        ? []
        : [keyPath];
  });
}
