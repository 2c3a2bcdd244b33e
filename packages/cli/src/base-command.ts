import { Command } from '@oclif/core';
import type { SiteError } from '@site-cli/core';

/** Every command: --json with one envelope, SiteError rendering and documented exit codes. */
export abstract class SiteCommand extends Command {
  static override enableJsonFlag = true;

  /** Warnings collected during the run, returned with --json. */
  protected readonly warnings: string[] = [];

  protected override toSuccessJson(result: unknown): unknown {
    return { status: 0, result, warnings: this.warnings };
  }

  protected override toErrorJson(error: unknown): unknown {
    const siteError = error as Partial<SiteError> & Error;
    if (typeof siteError?.toJSON === 'function') {
      return { status: siteError.exitCode, error: siteError.toJSON(), warnings: this.warnings };
    }
    const exit = (error as { oclif?: { exit?: number } })?.oclif?.exit ?? 1;
    return {
      status: exit,
      error: { code: 'UNEXPECTED', message: siteError?.message ?? String(error), exitCode: exit },
      warnings: this.warnings,
    };
  }

  protected override async catch(
    error: Error & { exitCode?: number; oclif?: { exit?: number } },
  ): Promise<unknown> {
    const { translateError } = await import('@site-cli/core');
    const translated = translateError(error) as Error & { exitCode?: number; oclif?: { exit?: number } };
    if (translated.exitCode !== undefined) {
      // oclif's handler exits with err.oclif.exit; keep it in step with our table of exit codes.
      translated.oclif = { ...translated.oclif, exit: translated.exitCode };
    }
    return super.catch(translated);
  }

  /** A warning: shown on stderr, and returned in the --json envelope. */
  protected note(message: string): void {
    this.warnings.push(message);
    if (!this.jsonEnabled()) this.logToStderr(`Warning: ${message}`);
  }
}
