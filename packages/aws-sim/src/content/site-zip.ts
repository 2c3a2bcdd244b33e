/**
 * What the instance's setup script publishes from a site zip, decided the way the script decides it (the
 * script is bash + unzip; this is an independent reading of the same rule): `__MACOSX/` and `.DS_Store` are
 * dropped and never count; the zip's single top folder is the site when it has one, else the zip's top.
 */
import { unzipSync } from 'fflate';

/** The web root's files by path relative to it, without a leading slash (`css/style.css`). */
export type SiteFiles = Map<string, Buffer>;

export type Unpacked = { files: SiteFiles } | { failure: string };

/** The files a zip's entries give, or the script's failure line for `url` (without `SITE SETUP FAILED: `). */
export function unpackSiteZip(zip: Uint8Array, url: string): Unpacked {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch {
    // unzip's exit status for "not a zip file / cannot find zipfile directory".
    return { failure: `${url} is not a readable zip file (unzip exited with status 9)` };
  }
  const files = new Map<string, Buffer>();
  const folders = new Set<string>();
  for (const [name, data] of Object.entries(entries)) {
    const parts = name.replace(/\\/g, '/').split('/');
    const isFolder = parts.at(-1) === '';
    if (isFolder) parts.pop();
    // unzip refuses absolute and parent paths ("skipping: … contains ../"); they never land in the root.
    if (!parts.length || parts.some((p) => p === '..' || p === '.') || name.startsWith('/')) continue;
    if (parts[0] === '__MACOSX') continue;
    if (isFolder) {
      for (let i = 1; i <= parts.length; i++) folders.add(parts.slice(0, i).join('/'));
      continue;
    }
    if (parts.at(-1) === '.DS_Store') continue;
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
    files.set(parts.join('/'), Buffer.from(data));
  }
  const top = new Set<string>();
  for (const path of [...files.keys(), ...folders]) top.add(path.split('/')[0]!);
  const [only] = top;
  const prefix = top.size === 1 && folders.has(only!) ? `${only}/` : '';
  const site: SiteFiles = new Map();
  for (const [path, data] of files) if (path.startsWith(prefix)) site.set(path.slice(prefix.length), data);
  if (!site.size) return { failure: `${url} holds no files` };
  return { files: site };
}
