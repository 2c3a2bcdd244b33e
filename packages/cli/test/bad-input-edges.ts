import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Edges generated from the published JSON Schema of site.config.*: for every numeric bound, string length,
 * tag key and value length and the tag count, the value on each side of the limit. The valid side must pass
 * `site config validate`; the invalid side must stop `deploy` with exit 2 before any AWS call.
 */

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  propertyNames?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxProperties?: number;
  default?: unknown;
  format?: string;
  not?: { required?: string[] };
};

export interface Edge {
  /** Where the value goes, e.g. ['alb', 'healthCheck', 'timeout']; a tag key edge ends in the key. */
  path: string[];
  value: unknown;
  valid: boolean;
  /** In words: 'alb.healthCheck.timeout = 121 (maximum 120 + 1)'. */
  what: string;
  /** Other values the edge needs to be valid on its own (a timeout needs an interval above it). */
  companions?: { path: string[]; value: unknown }[];
}

/** Keys whose value names a file: their limits are the file's (checked by the hand-written cases). */
const SKIPPED = new Set(['instance.userDataFile']);

export function loadPublishedSchema(): JsonSchema {
  const require = createRequire(import.meta.url);
  return JSON.parse(
    readFileSync(require.resolve('@site-cli/core/schema/site.schema.json'), 'utf8'),
  ) as JsonSchema;
}

/** A string of `length` characters starting like `seed`, padded with `fill`. */
function stringOf(seed: string, length: number, fill: string): string {
  return seed.length >= length ? seed.slice(0, length) : seed + fill.repeat(length - seed.length);
}

function seedFor(schema: JsonSchema): string {
  if (typeof schema.default === 'string') return schema.default;
  if (schema.format === 'uri') return 'https://example.com/';
  return '';
}

export function generateEdges(root: JsonSchema): Edge[] {
  const edges: Edge[] = [];
  const walk = (schema: JsonSchema, path: string[]) => {
    const where = path.join('.');
    if (SKIPPED.has(where)) return;
    for (const [key, child] of Object.entries(schema.properties ?? {})) walk(child, [...path, key]);
    for (const option of schema.anyOf ?? []) walk(option, path);

    if (schema.type === 'integer' || schema.type === 'number') {
      if (schema.minimum !== undefined) {
        edges.push({
          path,
          value: schema.minimum,
          valid: true,
          what: `${where} = ${schema.minimum} (minimum)`,
        });
        edges.push({
          path,
          value: schema.minimum - 1,
          valid: false,
          what: `${where} = ${schema.minimum - 1} (minimum - 1)`,
        });
      }
      if (schema.maximum !== undefined) {
        edges.push({
          path,
          value: schema.maximum,
          valid: true,
          what: `${where} = ${schema.maximum} (maximum)`,
        });
        edges.push({
          path,
          value: schema.maximum + 1,
          valid: false,
          what: `${where} = ${schema.maximum + 1} (maximum + 1)`,
        });
      }
    }
    if (schema.type === 'string') {
      const seed = seedFor(schema);
      if (schema.minLength !== undefined && schema.minLength > 0) {
        edges.push({
          path,
          value: stringOf(seed, schema.minLength, 'a'),
          valid: true,
          what: `${where}: ${schema.minLength} characters (minimum)`,
        });
        edges.push({
          path,
          value: stringOf(seed, schema.minLength - 1, 'a'),
          valid: false,
          what: `${where}: ${schema.minLength - 1} characters (minimum - 1)`,
        });
      }
      if (schema.maxLength !== undefined) {
        edges.push({
          path,
          value: stringOf(seed, schema.maxLength, 'a'),
          valid: true,
          what: `${where}: ${schema.maxLength} characters (maximum)`,
        });
        edges.push({
          path,
          value: stringOf(seed, schema.maxLength + 1, 'a'),
          valid: false,
          what: `${where}: ${schema.maxLength + 1} characters (maximum + 1)`,
        });
      }
    }
    if (schema.type === 'object' && schema.propertyNames) {
      // A map (tags): the key's and the value's length limits, and how many entries it takes.
      const keys = schema.propertyNames;
      const values = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : {};
      if (keys.maxLength !== undefined) {
        for (const [length, valid] of [
          [keys.maxLength, true],
          [keys.maxLength + 1, false],
        ] as const) {
          edges.push({
            path: [...path, 'k'.repeat(length)],
            value: 'v',
            valid,
            what: `${where}: a key of ${length} characters`,
          });
        }
      }
      if (values.maxLength !== undefined) {
        edges.push({
          path: [...path, 'LongValue'],
          value: 'v'.repeat(values.maxLength),
          valid: true,
          what: `${where}: a value of ${values.maxLength} characters`,
        });
        edges.push({
          path: [...path, 'LongValue'],
          value: 'v'.repeat(values.maxLength + 1),
          valid: false,
          what: `${where}: a value of ${values.maxLength + 1} characters`,
        });
      }
      if (schema.maxProperties !== undefined) {
        const entries = (count: number) =>
          Object.fromEntries(Array.from({ length: count }, (_, i) => [`Key${i}`, 'value']));
        edges.push({
          path,
          value: entries(schema.maxProperties),
          valid: true,
          what: `${where}: ${schema.maxProperties} entries (maximum)`,
        });
        edges.push({
          path,
          value: entries(schema.maxProperties + 1),
          valid: false,
          what: `${where}: ${schema.maxProperties + 1} entries (maximum + 1)`,
        });
      }
    }
  };
  walk(root, []);
  return edges.map((edge) => ({ ...edge, companions: edge.valid ? companionsOf(edge) : undefined }));
}

/**
 * The limits between fields JSON Schema cannot state: a health check's timeout stays below its interval
 * (AWS: "Health check interval must be greater than the timeout"), and a group's min ≤ desired ≤ max. A valid
 * edge of one brings the other along.
 */
function companionsOf(edge: Edge): Edge['companions'] {
  const where = edge.path.join('.');
  if (where === 'alb.healthCheck.timeout')
    return [{ path: ['alb', 'healthCheck', 'interval'], value: Math.max(10, (edge.value as number) + 1) }];
  if (where === 'alb.healthCheck.interval')
    return [{ path: ['alb', 'healthCheck', 'timeout'], value: Math.min(5, (edge.value as number) - 1) }];
  // instance.scaling needs its bounds (min ≤ desired ≤ max): the widest ones come along with any other key.
  const bound = (key: 'min' | 'max', value: number) => ({ path: ['instance', 'scaling', key], value });
  if (where === 'instance.scaling.min') return [bound('max', 20)];
  if (where === 'instance.scaling.max') return [bound('min', 1)];
  if (where.startsWith('instance.scaling.')) return [bound('min', 1), bound('max', 20)];
  return undefined;
}

const overlaps = (a: string[], b: string[]) =>
  a.slice(0, Math.min(a.length, b.length)).every((segment, i) => segment === b[i]);

/**
 * Pack edges into as few configurations as possible: no two edges (or companions) on the same value or one
 * inside the other, and never two keys the schema says cannot go together (template with source).
 */
export function packEdges(
  edges: Edge[],
  root: JsonSchema,
): { edges: Edge[]; config: Record<string, unknown> }[] {
  // Every `not: { required: [...] }` of the schema, root or nested (instance: count with scaling), by its path.
  const exclusives: { at: string[]; keys: string[] }[] = [];
  const collect = (node: JsonSchema | undefined, at: string[]) => {
    if (!node) return;
    if ((node.not?.required ?? []).length > 1) exclusives.push({ at, keys: node.not!.required! });
    for (const [key, child] of Object.entries(node.properties ?? {}))
      collect(child as JsonSchema, [...at, key]);
  };
  collect(root, []);
  const batches: { edges: Edge[]; paths: string[][]; config: Record<string, unknown> }[] = [];
  for (const edge of edges) {
    const paths = [edge.path, ...(edge.companions ?? []).map((c) => c.path)];
    const together = (all: string[][], { at, keys }: { at: string[]; keys: string[] }) =>
      keys.filter((key) => all.some((p) => p.length > at.length && overlaps(at, p) && p[at.length] === key))
        .length > 1;
    const fits = (batch: (typeof batches)[number]) =>
      !paths.some((p) => batch.paths.some((q) => overlaps(p, q))) &&
      !exclusives.some((exclusive) => together([...batch.paths, ...paths], exclusive));
    let batch = batches.find(fits);
    if (!batch) batches.push((batch = { edges: [], paths: [], config: {} }));
    batch.edges.push(edge);
    batch.paths.push(...paths);
    for (const { path, value } of [{ path: edge.path, value: edge.value }, ...(edge.companions ?? [])])
      setPath(batch.config, path, value);
  }
  return batches.map(({ edges, config }) => ({ edges, config }));
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let current = target;
  for (const key of path.slice(0, -1)) {
    if (typeof current[key] !== 'object' || current[key] === null) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  current[path.at(-1)!] = structuredClone(value);
}
