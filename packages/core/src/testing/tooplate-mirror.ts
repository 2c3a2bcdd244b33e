/**
 * A loopback stand-in for tooplate.com's zip downloads, for tests and CI (which have no internet): every
 * `/zip-templates/<id>_<name>.zip` is a small zip shaped like Tooplate's — one top folder `<id>_<name>/` with
 * an index.html naming the template, a stylesheet, and the `__MACOSX/` folder Mac-made zips carry — and
 * anything else is a 404. Point the simulator (`SITE_TOOPLATE_MIRROR`) and `site init --template`
 * (`SITE_TEMPLATE_BASE_URL`) at `base`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { strToU8, zipSync } from 'fflate';

export interface TooplateMirror {
  /** The base URL to stand for `https://www.tooplate.com/zip-templates/` (ends with a slash). */
  base: string;
  /** Requests answered so far, by path. */
  requests: string[];
  close(): Promise<void>;
}

/** The fixture zip for a template, as the mirror serves it. */
export function fixtureTemplateZip(template: string): Uint8Array {
  const title = template.replace(/^\d+_/, '').replace(/_/g, ' ');
  return zipSync({
    [`${template}/index.html`]: strToU8(
      `<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${title}</title>` +
        `<link rel="stylesheet" href="css/tooplate.css"></head>\n` +
        `<body><h1>${title}</h1><p>Fixture of Tooplate template ${template}.</p></body>\n</html>\n`,
    ),
    [`${template}/css/tooplate.css`]: strToU8('body { font-family: sans-serif; }\n'),
    [`__MACOSX/${template}/._index.html`]: strToU8('mac metadata'),
  });
}

export async function startTooplateMirror(): Promise<TooplateMirror> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://mirror').pathname;
    requests.push(path);
    const template = /^\/zip-templates\/(\d+_[A-Za-z0-9_-]+)\.zip$/.exec(path)?.[1];
    if (!template) return void res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    const zip = fixtureTemplateZip(template);
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': zip.length }).end(zip);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/zip-templates/`;
  return {
    base,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Starts a mirror for this process and the `site` processes it spawns (through the environment), unless
 * the environment already names one. Returns the stop function.
 */
export async function useTooplateMirror(): Promise<() => Promise<void>> {
  if (process.env.SITE_TOOPLATE_MIRROR && process.env.SITE_TEMPLATE_BASE_URL) return async () => {};
  const mirror = await startTooplateMirror();
  process.env.SITE_TOOPLATE_MIRROR ??= mirror.base;
  process.env.SITE_TEMPLATE_BASE_URL ??= mirror.base;
  return () => mirror.close();
}

let stopMirror: (() => Promise<void>) | undefined;

/**
 * Mocha root hooks (`"require": ["@site-cli/core/testing/tooplate-mirror"]`): a mirror for the whole run,
 * so that sandbox deploys of a template serve its fixture zip without internet.
 */
export const mochaHooks = {
  async beforeAll(): Promise<void> {
    stopMirror ??= await useTooplateMirror();
  },
  async afterAll(): Promise<void> {
    await stopMirror?.();
    stopMirror = undefined;
  },
};
