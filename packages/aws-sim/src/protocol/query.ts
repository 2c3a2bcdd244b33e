import type { ParamTree } from './model.js';

/** Parses an x-www-form-urlencoded body into flat pairs and a tree split on '.' (`Filter.1.Value.1`). */
export function parseQuery(body: string): { flat: Record<string, string>; tree: ParamTree } {
  const flat: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) flat[k] = v;
  const tree: ParamTree = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node: ParamTree = tree;
    for (let i = 0; i < parts.length - 1; i++) {
      const p = parts[i]!;
      const next = node[p];
      if (next === undefined || typeof next === 'string') node[p] = {};
      node = node[p] as ParamTree;
    }
    const last = parts[parts.length - 1]!;
    if (typeof node[last] !== 'object') node[last] = value;
  }
  return { flat, tree };
}
