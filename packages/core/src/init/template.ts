/**
 * `site init --template`: a Tooplate template downloaded on the user's machine and unpacked into a folder
 * with the rule the instance's setup script uses — `__MACOSX/` and `.DS_Store` dropped, the zip's single top
 * folder is the site when it has one, else the zip's top — ready to edit and deploy as `source.dir`.
 */
import { SiteError, ExitCode, usageError } from '../errors.js';

/** Where Tooplate serves its template zips (the same URL the instances download a template from). */
export const TOOPLATE_ZIP_BASE = 'https://www.tooplate.com/zip-templates/';

export interface TemplateRef {
  id: string;
  name: string;
}

/** `2137_barista_cafe` → `{ id: '2137', name: 'barista_cafe' }`, or undefined when it is not that shape. */
export function parseTemplate(value: string): TemplateRef | undefined {
  const match = /^(\d+)_([a-z0-9_]+)$/i.exec(value);
  return match ? { id: match[1]!, name: match[2]! } : undefined;
}

/** The template's zip URL; `SITE_TEMPLATE_BASE_URL` stands for Tooplate's base (tests serve zips on loopback). */
export function templateZipUrl(template: TemplateRef, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.SITE_TEMPLATE_BASE_URL?.trim() || TOOPLATE_ZIP_BASE;
  return `${base.replace(/\/*$/, '/')}${template.id}_${template.name}.zip`;
}

/** A site name from a template's name: `barista_cafe` → `barista-cafe` (at most 28 characters). */
export function siteNameFor(template: TemplateRef): string {
  return (
    template.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 28)
      .replace(/-+$/, '') || 'site'
  );
}

export async function downloadTemplate(template: TemplateRef, url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(120_000) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new SiteError({
      code: 'TEMPLATE_DOWNLOAD_FAILED',
      message: `Could not download ${url}: ${cause}. Nothing was written.`,
      suggestions: [
        'Check the internet connection (site init downloads the template from tooplate.com), then run it again.',
        'Or start from a folder of your own: put the site in ./public and set `source: { dir: ./public }`.',
      ],
    });
  }
  const body = new Uint8Array(await response.arrayBuffer());
  if (response.status === 404)
    throw usageError(
      'TEMPLATE_NOT_FOUND',
      `Tooplate has no template ${template.id}_${template.name}: ${url} answered HTTP 404. Nothing was written.`,
      ['Pick one at https://www.tooplate.com and pass it as <id>_<name>, e.g. --template 2137_barista_cafe.'],
    );
  if (response.status < 200 || response.status > 299)
    throw new SiteError({
      code: 'TEMPLATE_DOWNLOAD_FAILED',
      message: `Could not download ${url}: the server answered HTTP ${response.status}. Nothing was written.`,
      suggestions: ['Run it again later.'],
    });
  return body;
}

/** The site's files from a template zip by path relative to the site's root (`css/style.css`). */
export async function unpackTemplate(zip: Uint8Array, url: string): Promise<Map<string, Uint8Array>> {
  const { unzipSync } = await import('fflate');
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch {
    throw new SiteError({
      code: 'TEMPLATE_NOT_A_ZIP',
      message: `${url} is not a readable zip file. Nothing was written.`,
      suggestions: ['Check the template name, or run it again: the download may have been cut short.'],
      exitCode: ExitCode.failure,
    });
  }
  const files = new Map<string, Uint8Array>();
  const folders = new Set<string>();
  for (const [name, data] of Object.entries(entries)) {
    const parts = name.replace(/\\/g, '/').split('/');
    const folder = parts.at(-1) === '';
    if (folder) parts.pop();
    // Never outside the target folder: absolute and parent paths are skipped, as unzip skips them.
    if (!parts.length || name.startsWith('/') || parts.some((p) => p === '..' || p === '.')) continue;
    if (parts[0] === '__MACOSX' || (!folder && parts.at(-1) === '.DS_Store')) continue;
    const upTo = folder ? parts.length : parts.length - 1;
    for (let i = 1; i <= upTo; i++) folders.add(parts.slice(0, i).join('/'));
    if (!folder) files.set(parts.join('/'), data);
  }
  const tops = new Set([...files.keys(), ...folders].map((p) => p.split('/')[0]!));
  const [only] = tops;
  const prefix = tops.size === 1 && folders.has(only!) ? `${only}/` : '';
  const site = new Map<string, Uint8Array>();
  for (const [file, data] of files) if (file.startsWith(prefix)) site.set(file.slice(prefix.length), data);
  if (!site.size)
    throw new SiteError({
      code: 'TEMPLATE_EMPTY',
      message: `${url} holds no files. Nothing was written.`,
      suggestions: ['Pick another template at https://www.tooplate.com.'],
    });
  return site;
}
