import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** Something only a path can be: ./x, ../x, /x, ~/x, a bare . or .., or a packed tarball's name. */
const PATH_LIKE = /^(\.{1,2}|~)?([\\/]|$)|\.(tgz|tar\.gz|tar)$/;
/** What npm and oclif already read as a URL or a spec: file:, git+ssh:, https://, github:… */
const SPEC = /^[a-z][a-z0-9+.-]*:/i;

export type PluginSource =
  | { kind: 'path'; spec: string; path: string }
  | { kind: 'as-given'; spec: string }
  | { kind: 'missing'; path: string };

/**
 * `site plugins install` takes a tarball or folder as users type it, relative or absolute: an existing file or
 * folder is handed to npm as `file:<absolute path>` (oclif would read `./x.tgz` as a GitHub repository, and
 * time out). A path that is not there, or `a/b` that names nothing here, is `missing`: the command refuses at
 * once. npm names (a bare word, as npm reads it), scoped names and URLs pass as given.
 */
export async function resolvePluginSource(argument: string, cwd: string): Promise<PluginSource> {
  if (SPEC.test(argument)) return { kind: 'as-given', spec: argument };
  const scopedName = argument.startsWith('@') && !PATH_LIKE.test(argument);
  const pathLike = PATH_LIKE.test(argument) || (!scopedName && /[\\/]/.test(argument));
  // A bare word is an npm name, as npm reads it, even when a folder of that name is here.
  if (!pathLike) return { kind: 'as-given', spec: argument };
  const expanded = argument === '~' || argument.startsWith('~/') ? homedir() + argument.slice(1) : argument;
  const absolute = path.resolve(cwd, expanded);
  const found = await stat(absolute).then(
    (s) => s.isFile() || s.isDirectory(),
    () => false,
  );
  return found
    ? { kind: 'path', spec: `file:${absolute}`, path: absolute }
    : { kind: 'missing', path: absolute };
}
