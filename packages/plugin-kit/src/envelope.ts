import { isSiteError } from './errors.js';

/** What --json prints when a command succeeds: one document, nothing else on stdout. */
export interface SuccessEnvelope<T = unknown> {
  /** The exit code (0, or 3 for `site plan` with changes pending). */
  status: number;
  result: T;
  warnings: string[];
}

/** What --json prints when a command fails. */
export interface ErrorEnvelope {
  /** The exit code (README, "Exit codes"). */
  status: number;
  error: { code: string; message: string; suggestions: string[]; [more: string]: unknown };
  warnings: string[];
}

type OclifError = Error & { exitCode?: number; oclif?: { exit?: number }; code?: string };

/** The exit code an error ends the process with: ours, else oclif's (2 for a command line it cannot parse). */
export function exitCodeOf(error: unknown): number {
  const { exitCode, oclif } = (error ?? {}) as OclifError;
  return exitCode ?? oclif?.exit ?? 1;
}

export function successEnvelope<T>(result: T, warnings: string[] = [], status = 0): SuccessEnvelope<T> {
  return { status, result, warnings };
}

/** An error as --json reports it; `command` (e.g. 'alb status') names where to look for the fix. */
export function errorEnvelope(error: unknown, warnings: string[] = [], command?: string): ErrorEnvelope {
  const status = exitCodeOf(error);
  if (isSiteError(error)) {
    const json =
      typeof (error as { toJSON?: () => Record<string, unknown> }).toJSON === 'function'
        ? (error as unknown as { toJSON(): Record<string, unknown> }).toJSON()
        : {};
    return {
      status,
      error: { ...json, code: error.code, message: error.message, suggestions: error.suggestions },
      warnings,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  // oclif's own exit 2 is a command line it could not parse (an unknown flag or argument, a missing value).
  const invalidCommandLine = status === 2;
  return {
    status,
    error: {
      code: invalidCommandLine ? 'INVALID_COMMAND_LINE' : ((error as OclifError)?.code ?? 'UNEXPECTED'),
      message: message.replace(/\nSee more help with --help$/, ''),
      suggestions: invalidCommandLine && command ? [`Run \`site ${command} --help\` for what it takes.`] : [],
    },
    warnings,
  };
}
