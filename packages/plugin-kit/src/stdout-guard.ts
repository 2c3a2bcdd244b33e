/**
 * With --json, stdout carries one document. Anything else written there while the command runs (a config
 * file's console.log, a library's notice) goes to stderr instead; the document itself is written with the
 * stream's own write. Kept process-wide (a plugin may bundle its own copy of this kit).
 */
const KEY = Symbol.for('@site-cli/plugin-kit:stdout');
interface Guard {
  write: (text: string) => boolean;
  guarded: boolean;
}
const shared = globalThis as typeof globalThis & { [KEY]?: Guard };
const guard: Guard = (shared[KEY] ??= { write: process.stdout.write.bind(process.stdout), guarded: false });

export function guardStdout(): void {
  if (guard.guarded) return;
  guard.guarded = true;
  process.stdout.write = ((...args: Parameters<typeof process.stdout.write>) =>
    (process.stderr.write as (...a: unknown[]) => boolean)(...args)) as typeof process.stdout.write;
}

/** Write the --json document (or anything meant for stdout whatever the guard). */
export function writeDocument(text: string): void {
  guard.write(text.endsWith('\n') ? text : `${text}\n`);
}
