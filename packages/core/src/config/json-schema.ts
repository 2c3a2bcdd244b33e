import { z } from 'zod';
import { buildConfigSchema, type PluginConfigSection } from './schema-with-sections.js';
import { USER_TAGS_MAX } from '../tags.js';

/** Where the published JSON Schema lives inside @site-cli/core (written at build time by scripts/write-schema.mjs). */
export const CONFIG_JSON_SCHEMA_FILE = 'schema/site.schema.json';

/**
 * The JSON Schema of site.config.* for editors (yaml-language-server, VS Code): the input side of the
 * zod schema, so every key is optional and defaults are shown. Plugin sections are added when given.
 */
export function configJsonSchema(
  pluginSections: readonly PluginConfigSection[] = [],
): Record<string, unknown> {
  const schema = buildConfigSchema(pluginSections);
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  // What zod's refinements check and JSON Schema can say too: editors flag it, and the bad-input suite's edge
  // generator walks it.
  const properties = json.properties as Record<string, Record<string, unknown>>;
  properties.tags = { ...properties.tags, maxProperties: USER_TAGS_MAX };
  json.not = { required: ['template', 'source'] };
  // source is a zip URL or a folder, never both (and never neither).
  properties.source = { ...properties.source, not: { required: ['url', 'dir'] }, minProperties: 1 };
  // Fixed instances or a group, and one target-tracking policy (zod refuses count > 1 beside scaling; an
  // editor flags any count beside it).
  const instance = properties.instance as { properties: Record<string, Record<string, unknown>> } & Record<
    string,
    unknown
  >;
  instance.not = { required: ['count', 'scaling'] };
  instance.properties.scaling = {
    ...instance.properties.scaling,
    not: { required: ['cpuTarget', 'requestsPerTarget'] },
  };
  return {
    $schema: json.$schema,
    title: 'site configuration',
    description:
      'site.config.yaml: how `site` puts a website on AWS. Every key is optional. Precedence: flags > environment > this file > defaults.',
    ...json,
  };
}
