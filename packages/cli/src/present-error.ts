import { settings } from '@oclif/core';
import { stoppedBy } from './signals.js';

type Presentable = Error & { exitCode?: number; oclif?: { exit?: number }; code?: string };

/**
 * An error as the user sees it, from our commands and plugin commands alike (the plugin kit's base command
 * asks for it through the plugin API): AWS errors translated (what failed, the IAM action, how to fix),
 * a run stopped by SIGTERM told apart from Ctrl-C (exit 143, not 130), oclif's exit code in step with ours,
 * and one message rather than a chain of causes (DEBUG=* shows the chain).
 */
export async function presentError(error: unknown): Promise<unknown> {
  // oclif's own exits (--help, --version, this.exit) pass through untouched.
  if (!(error instanceof Error) || ((error as Presentable).oclif?.exit !== undefined && !('code' in error)))
    return error;
  const { translateError, isSiteError, SiteError, ExitCode } = await import('@site-cli/core');
  let translated = translateError(error) as Presentable;
  if (translated.code === 'INTERRUPTED' && stoppedBy() === 'SIGTERM') {
    translated = new SiteError({
      code: 'TERMINATED',
      message: translated.message.replace(/^Interrupted/, 'Stopped by SIGTERM'),
      exitCode: ExitCode.terminated,
      cause: translated,
    });
  }
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
