import { settings } from '@oclif/core';

type Presentable = Error & { exitCode?: number; oclif?: { exit?: number } };

/**
 * An error as the user sees it, from our commands and plugin commands alike: AWS errors translated (what
 * failed, the IAM action, how to fix), oclif's exit code in step with ours, and one message rather than
 * a chain of causes (DEBUG=* shows the chain).
 */
export async function presentError(error: unknown): Promise<unknown> {
  // oclif's own exits (--help, --version, this.exit) pass through untouched.
  if (!(error instanceof Error) || ((error as Presentable).oclif?.exit !== undefined && !('code' in error)))
    return error;
  const { translateError, isSiteError } = await import('@site-cli/core');
  const translated = translateError(error) as Presentable;
  const exit = translated.exitCode ?? translated.oclif?.exit;
  if (exit !== undefined) {
    // oclif exits with err.oclif.exit, or (with --json) process.exitCode: both follow our table.
    translated.oclif = { ...translated.oclif, exit };
    process.exitCode = exit;
  }
  if (isSiteError(translated) && !settings.debug) {
    // Our message already says what its causes said; and "Error:", not the class name, heads it.
    Object.defineProperty(translated, 'cause', { value: undefined, configurable: true });
    Object.defineProperty(translated, 'name', { value: 'Error', configurable: true });
  }
  return translated;
}
