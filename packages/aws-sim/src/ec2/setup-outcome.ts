/**
 * What the instance's setup script would make of its site zip. The sandbox never reaches the internet: a
 * loopback `source.url` (tests serve zips and 404s from 127.0.0.1) is fetched once at launch and judged the
 * way the script judges it (HTTP status, then "is it a zip"); any other URL counts as served. The verdict is
 * stored on the instance, so its console output and its targets' health tell the same story.
 */
import { decodeUserData } from '../context.js';

/** The URL the script downloads: `SITE_URL='…'` in site's script, else the first http(s) URL. */
export function zipUrlOf(userData: string | undefined): string | undefined {
  if (!userData) return undefined;
  const ud = decodeUserData(userData);
  return /^SITE_URL='([^']+)'/m.exec(ud)?.[1] ?? /https?:\/\/[^\s'"<>]+/i.exec(ud)?.[0];
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** The reason the setup fails (the text after `SITE SETUP FAILED: `), or undefined when it succeeds. */
export async function setupFailureFor(userData: string | undefined): Promise<string | undefined> {
  const url = zipUrlOf(userData);
  if (!url || !isLoopback(url)) return undefined;
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    return `could not download ${url}: ${cause}`;
  }
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status < 200 || response.status > 299)
    return `could not download ${url}: the server answered HTTP ${response.status}`;
  // Every zip starts with a local file header (PK\3\4) or, when empty, the end-of-directory record (PK\5\6).
  const magic = body.subarray(0, 4).toString('binary');
  if (magic !== 'PK\x03\x04' && magic !== 'PK\x05\x06')
    return `${url} is not a readable zip file (unzip exited with status 9)`;
  return undefined;
}
