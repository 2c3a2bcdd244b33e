import path from 'node:path';
import { getPath, setPath, topKey } from './key-paths.js';

/**
 * The layers of the configuration, the later winning: schema defaults, the file, environment variables,
 * command-line flags. Environment variables and flags set whole top-level keys; every value remembers the
 * layer it came from, for messages and for `site config show`.
 */

export interface LoadConfigFlags {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  keyDir?: string;
  /** `site deploy --source DIR`: source.dir. */
  sourceDir?: string;
}

export type ConfigSource =
  | { kind: 'default' }
  | { kind: 'file'; file: string }
  | { kind: 'env'; name: string }
  | { kind: 'flag'; name: string };

/** Settings that environment variables provide, in order of preference. */
export const CONFIG_ENV_VARIABLES: Readonly<
  Record<Exclude<keyof LoadConfigFlags, 'sourceDir'> | 'name', readonly string[]>
> = {
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
  sourceDir: '--source',
};

/** Where a flag's value goes in the configuration, when not under its own name: --source DIR is source.dir. */
const FLAG_VALUE_PLACES: Partial<
  Record<keyof LoadConfigFlags, { key: string; wrap(value: string): unknown }>
> = {
  sourceDir: { key: 'source', wrap: (dir) => ({ dir }) },
};

/** Keys whose relative paths resolve against the config file's folder (or the current folder for env and flags). */
const PATH_KEYS = ['keyDir', 'instance.userDataFile', 'source.dir'];

export interface LayerInput {
  /** The configuration file (absolute), if one was read. */
  file?: string;
  /** The file as messages show it, or 'defaults' when there is none. */
  fileLabel: string;
  /** The file's settings ({} without a file). */
  fileContent: Record<string, unknown>;
  /** The file's folder, or the current folder when there is none. */
  dir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  flags?: LoadConfigFlags;
}

export interface ConfigLayers {
  /** The file's settings with the environment and then the flags laid over them: what the schema checks. */
  input: Record<string, unknown>;
  /** Where the value at a key path was set, as messages name it: the file, 'environment X' or 'flag --x'. */
  labelOf(keyPath: string): string;
  /** Where the resolved value at a leaf key path came from. */
  sourceOf(keyPath: string): ConfigSource;
  /**
   * Resolve the relative paths of the parsed configuration: keyDir defaults to the file's folder; a path
   * from the file starts at its folder, one from the environment or a flag at the current folder.
   */
  resolvePaths(config: Record<string, unknown>): void;
}

type Override = { kind: 'env'; name: string } | { kind: 'flag'; name: string };

export function layerConfig(layer: LayerInput): ConfigLayers {
  const input: Record<string, unknown> = structuredClone(layer.fileContent);
  const overrides = new Map<string, Override>();
  for (const [key, names] of Object.entries(CONFIG_ENV_VARIABLES)) {
    const name = names.find((n) => layer.env[n] !== undefined && layer.env[n] !== '');
    if (name === undefined) continue;
    input[key] = layer.env[name];
    overrides.set(key, { kind: 'env', name });
  }
  for (const [key, flag] of Object.entries(CONFIG_FLAG_NAMES)) {
    const value = layer.flags?.[key as keyof LoadConfigFlags];
    if (value === undefined) continue;
    const place = FLAG_VALUE_PLACES[key as keyof LoadConfigFlags];
    input[place?.key ?? key] = place ? place.wrap(value) : value;
    overrides.set(place?.key ?? key, { kind: 'flag', name: flag });
  }
  const overrideOf = (keyPath: string) => overrides.get(topKey(keyPath));

  return {
    input,
    labelOf(keyPath) {
      const override = overrideOf(keyPath);
      if (override) return override.kind === 'env' ? `environment ${override.name}` : `flag ${override.name}`;
      return layer.fileLabel;
    },
    sourceOf(keyPath) {
      const override = overrideOf(keyPath);
      if (override) return override;
      if (layer.file && getPath(layer.fileContent, keyPath) !== undefined)
        return { kind: 'file', file: layer.file };
      return { kind: 'default' };
    },
    resolvePaths(config) {
      if (config.keyDir === undefined) config.keyDir = layer.dir;
      for (const keyPath of PATH_KEYS) {
        const value = getPath(config, keyPath);
        if (typeof value !== 'string') continue;
        const base = overrideOf(keyPath) ? layer.cwd : layer.dir;
        setPath(config, keyPath, path.resolve(base, value));
      }
    },
  };
}
