/** What @site-cli/core exports of the configuration; the rest of config/ is its inside. */
export * from './schema.js';
export * from './value-checks.js';
export * as limits from './limits.js';
export { CONFIG_SEARCH_PLACES, searchFolders } from './find.js';
export {
  CONFIG_ENV_VARIABLES,
  CONFIG_FLAG_NAMES,
  type ConfigSource,
  type LoadConfigFlags,
} from './layers.js';
export { nearestKey, showValue, type ConfigIssue } from './issues.js';
export { buildConfigSchema, type PluginConfigSection } from './schema-with-sections.js';
export * from './plugin-sections.js';
export * from './load.js';
export * from './json-schema.js';
export * from './init.js';
