/** Whether the command line asks for --json (before any `--`, as oclif reads it). */
export function wantsJson(argv: readonly string[] = process.argv.slice(2)): boolean {
  const end = argv.indexOf('--');
  const json = argv.indexOf('--json');
  return json !== -1 && (end === -1 || json < end);
}
