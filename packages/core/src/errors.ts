/** Exit codes, documented in the README. */
export const ExitCode = {
  ok: 0,
  /** Something failed while working (AWS refused, a wait timed out). */
  failure: 1,
  /** Bad input or configuration: nothing was touched. */
  usage: 2,
  /** Interrupted (SIGINT, Ctrl-C). */
  interrupted: 130,
  /** Stopped by SIGTERM. */
  terminated: 143,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface SiteErrorOptions {
  /** Stable SCREAMING_SNAKE code, e.g. CONFIG_INVALID, AWS_ACCESS_DENIED. */
  code: string;
  /** What happened. */
  message: string;
  /** What to do about it, one line each. */
  suggestions?: string[];
  exitCode?: ExitCodeValue;
  /** Where: a file, a key path, a resource id. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error type: a user-facing message, a stable code, suggestions and an exit code. */
export class SiteError extends Error {
  readonly code: string;
  readonly suggestions: string[];
  readonly exitCode: ExitCodeValue;
  readonly details: Record<string, unknown>;

  constructor(options: SiteErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SiteError';
    this.code = options.code;
    this.suggestions = options.suggestions ?? [];
    this.exitCode = options.exitCode ?? ExitCode.failure;
    this.details = options.details ?? {};
  }

  /** The JSON shape printed by --json. */
  toJSON(): {
    code: string;
    message: string;
    suggestions: string[];
    exitCode: number;
    details: Record<string, unknown>;
  } {
    return {
      code: this.code,
      message: this.message,
      suggestions: this.suggestions,
      exitCode: this.exitCode,
      details: this.details,
    };
  }
}

export function isSiteError(error: unknown): error is SiteError {
  return (
    error instanceof SiteError || (error instanceof Error && error.name === 'SiteError' && 'code' in error)
  );
}

/** Input the tool rejects before calling AWS: exit 2. */
export function usageError(
  code: string,
  message: string,
  suggestions: string[] = [],
  details?: Record<string, unknown>,
): SiteError {
  return new SiteError({ code, message, suggestions, exitCode: ExitCode.usage, details });
}

/** The user pressed Ctrl-C. */
export class InterruptedError extends SiteError {
  constructor(
    message = 'Interrupted. Everything created so far is tagged: run the same command again to resume, or `site destroy` to clean up.',
  ) {
    super({ code: 'INTERRUPTED', message, exitCode: ExitCode.interrupted });
    this.name = 'SiteError';
  }
}
