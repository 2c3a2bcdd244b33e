/**
 * A published document root and how httpd answers a GET from it: `index.html` for a folder, a redirect
 * to the folder's slash, 403 for a folder without an index (AL2023's httpd lists no directories), 404 else.
 */
import { createHash } from 'node:crypto';
import type { SiteFiles } from './site-zip.js';

export interface WebRoot {
  /** What this root serves: the storage version, or for a zip a hash of its files (`sha256:…`, 16 hex). */
  readonly version: string;
  readonly files: SiteFiles;
}

export interface WebAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=UTF-8',
  htm: 'text/html; charset=UTF-8',
  css: 'text/css; charset=UTF-8',
  js: 'text/javascript; charset=UTF-8',
  mjs: 'text/javascript; charset=UTF-8',
  json: 'application/json',
  txt: 'text/plain; charset=UTF-8',
  xml: 'text/xml',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/vnd.microsoft.icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  eot: 'application/vnd.ms-fontobject',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  pdf: 'application/pdf',
  zip: 'application/zip',
};

/** httpd's type for a file name (mime.types); unknown extensions get no Content-Type, as httpd sends none. */
export function contentTypeOf(file: string): string | undefined {
  const ext = /\.([^./]+)$/.exec(file)?.[1]?.toLowerCase();
  return ext ? TYPES[ext] : undefined;
}

/** A content hash of a set of files: the same files give the same version, whatever their order. */
export function filesVersion(files: SiteFiles): string {
  const hash = createHash('sha256');
  for (const path of [...files.keys()].sort()) {
    const data = files.get(path)!;
    hash.update(`${path}\0${data.length}\0`).update(data);
  }
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}

function page(status: number, title: string, text: string): WebAnswer {
  const body = Buffer.from(
    `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>${status} ${title}</title>\n</head><body>\n<h1>${title}</h1>\n<p>${text}</p>\n</body></html>\n`,
  );
  return { status, headers: { 'content-type': 'text/html; charset=iso-8859-1' }, body };
}

/** Where httpd goes for a request target: a file, a redirect to the folder's slash, or an error status. */
export function resolveTarget(
  has: (file: string) => boolean,
  isFolder: (path: string) => boolean,
  target: string,
): { status: 200; file: string } | { status: 301; location: string } | { status: 400 | 403 | 404 } {
  const rawPath = target.replace(/[?#].*$/, '') || '/';
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return { status: 400 };
  }
  const parts = path.split('/').filter(Boolean);
  if (parts.includes('..')) return { status: 403 };
  const rel = parts.join('/');
  if (rel && has(rel) && !path.endsWith('/')) return { status: 200, file: rel };
  if (rel && !isFolder(rel)) return { status: 404 };
  if (rel && !path.endsWith('/')) return { status: 301, location: `${rawPath}/` };
  const index = rel ? `${rel}/index.html` : 'index.html';
  return has(index) ? { status: 200, file: index } : { status: 403 };
}

/** The status httpd answers a path with, from the list of the root's files alone (for health checks). */
export function statusFromPaths(paths: readonly string[], target: string): number {
  const set = new Set(paths);
  return resolveTarget(
    (f) => set.has(f),
    (p) => paths.some((f) => f.startsWith(`${p}/`)),
    target,
  ).status;
}

/** httpd's answer for a request target (path and query) from this root. */
export function answerFrom(root: WebRoot, target: string): WebAnswer {
  const to = resolveTarget(
    (f) => root.files.has(f),
    (p) => [...root.files.keys()].some((f) => f.startsWith(`${p}/`)),
    target,
  );
  switch (to.status) {
    case 200: {
      const type = contentTypeOf(to.file);
      return { status: 200, headers: type ? { 'content-type': type } : {}, body: root.files.get(to.file)! };
    }
    case 301:
      return {
        ...page(301, 'Moved Permanently', 'The document has moved.'),
        headers: { location: to.location, 'content-type': 'text/html; charset=iso-8859-1' },
      };
    case 400:
      return page(400, 'Bad Request', 'Your browser sent a request that this server could not understand.');
    case 403:
      return page(403, 'Forbidden', "You don't have permission to access this resource.");
    default:
      return page(404, 'Not Found', 'The requested URL was not found on this server.');
  }
}

/** Whether a status passes a target group's matcher (`200`, `200,202`, `200-299`). */
export function matcherAccepts(matcher: string, status: number): boolean {
  return matcher.split(',').some((part) => {
    const [from, to] = part.trim().split('-').map(Number);
    return to === undefined ? status === from : status >= from! && status <= to;
  });
}
