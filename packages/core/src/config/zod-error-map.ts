import type { z } from 'zod';

/**
 * The zod error map of the configuration: every message says what was expected, in words. Schema-level
 * messages win over it. It reads zod's internals (`_zod.def`) for a schema's checks and keys, so a zod
 * upgrade that moves them shows up here and nowhere else.
 */

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  null: 'null',
};

/** What an unrecognized_keys message starts with; the known keys follow, joined by ', '. */
export const KNOWN_KEYS_PREFIX = 'one of: ';

/** The error map: pass as `safeParse(input, { error: expectedMessage })`. */
export function expectedMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      const hint = schemaHint(issue.inst);
      return hint ? `${expected} (${hint})` : expected;
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const word =
        issue.code === 'too_small'
          ? issue.inclusive
            ? 'at least'
            : 'more than'
          : issue.inclusive
            ? 'at most'
            : 'less than';
      if (issue.origin === 'string') return `${word} ${String(bound)} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${word} ${String(bound)} items`;
      return `a number ${word} ${String(bound)}`;
    }
    case 'invalid_format':
      return issue.format === 'url' ? 'a URL such as https://example.com' : `a ${issue.format}`;
    case 'invalid_value':
      return `one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `${KNOWN_KEYS_PREFIX}${objectKeys(issue.inst).join(', ')}`;
    case 'invalid_key':
      return 'a valid key';
    case 'invalid_union':
      return schemaHint(issue.inst) ?? 'a value of another form';
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    default:
      return undefined;
  }
}

type SchemaLike = { _zod?: { def?: Record<string, unknown> }; description?: string };

/** A short phrase for what a schema accepts: its first custom check message, else its description. */
function schemaHint(inst: unknown): string | undefined {
  const schema = inst as SchemaLike | undefined;
  const checks = (schema?._zod?.def?.checks ?? []) as { _zod?: { def?: { error?: unknown } } }[];
  for (const check of checks) {
    const error = check._zod?.def?.error;
    if (typeof error === 'function') {
      try {
        const message = (error as (issue: unknown) => unknown)({});
        if (typeof message === 'string' && message) return message;
      } catch {
        // a message function that needs a real issue: no hint from it
      }
    }
  }
  return schema?.description
    ? schema.description.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase())
    : undefined;
}

function objectKeys(inst: unknown): string[] {
  const shape = (inst as SchemaLike | undefined)?._zod?.def?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape).filter((k) => k !== '$schema') : [];
}
