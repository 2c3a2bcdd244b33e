import { readFile, stat } from 'node:fs/promises';
import { getPath } from './key-paths.js';
import { makeIssue, showValue, type ConfigIssue, type SuggestedIssue } from './issues.js';
import { USER_DATA_HEADERS, USER_DATA_MAX_BYTES } from './limits.js';

/**
 * Checks the schema cannot make: one that needs what was written before defaults filled it in (template
 * beside source), and one that reads a file on disk (instance.userDataFile). Each gives an issue or undefined.
 */

/** `input` is the configuration as written; `labelOf` names where a key path's value came from. */
export function templateAndSourceIssue(
  input: Record<string, unknown>,
  labelOf: (keyPath: string) => string,
): SuggestedIssue | undefined {
  // The user data serves source and ignores template: one of them was written for nothing.
  if (input.template === undefined || input.source === undefined) return undefined;
  return {
    issue: makeIssue(
      labelOf('source'),
      'source',
      input.source,
      'either template or source, not both (source would be served and template ignored): remove one of them',
    ),
    suggestion:
      'Keep `template` to serve a Tooplate template, or `source` to serve your own zip (source.url) or folder (source.dir).',
  };
}

/**
 * instance.userDataFile as EC2 and the instance take it: at most 16 KB before base64, UTF-8 text (it is sent
 * as such), in a format cloud-init runs, and a #! line without a carriage return. `config` is parsed, with the
 * path resolved; `input` is as written, for the value the issue shows.
 */
export async function userDataFileIssue(
  config: Record<string, unknown>,
  label: string,
  input: Record<string, unknown>,
): Promise<ConfigIssue | undefined> {
  const file = getPath(config, 'instance.userDataFile');
  if (typeof file !== 'string') return undefined;
  const written = getPath(input, 'instance.userDataFile');
  const problem = (expected: string) => makeIssue(label, 'instance.userDataFile', written, expected);
  let bytes: Buffer;
  try {
    if (!(await stat(file)).isFile()) return problem(`a regular file (${file} is not one)`);
    bytes = await readFile(file);
  } catch (error) {
    return problem(`a readable file (${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  if (bytes.length === 0) return problem(`a script or cloud-config (${file} is empty)`);
  if (bytes.length > USER_DATA_MAX_BYTES)
    return problem(
      `at most ${USER_DATA_MAX_BYTES} bytes, EC2's limit on user data before base64 (${file} has ${bytes.length}): ` +
        'move the bulk into a file the script downloads',
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = '\u0000';
  }
  if (text.includes('\u0000'))
    return problem(
      `UTF-8 text (${file} is binary or another encoding; gzip or other binary user data is not supported)`,
    );
  if (!USER_DATA_HEADERS.some((header) => text.startsWith(header)))
    return problem(
      `a file cloud-init runs: its first line must start with #! (a script) or #cloud-config, #include, ` +
        `#cloud-boothook, #part-handler, ## template: jinja, or be a MIME multi-part archive (${file} starts with ${showValue(text.split('\n')[0], 40)}, which cloud-init ignores)`,
    );
  if (text.startsWith('#!') && /^[^\n]*\r/.test(text))
    return problem(
      `a script with Unix line endings (${file} has Windows CRLF line endings: "#!…\\r" names no interpreter): convert it with dos2unix`,
    );
  return undefined;
}
