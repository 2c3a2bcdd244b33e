import path from 'node:path';
import { SiteError } from '../errors.js';
import { templateAndSourceIssue, userDataFileIssue } from './beyond-schema.js';
import { displayPath } from './display-path.js';
import { findConfigFile } from './find.js';
import {
  configInvalidError,
  fromZodIssue,
  makeIssue,
  mergeIssues,
  unknownKeyHint,
  type ConfigIssue,
  type SuggestedIssue,
} from './issues.js';
import { isPlainObject, leafPaths } from './key-paths.js';
import { layerConfig, type ConfigSource, type LoadConfigFlags } from './layers.js';
import { addSectionDefaults, buildConfigSchema, type PluginConfigSection } from './schema-with-sections.js';
import type { SiteConfig } from './schema.js';
import { expectedMessage } from './zod-error-map.js';

/**
 * Load the site configuration: find the file (find.ts), lay the environment and flags over it (layers.ts),
 * validate it against the schema with the plugins' sections (plugin-sections.ts) and what the schema cannot
 * check (beyond-schema.ts), and report every problem at once (issues.ts).
 * Precedence: flags > environment > config file > schema defaults. Every value remembers where it came from.
 */

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

export interface LoadedConfig {
  config: SiteConfig;
  /** The configuration file that was read (absolute), if any. */
  file?: string;
  /** The configuration file's folder, or the current folder when there is none. Relative paths in the file start here. */
  dir: string;
  /** Where every leaf value came from, by dotted key path ('instance.type'). */
  sources: Record<string, ConfigSource>;
}

export interface ConfigValidation {
  ok: boolean;
  /** The file that was checked (absolute), if one was found. */
  file?: string;
  issues: ConfigIssue[];
  /** One line each: what to try. */
  suggestions: string[];
}

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

interface Resolved {
  file?: string;
  issues: ConfigIssue[];
  suggestions: string[];
  loaded?: LoadedConfig;
}

async function resolveConfig(options: LoadConfigOptions): Promise<Resolved> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const pluginSections = options.pluginSections ?? [];
  const found = await findConfigFile(cwd, options.configPath);
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
  const layers = layerConfig({
    file,
    fileLabel,
    fileContent,
    dir,
    cwd,
    env: options.env ?? process.env,
    flags: options.flags,
  });
  const { input } = layers;

  const schema = buildConfigSchema(pluginSections);
  const result =
    issues.length > 0 ? undefined : schema.safeParse(input, { error: expectedMessage, reportInput: true });
  const suggested: SuggestedIssue[] = [];
  if (result && !result.success) {
    for (const zodIssue of result.error.issues)
      suggested.push(...fromZodIssue(zodIssue, input, layers.labelOf));
  }
  const conflict = templateAndSourceIssue(input, layers.labelOf);
  if (conflict) suggested.push(conflict);
  issues.push(...suggested.map(({ issue }) => issue));
  if (issues.length > 0 || !result?.success) {
    const suggestions = suggested.flatMap(({ suggestion }) => (suggestion ? [suggestion] : []));
    const pluginHint = unknownKeyHint(issues, pluginSections);
    return { file, issues: mergeIssues(issues), suggestions: [...new Set([...suggestions, ...pluginHint])] };
  }

  const config = result.data as Record<string, unknown>;
  addSectionDefaults(config, pluginSections);
  layers.resolvePaths(config);
  const userDataIssue = await userDataFileIssue(config, layers.labelOf('instance.userDataFile'), input);
  if (userDataIssue) return { file, issues: [userDataIssue], suggestions: [] };

  const sources = Object.fromEntries(leafPaths(config).map((leaf) => [leaf, layers.sourceOf(leaf)]));
  return { file, issues: [], suggestions: [], loaded: { config: config as SiteConfig, file, dir, sources } };
}
