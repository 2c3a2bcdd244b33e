import type { Config } from '@oclif/core';
import { runSiteHook } from '../hooks/run.js';
import type { PluginApi } from '../plugin-api.js';
import type { PluginConfigSection } from './schema-with-sections.js';

/** Every installed plugin's own configuration section, from the `site:config-schema` hook. */
export async function collectConfigSections(
  config: Config,
  runtime: PluginApi,
): Promise<PluginConfigSection[]> {
  const answers = await runSiteHook(config, 'site:config-schema', { runtime });
  return answers.flatMap(({ plugin, result }) =>
    result ? [{ key: result.key, schema: result.schema, plugin: plugin.name }] : [],
  );
}
