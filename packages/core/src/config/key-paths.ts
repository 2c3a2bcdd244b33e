/**
 * Dotted key paths ('instance.type') into plain settings objects: how issues, value sources and the
 * relative-path keys name a value inside the configuration.
 */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a key path, or undefined when a step on the way is missing or not a mapping. '' is the whole value. */
export function getPath(value: unknown, keyPath: string): unknown {
  if (keyPath === '') return value;
  let current = value;
  for (const key of keyPath.split('.')) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Set the value at a key path whose parents exist; does nothing when one of them is missing. */
export function setPath(target: Record<string, unknown>, keyPath: string, value: unknown): void {
  const keys = keyPath.split('.');
  let current = target;
  for (const key of keys.slice(0, -1)) {
    if (!isPlainObject(current[key])) return;
    current = current[key] as Record<string, unknown>;
  }
  current[keys.at(-1)!] = value;
}

/** Dotted paths of every leaf: scalars, lists and empty mappings. */
export function leafPaths(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, child]) => {
    const keyPath = prefix ? `${prefix}.${key}` : key;
    return isPlainObject(child) && Object.keys(child).length > 0
      ? leafPaths(child, keyPath)
      : child === undefined
        ? []
        : [keyPath];
  });
}

/** The top-level key a path lies under: environment variables and flags set whole top-level keys. */
export function topKey(keyPath: string): string {
  return keyPath.split('.')[0];
}
