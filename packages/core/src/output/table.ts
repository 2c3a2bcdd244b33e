/** A plain text table: the one every command prints. Empty cells show as '-'. */
export function table(rows: Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return '(none)';
  const keys = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: unknown) =>
    value === undefined || value === null || value === ''
      ? '-'
      : Array.isArray(value)
        ? value.join(', ')
        : String(value);
  const widths = keys.map((key) => Math.max(key.length, ...rows.map((row) => cell(row[key]).length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [
    line(keys.map((k) => k.toUpperCase())),
    ...rows.map((row) => line(keys.map((key) => cell(row[key])))),
  ].join('\n');
}
