/**
 * `.siteignore`: what of the source folder is never packed, in a subset of .gitignore's syntax —
 *   `# comment` and blank lines; `name` matches a file or folder of that name at any depth; a pattern with a `/`
 *   at its start or in its middle is anchored to the folder (`/drafts`, `img/raw`); a trailing `/` matches
 *   folders only; `*` and `?` match within one path segment, `**` across segments.
 * `!` (re-including) is not supported: a line starting with it is refused, rather than silently ignored.
 */

export interface IgnoreRule {
  /** The line as written, for messages. */
  line: string;
  regex: RegExp;
  directoryOnly: boolean;
}

export class SiteIgnoreError extends Error {
  constructor(
    message: string,
    readonly lineNumber: number,
  ) {
    super(message);
  }
}

function segmentPattern(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*' && glob[i + 1] === '*') {
      // '**/' is zero or more folders; a trailing '**' is everything below.
      if (glob[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else out += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}

export function parseSiteIgnore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/\s+$/, '');
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('!'))
      throw new SiteIgnoreError(
        `line ${index + 1} "${line}": re-including with "!" is not supported; remove the line and narrow the pattern it undoes`,
        index + 1,
      );
    let pattern = line;
    const directoryOnly = pattern.endsWith('/');
    if (directoryOnly) pattern = pattern.slice(0, -1);
    const anchored = pattern.includes('/');
    if (pattern.startsWith('/')) pattern = pattern.slice(1);
    const body = segmentPattern(pattern);
    rules.push({ line, directoryOnly, regex: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`) });
  });
  return rules;
}

/** `relativePath` uses '/' and has no leading slash. */
export function isIgnored(rules: readonly IgnoreRule[], relativePath: string, isDirectory: boolean): boolean {
  return rules.some((rule) => (!rule.directoryOnly || isDirectory) && rule.regex.test(relativePath));
}
