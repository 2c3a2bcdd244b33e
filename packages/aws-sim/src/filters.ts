import { err } from './errors.js';
import type { Tags } from './state.js';

export interface Filter {
  Name?: string;
  Values?: string[];
}
export type Getter<T> = (item: T) => string | number | boolean | undefined | (string | undefined)[];

function wildcard(pattern: string): RegExp {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's');
}

/** EC2 filter semantics: AND across filters, OR across a filter's values, `*` and `?` wildcards. */
export function applyFilters<T>(
  items: T[],
  filters: Filter[] | undefined,
  getters: Record<string, Getter<T>>,
  tagsOf?: (item: T) => Tags,
): T[] {
  if (!filters?.length) return items;
  const preds = filters.map((f) => {
    const name = f.Name ?? '';
    const res = (f.Values ?? []).map(wildcard);
    let get: (item: T) => (string | undefined)[];
    if (tagsOf && name.startsWith('tag:')) {
      const key = name.slice(4);
      get = (i) => [tagsOf(i)[key]];
    } else if (tagsOf && name === 'tag-key') get = (i) => Object.keys(tagsOf(i));
    else if (tagsOf && name === 'tag-value') get = (i) => Object.values(tagsOf(i));
    else {
      const g = getters[name];
      if (!g) throw err('InvalidParameterValue', `The filter '${name}' is invalid`);
      get = (i) => {
        const v = g(i);
        return (Array.isArray(v) ? v : [v]).map((x) => (x === undefined ? undefined : String(x)));
      };
    }
    return (item: T) => get(item).some((v) => v !== undefined && res.some((r) => r.test(v)));
  });
  return items.filter((i) => preds.every((p) => p(i)));
}

export function toTagList(tags: Tags | undefined): { Key: string; Value: string }[] {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

/** Offset-based pagination with opaque tokens. */
export function paginate<T>(
  items: T[],
  max: number | undefined,
  token: string | undefined,
  code = 'InvalidParameterValue',
): { page: T[]; next?: string } {
  let start = 0;
  if (token) {
    const m = /^o:(\d+)$/.exec(Buffer.from(token, 'base64').toString());
    if (!m) throw err(code, `Invalid pagination token '${token}'`);
    start = Number(m[1]);
  }
  if (!max) return { page: items.slice(start) };
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(`o:${start + max}`).toString('base64') : undefined;
  return { page, next };
}
