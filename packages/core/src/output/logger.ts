/** Where resources and services report; the renderer decides how it is shown. */
export interface Logger {
  /** Every warning of the run, for --json's envelope. */
  readonly warnings?: string[];
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export function createConsoleLogger(
  options: { quiet?: boolean; debug?: boolean } = {},
): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    info(message) {
      if (!options.quiet) process.stderr.write(`${message}\n`);
    },
    warn(message) {
      warnings.push(message);
      process.stderr.write(`Warning: ${message}\n`);
    },
    debug(message) {
      if (options.debug) process.stderr.write(`debug: ${message}\n`);
    },
  };
}
