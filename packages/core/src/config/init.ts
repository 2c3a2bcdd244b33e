import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { siteConfigSchema, type SiteConfigInput } from './schema.js';
import { CONFIG_JSON_SCHEMA_FILE } from './json-schema.js';

/** The file `site config init` writes. */
export const CONFIG_INIT_FILE = 'site.config.yaml';

export interface RenderConfigOptions {
  /** Path or URL of site.schema.json for the yaml-language-server line (default: {@link configSchemaReference} of the cwd). */
  schema?: string;
}

/** Example values shown (commented out) for optional keys that have no default. */
const EXAMPLES: Record<string, unknown> = {
  profile: 'default',
  endpointUrl: 'http://localhost:4566',
  source: { url: 'https://example.com/site.zip' },
  'instance.userDataFile': 'user-data.sh',
  keyDir: '.',
};

/** Keys left out of the generated file. */
const SKIP = new Set(['$schema']);

/**
 * A commented site.config.yaml: every key with a one-line comment from the schema, the given values,
 * the defaults for the rest, and optional keys without a default commented out with an example.
 * The values must be valid (the result validates); invalid values throw zod's error.
 */
export function renderConfigYaml(values: SiteConfigInput = {}, options: RenderConfigOptions = {}): string {
  const resolved = siteConfigSchema.parse(values) as Record<string, unknown>;
  const schemaRef = options.schema ?? configSchemaReference(process.cwd());
  const lines = [
    `# yaml-language-server: $schema=${schemaRef}`,
    '#',
    '# site configuration. Every key is optional: one left out takes the default shown here.',
    '# Precedence: command-line flags > environment (AWS_REGION, AWS_PROFILE, SITE_NAME, …) > this file > defaults.',
    '# Check it with `site config validate`; see the resolved values and their sources with `site config show`.',
    '',
  ];
  const examples = { ...EXAMPLES, keyName: `${String(resolved.name)}-key` };
  renderShape(shapeOf(siteConfigSchema) ?? {}, resolved, '', 0, lines, examples);
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

/**
 * How a config file in `targetDir` should point at site.schema.json: the project's own installed
 * @site-cli/core if there is one (relative), else this installation's file (absolute), else the registry URL.
 */
export function configSchemaReference(targetDir: string): string {
  try {
    const resolved = createRequire(path.join(targetDir, 'noop.js')).resolve(
      `@site-cli/core/${CONFIG_JSON_SCHEMA_FILE}`,
    );
    const relative = path.relative(targetDir, resolved).split(path.sep).join('/');
    if (!relative.startsWith('..')) return relative.startsWith('.') ? relative : `./${relative}`;
  } catch {
    // not installed in the project
  }
  const own = fileURLToPath(new URL(`../../${CONFIG_JSON_SCHEMA_FILE}`, import.meta.url));
  if (existsSync(own)) return own;
  return `https://unpkg.com/@site-cli/core/${CONFIG_JSON_SCHEMA_FILE}`;
}

// ---------------------------------------------------------------------------------------------

type Def = { type: string; innerType?: ZodLike; shape?: Record<string, ZodLike>; options?: ZodLike[] };
type ZodLike = { _zod: { def: Def }; description?: string };

function renderShape(
  shape: Record<string, ZodLike>,
  values: Record<string, unknown>,
  prefix: string,
  depth: number,
  lines: string[],
  examples: Record<string, unknown>,
): void {
  const indent = '  '.repeat(depth);
  for (const [key, schema] of Object.entries(shape)) {
    if (SKIP.has(key)) continue;
    const keyPath = prefix ? `${prefix}.${key}` : key;
    const description = describe(schema);
    const value = values[key];
    if (depth === 0) lines.push('');
    if (description) lines.push(`${indent}# ${description}`);
    if (value === undefined) {
      const example = examples[keyPath];
      if (example === undefined) continue;
      for (const line of renderValue(key, example, schema, keyPath, depth, [], examples))
        lines.push(`${indent}# ${line.slice(indent.length)}`);
      continue;
    }
    renderValue(key, value, schema, keyPath, depth, lines, examples);
  }
}

function renderValue(
  key: string,
  value: unknown,
  schema: ZodLike,
  keyPath: string,
  depth: number,
  lines: string[],
  examples: Record<string, unknown>,
): string[] {
  const indent = '  '.repeat(depth);
  const shape = isPlainObject(value) ? objectShapeFor(schema) : undefined;
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    lines.push(`${indent}${scalar(key)}:`);
    if (shape) renderShape(shape, value, keyPath, depth + 1, lines, examples);
    else for (const [k, v] of Object.entries(value)) lines.push(`${indent}  ${scalar(k)}: ${scalar(v)}`);
  } else {
    lines.push(`${indent}${scalar(key)}: ${scalar(value)}`);
  }
  return lines;
}

/** The schema's description, looking through default/optional wrappers. */
function describe(schema: ZodLike | undefined): string | undefined {
  for (let current = schema; current; current = current._zod.def.innerType) {
    if (current.description) return current.description.split('\n')[0];
  }
  return undefined;
}

function unwrap(schema: ZodLike): ZodLike {
  let current = schema;
  while (current._zod.def.innerType) current = current._zod.def.innerType;
  return current;
}

function shapeOf(schema: z.ZodType | ZodLike): Record<string, ZodLike> | undefined {
  const def = unwrap(schema as unknown as ZodLike)._zod.def;
  return def.type === 'object' ? def.shape : undefined;
}

/** The object schema a mapping value belongs to: the schema itself, or the object member of a union. */
function objectShapeFor(schema: ZodLike): Record<string, ZodLike> | undefined {
  const inner = unwrap(schema);
  if (inner._zod.def.type === 'object') return inner._zod.def.shape;
  if (inner._zod.def.type === 'union') {
    for (const option of inner._zod.def.options ?? []) {
      const shape = shapeOf(option);
      if (shape) return shape;
    }
  }
  return undefined;
}

const YAML_WORDS = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;

/** A YAML scalar: plain when unambiguous, otherwise JSON (valid YAML flow syntax). */
function scalar(value: unknown): string {
  if (typeof value === 'string')
    return /^[A-Za-z][\w.\-*/]*$/.test(value) && !YAML_WORDS.test(value) ? value : JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
