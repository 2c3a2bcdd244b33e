/**
 * A zip source (`SITE_URL='…'` in site's script) fetched for real, as the instance's curl would, and kept in
 * a cache by URL so that the sandbox downloads a Tooplate zip once per data directory. Tooplate's zips may
 * come from a mirror instead (`SITE_TOOPLATE_MIRROR`: tests and machines without internet serve them from
 * loopback); the URL the instance was given stays the one in its user data and in every message.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Unpacked, unpackSiteZip } from './site-zip.js';

export const TOOPLATE_ZIP_BASE = 'https://www.tooplate.com/zip-templates/';

export interface ZipFetchOptions {
  /** Folder of downloaded zips by URL; none: nothing is kept between runs. */
  cacheDir?: string;
  /** A base URL serving Tooplate's zips under the same names (`http://127.0.0.1:8080/zip-templates/`). */
  tooplateMirror?: string;
}

export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** Where the simulator really downloads `url` from. */
export function downloadUrlFor(url: string, mirror: string | undefined): string {
  if (!mirror || !url.startsWith(TOOPLATE_ZIP_BASE)) return url;
  return `${mirror.replace(/\/*$/, '/')}${url.slice(TOOPLATE_ZIP_BASE.length)}`;
}

const cacheFile = (dir: string, url: string) =>
  path.join(dir, `${createHash('sha256').update(url).digest('hex').slice(0, 32)}.zip`);

/** The zip's bytes, or the script's failure line when the download fails. */
export async function downloadSiteZip(
  url: string,
  options: ZipFetchOptions,
): Promise<{ zip: Uint8Array } | { failure: string }> {
  // Loopback URLs are a test's own server: never cached, so a test can change what it serves.
  const cacheable = options.cacheDir !== undefined && !isLoopbackUrl(url);
  if (cacheable) {
    const cached = await readFile(cacheFile(options.cacheDir!, url)).catch(() => undefined);
    if (cached) return { zip: cached };
  }
  const from = downloadUrlFor(url, options.tooplateMirror);
  let response: Response;
  try {
    response = await fetch(from, {
      redirect: 'follow',
      signal: AbortSignal.timeout(isLoopbackUrl(from) ? 10_000 : 120_000),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    return { failure: `could not download ${url}: ${cause}` };
  }
  const body = new Uint8Array(await response.arrayBuffer());
  if (response.status < 200 || response.status > 299)
    return { failure: `could not download ${url}: the server answered HTTP ${response.status}` };
  if (cacheable) {
    const file = cacheFile(options.cacheDir!, url);
    // Written whole, then renamed: another run reading the cache never sees half a zip.
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await mkdir(options.cacheDir!, { recursive: true });
      await writeFile(tmp, body);
      await rename(tmp, file);
    } catch {
      // A cache that cannot be written costs a download next time, nothing more.
    }
  }
  return { zip: body };
}

/** Downloads and unpacks a site zip: its files, or why the setup fails. */
export async function loadSiteZip(url: string, options: ZipFetchOptions): Promise<Unpacked> {
  const got = await downloadSiteZip(url, options);
  return 'failure' in got ? got : unpackSiteZip(got.zip, url);
}
