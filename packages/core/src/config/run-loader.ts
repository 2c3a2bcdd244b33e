import { readFile } from 'node:fs/promises';
import { ExitCode, SiteError } from '../errors.js';
import { displayPath } from './display-path.js';
import type { ConfigIssue } from './issues.js';
import { ConfigSyntaxProblem } from './parse.js';

/**
 * Running a cosmiconfig load: what a .js / .ts configuration prints stays off stdout, and whatever goes wrong
 * becomes a SiteError naming the file: CONFIG_SYNTAX with line and column, anything else CONFIG_UNREADABLE.
 */

/** `where` is the file or folder being read; `shown` the file as the user wrote it (--config), if they did. */
export async function runLoader<T>(
  where: string,
  cwd: string,
  load: () => Promise<T>,
  shown?: string,
): Promise<T> {
  try {
    return await stdoutToStderr(load);
  } catch (error) {
    if (error instanceof SiteError) throw error;
    const file = (error as { filepath?: string }).filepath ?? where;
    if (error instanceof ConfigSyntaxProblem) throw await syntaxError(error, cwd);
    if (error instanceof SyntaxError) {
      throw await syntaxError(
        new ConfigSyntaxProblem(file, cleanLoaderMessage(error.message), 'JavaScript'),
        cwd,
      );
    }
    throw unreadableError(file, shown ?? displayPath(file, cwd), error);
  }
}

/** SiteError CONFIG_UNREADABLE: `file` cannot be read, for `error`'s reason. */
export function unreadableError(file: string, shown: string, error: unknown): SiteError {
  const reason = cleanLoaderMessage(error instanceof Error ? error.message : String(error));
  return new SiteError({
    code: 'CONFIG_UNREADABLE',
    message: `Cannot read the configuration ${shown}: ${reason}`,
    suggestions:
      file.endsWith('.ts') && /typescript/i.test(reason)
        ? [
            'A site.config.ts needs the typescript package: `npm install --save-dev typescript`, or use site.config.yaml.',
          ]
        : ['Check that the file exists, is readable, and (for .js/.ts) runs on its own with node.'],
    exitCode: ExitCode.usage,
    details: { file },
    cause: error,
  });
}

/**
 * A .js / .ts configuration runs when it is read, and what it prints must not reach stdout, which belongs to
 * the command (one --json document): while it loads, stdout writes go to stderr.
 */
async function stdoutToStderr<T>(load: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    return await load();
  } finally {
    process.stdout.write = write;
  }
}

/** SiteError CONFIG_SYNTAX, with the offending source line as the issue's value. */
async function syntaxError(problem: ConfigSyntaxProblem, cwd: string): Promise<SiteError> {
  const shown = displayPath(problem.file, cwd);
  const at = problem.line === undefined ? '' : `:${problem.line}:${problem.column ?? 1}`;
  const message = `${shown}${at}: ${problem.language} syntax error: ${problem.reason}`;
  let sourceLine: string | undefined;
  if (problem.line !== undefined) {
    const text = await readFile(problem.file, 'utf8').catch(() => '');
    sourceLine = text.split(/\r?\n/)[problem.line - 1];
  }
  const issue: ConfigIssue = {
    file: shown,
    path: '',
    value: sourceLine,
    expected: `valid ${problem.language}`,
    message,
    line: problem.line,
    column: problem.column,
  };
  return new SiteError({
    code: 'CONFIG_SYNTAX',
    message,
    suggestions: [
      problem.line === undefined
        ? `Fix the ${problem.language} in ${shown}.`
        : `Fix line ${problem.line}, column ${problem.column ?? 1} of ${shown}` +
          (problem.language === 'YAML'
            ? ' (indent with spaces; quote values that contain ": " or start with special characters).'
            : '.'),
    ],
    exitCode: ExitCode.usage,
    details: { file: problem.file, line: problem.line, column: problem.column, issue },
    cause: problem,
  });
}

/** cosmiconfig's "<Language> Error in <file>:" header says what the message says again. */
function cleanLoaderMessage(message: string): string {
  return message.replace(/^(?:JSON|YAML|TypeScript) Error in [^\n]*:\n/, '').split('\n')[0];
}
