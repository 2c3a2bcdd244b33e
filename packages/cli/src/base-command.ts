import { Command } from '@oclif/core';
import type { SiteError } from '@site-cli/core';
import { presentError } from './present-error.js';

/** Every command: --json with one envelope, SiteError rendering and documented exit codes. */
export abstract class SiteCommand extends Command {
  static override enableJsonFlag = true;

  /** Warnings collected during the run, returned with --json. */
  protected readonly warnings: string[] = [];
  /** Loggers whose warnings (from resources and the core) also go into the --json envelope. */
  private readonly logs: { readonly warnings?: readonly string[] }[] = [];

  /** Return this logger's warnings with --json too (they are printed on stderr as they happen). */
  collectWarnings(log: { readonly warnings?: readonly string[] }): void {
    this.logs.push(log);
  }

  private allWarnings(): string[] {
    return [...new Set([...this.warnings, ...this.logs.flatMap((log) => log.warnings ?? [])])];
  }

  protected override toSuccessJson(result: unknown): unknown {
    return { status: 0, result, warnings: this.allWarnings() };
  }

  protected override toErrorJson(error: unknown): unknown {
    const siteError = error as Partial<SiteError> & Error;
    if (typeof siteError?.toJSON === 'function') {
      return { status: siteError.exitCode, error: siteError.toJSON(), warnings: this.allWarnings() };
    }
    const exit = (error as { oclif?: { exit?: number } })?.oclif?.exit ?? 1;
    // oclif's own exit 2 is a command line it could not parse (an unknown flag, a missing value).
    const code = exit === 2 ? 'INVALID_COMMAND_LINE' : 'UNEXPECTED';
    return {
      status: exit,
      error: { code, message: siteError?.message ?? String(error), exitCode: exit },
      warnings: this.allWarnings(),
    };
  }

  protected override async catch(error: Error): Promise<unknown> {
    return super.catch((await presentError(error)) as Error);
  }

  /** A warning: shown on stderr, and returned in the --json envelope. */
  protected note(message: string): void {
    this.warnings.push(message);
    if (!this.jsonEnabled()) this.logToStderr(`Warning: ${message}`);
  }
}
