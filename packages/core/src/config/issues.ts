import { nearest } from '../nearest.js';
import type { z } from 'zod';
import { ExitCode, SiteError } from '../errors.js';
import { getPath } from './key-paths.js';
import { siteConfigShape } from './schema.js';
import type { PluginConfigSection } from './schema-with-sections.js';
import { KNOWN_KEYS_PREFIX } from './zod-error-map.js';

/**
 * Problems with configuration values, as the user reads them: one line each naming where the value came
 * from, its key path, what was found and what was expected, with a suggestion where one helps; several
 * problems with one value merge into one; together they make the CONFIG_INVALID error.
 */

/** One problem with one value. */
export interface ConfigIssue {
  /** Where the value came from: the file as shown to the user, 'environment AWS_REGION' or 'flag --region'. */
  file: string;
  /** Dotted key path, e.g. 'instance.type'; '' for the whole file. */
  path: string;
  /** The value found (undefined when missing). */
  value: unknown;
  /** What was expected, in words. */
  expected: string;
  /** The whole line: `<file>: <path>: found <value>, expected <expected>`. */
  message: string;
  /** 1-based, for syntax errors. */
  line?: number;
  column?: number;
}

/** An issue, and what to try for it. */
export interface SuggestedIssue {
  issue: ConfigIssue;
  suggestion?: string;
}

export function makeIssue(file: string, keyPath: string, value: unknown, expected: string): ConfigIssue {
  const where = keyPath === '' ? '(top level)' : keyPath;
  return {
    file,
    path: keyPath,
    value,
    expected,
    message: `${file}: ${where}: found ${showValue(value)}, expected ${expected}`,
  };
}

/**
 * One zod issue as config issues (an unknown-keys issue gives one per key, with "did you mean"), its value
 * taken from what was written. `labelOf` names where the value at a key path came from.
 */
export function fromZodIssue(
  issue: z.core.$ZodIssue,
  input: Record<string, unknown>,
  labelOf: (keyPath: string) => string,
): SuggestedIssue[] {
  const base = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const known = issue.message.startsWith(KNOWN_KEYS_PREFIX)
      ? issue.message.slice(KNOWN_KEYS_PREFIX.length).split(', ')
      : [];
    return issue.keys.map((key) => {
      const keyPath = [...base, key].join('.');
      const closest = nearest(key, known);
      const where = base.length > 0 ? ` under ${base.join('.')}` : '';
      return {
        issue: makeIssue(labelOf(keyPath), keyPath, getPath(input, keyPath), issue.message),
        suggestion: closest
          ? `Did you mean "${[...base, closest].join('.')}" instead of "${keyPath}"?`
          : `Remove "${keyPath}": the keys${where} are ${known.join(', ')}.`,
      };
    });
  }
  const keyPath = base.join('.');
  if (issue.code === 'invalid_key') {
    // The key itself is wrong: show the key, and what a key must be.
    const expected = issue.issues.map((inner) => inner.message).join(' and ') || issue.message;
    return [{ issue: makeIssue(labelOf(keyPath), keyPath, base.at(-1), expected) }];
  }
  const value = 'input' in issue ? issue.input : getPath(input, keyPath);
  return [{ issue: makeIssue(labelOf(keyPath), keyPath, value, issue.message) }];
}

/** Issues about the same value become one, expecting all of what was expected. */
export function mergeIssues(issues: ConfigIssue[]): ConfigIssue[] {
  const merged = new Map<string, ConfigIssue>();
  for (const issue of issues) {
    const id = `${issue.file}\u0000${issue.path}`;
    const seen = merged.get(id);
    if (!seen) merged.set(id, issue);
    else if (!seen.expected.split(' and ').includes(issue.expected)) {
      merged.set(
        id,
        makeIssue(issue.file, issue.path, issue.value, `${seen.expected} and ${issue.expected}`),
      );
    }
  }
  return [...merged.values()];
}

/** An unknown top-level key that is no typo of a known one may belong to a plugin that is not installed. */
export function unknownKeyHint(
  issues: readonly ConfigIssue[],
  pluginSections: readonly PluginConfigSection[],
): string[] {
  const known = [...Object.keys(siteConfigShape), ...pluginSections.map((section) => section.key)];
  const strangers = issues.filter(
    (issue) => issue.expected.startsWith(KNOWN_KEYS_PREFIX) && issue.path !== '' && !issue.path.includes('.'),
  );
  return strangers.some((issue) => nearest(issue.path, known) === undefined)
    ? ["A plugin's own section is known only while the plugin is installed: check `site plugins`."]
    : [];
}

/** SiteError CONFIG_INVALID (exit 2): every issue on its own line. */
export function configInvalidError(
  file: string | undefined,
  issues: readonly ConfigIssue[],
  suggestions: readonly string[],
): SiteError {
  const count = issues.length === 1 ? 'a problem' : `${issues.length} problems`;
  return new SiteError({
    code: 'CONFIG_INVALID',
    message: `The site configuration has ${count}:\n${issues.map((issue) => `  ${issue.message}`).join('\n')}`,
    suggestions: [...suggestions, 'Fix these and check with `site config validate`.'],
    exitCode: ExitCode.usage,
    details: {
      file,
      issues: issues.map(({ file, path, value, expected, message }) => ({
        file,
        path,
        value,
        expected,
        message,
      })),
    },
  });
}

/** JSON of the value, clipped: what the user wrote. */
export function showValue(value: unknown, max = 60): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The closest key by edit distance, if it is close enough to be a typo. */
export const nearestKey = nearest;
