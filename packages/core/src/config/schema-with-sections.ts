import type { z } from 'zod';
import { ExitCode, SiteError } from '../errors.js';
import { siteConfigSchema, siteConfigShape } from './schema.js';

/**
 * Site's schema with the plugins' own configuration sections: each section under its own top-level key,
 * optional (plugin-sections.ts collects them from the `site:config-schema` hook).
 */

/** A plugin's own configuration section, under its own top-level key (from the `site:config-schema` hook). */
export interface PluginConfigSection {
  key: string;
  schema: z.ZodType;
  /** The plugin's package name, for messages. */
  plugin: string;
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

/**
 * A section whose schema has defaults for everything is present even when the file leaves it out: fill
 * those in the parsed configuration.
 */
export function addSectionDefaults(
  config: Record<string, unknown>,
  pluginSections: readonly PluginConfigSection[],
): void {
  for (const section of pluginSections) {
    if (config[section.key] !== undefined) continue;
    const defaults = section.schema.safeParse({});
    if (defaults.success && defaults.data !== undefined) config[section.key] = defaults.data;
  }
}
