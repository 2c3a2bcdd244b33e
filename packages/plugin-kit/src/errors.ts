/**
 * Errors as plugins meet them. The core's SiteError reaches a plugin only as a value (plugins import no code
 * from the core), so these look at its shape: a stable `code`, a message, suggestions and an exit code.
 */

/** What every error of site carries, whichever copy of the core or the kit made it. */
export interface SiteErrorShape extends Error {
  code: string;
  suggestions: string[];
  exitCode: number;
  details?: Record<string, unknown>;
}

/** The stable code of a site error (WAIT_TIMEOUT, INTERRUPTED, …), or an AWS error's name; else undefined. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, name, Code } = error as { code?: unknown; name?: unknown; Code?: unknown };
  if ('$metadata' in error) {
    // An AWS service error: the Query protocols' Code, else the SDK's name for it; the SDK may add "Exception"
    // (ListenerNotFoundException for AWS's ListenerNotFound), as the core reads it too.
    const aws = typeof Code === 'string' ? Code : typeof name === 'string' ? name : undefined;
    return aws?.replace(/Exception$/, '');
  }
  return typeof code === 'string' ? code : undefined;
}

/** A site error: a stable code, a message, suggestions and an exit code. */
export function isSiteError(error: unknown): error is SiteErrorShape {
  return (
    error instanceof Error &&
    typeof (error as Partial<SiteErrorShape>).code === 'string' &&
    Array.isArray((error as Partial<SiteErrorShape>).suggestions) &&
    typeof (error as Partial<SiteErrorShape>).exitCode === 'number'
  );
}

/** A wait (ctx.poll) that reached its deadline. */
export function isWaitTimeout(error: unknown): boolean {
  return errorCode(error) === 'WAIT_TIMEOUT';
}

/** The run was stopped by the user: Ctrl-C or SIGTERM. */
export function isInterrupted(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'INTERRUPTED' || code === 'TERMINATED';
}

/** An error AWS answered with one of these codes (as the SDK names them). */
export function isAwsError(error: unknown, ...codes: string[]): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    '$metadata' in error &&
    codes.includes(errorCode(error) ?? '')
  );
}

/**
 * An error of the kit itself (the core is not reachable, its API too new). Shaped like the core's SiteError,
 * and named like it, so the CLI presents it as one of its own.
 */
export class PluginKitError extends Error implements SiteErrorShape {
  readonly code: string;
  readonly suggestions: string[];
  readonly exitCode: number;
  readonly details: Record<string, unknown> = {};

  constructor(options: { code: string; message: string; suggestions?: string[]; exitCode?: number }) {
    super(options.message);
    this.name = 'SiteError';
    this.code = options.code;
    this.suggestions = options.suggestions ?? [];
    // 1: failed while working (README, "Exit codes"); the core's runtime.ExitCode names them all.
    this.exitCode = options.exitCode ?? 1;
  }

  toJSON() {
    const { code, message, suggestions, exitCode, details } = this;
    return { code, message, suggestions, exitCode, details };
  }
}

/**
 * A delete that is idempotent, as every resource's `destroy` must be: AWS answering that the thing is already gone
 * (one of `goneCodes`, e.g. 'ListenerNotFound') counts as done; any other error is thrown.
 */
export async function deleteIgnoringGone(
  call: () => Promise<unknown>,
  ...goneCodes: string[]
): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!isAwsError(error, ...goneCodes)) throw error;
  }
}
