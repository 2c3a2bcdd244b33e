/**
 * The service behind `site init --template ID [DIR]`: checks everything first (the template's shape, the
 * folder empty, no configuration file in the way), downloads and unpacks, and only then writes the files and
 * a site.config.yaml whose `source.dir` points at the folder. A refusal writes nothing.
 */
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_INIT_FILE, configSchemaReference, renderConfigYaml } from '../config/init.js';
import { siteConfigShape } from '../config/schema.js';
import { usageError } from '../errors.js';
import {
  downloadTemplate,
  parseTemplate,
  siteNameFor,
  templateZipUrl,
  unpackTemplate,
  type TemplateRef,
} from './template.js';

export interface InitFromTemplateOptions {
  cwd: string;
  /** `<id>_<name>`, e.g. `2137_barista_cafe`. */
  template: string;
  /** The folder to unpack into (default `public`), relative to cwd. */
  dir?: string;
  /** The site name (default: from the template's name). */
  name?: string;
  /** Write into a non-empty folder and over an existing site.config.yaml. */
  force?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface InitFromTemplateResult {
  template: TemplateRef;
  url: string;
  dir: string;
  files: number;
  configFile: string;
  config: { name: string; source: { dir: string } };
}

const CONFIG_FILES = /^(site\.config\.(ts|mjs|cjs|js|json|yaml|yml)|\.siterc(\.(json|yaml|yml|js))?)$/;

export async function initFromTemplate(options: InitFromTemplateOptions): Promise<InitFromTemplateResult> {
  const template = parseTemplate(options.template);
  if (!template)
    throw usageError(
      'INIT_INVALID_TEMPLATE',
      `--template ${JSON.stringify(options.template)}: expected a Tooplate template as <id>_<name>, e.g. 2137_barista_cafe.`,
      ['Find the id and name in the template page address at https://www.tooplate.com.'],
    );
  const name = options.name ?? siteNameFor(template);
  const nameCheck = siteConfigShape.name.safeParse(name);
  if (!nameCheck.success)
    throw usageError(
      'INIT_INVALID_ANSWER',
      `--name ${JSON.stringify(name)}: expected ${nameCheck.error.issues.map((i) => i.message).join(' and ')}.`,
    );

  const dir = path.resolve(options.cwd, options.dir ?? 'public');
  const entries = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    if (e.code === 'ENOTDIR')
      throw usageError('INIT_DIR_NOT_A_FOLDER', `${dir} is a file, not a folder. Nothing was written.`, [
        'Name another folder: site init --template … DIR.',
      ]);
    throw e;
  });
  if (entries.length && !options.force)
    throw usageError(
      'INIT_DIR_NOT_EMPTY',
      `${dir} is not empty (${entries.length} entries). Nothing was written.`,
      [
        'Name an empty or new folder: site init --template … DIR.',
        'Or run again with --force to unpack over it (files of the same name are replaced, others kept).',
      ],
    );

  const configFile = path.join(options.cwd, CONFIG_INIT_FILE);
  const present = (await readdir(options.cwd)).filter((f) => CONFIG_FILES.test(f));
  const others = present.filter((f) => f !== CONFIG_INIT_FILE);
  if (others.length || (present.length && !options.force))
    throw usageError(
      'CONFIG_EXISTS',
      `${path.join(options.cwd, (others[0] ?? present[0])!)} already exists: not writing another configuration. Nothing was written.`,
      others.length
        ? [
            'Remove it or run `site init` in another folder: two configuration files in one folder are ambiguous.',
          ]
        : ['Run again with --force to replace it, or edit it and set `source: { dir: … }` yourself.'],
    );

  const url = templateZipUrl(template, options.env);
  const files = await unpackTemplate(await downloadTemplate(template, url), url);

  for (const [file, data] of files) {
    const target = path.join(dir, file);
    await mkdir(path.dirname(target), { recursive: true });
    // A folder in the way of a file would make a half-written site: stat first.
    if ((await stat(target).catch(() => undefined))?.isDirectory())
      throw usageError('INIT_DIR_NOT_EMPTY', `${target} is a folder where the template has a file.`);
    await writeFile(target, data);
  }

  const relative = path.relative(path.dirname(configFile), dir).split(path.sep).join('/');
  const sourceDir = relative.startsWith('..') || path.isAbsolute(relative) ? relative : `./${relative}`;
  await writeFile(configFile, await configText(name, sourceDir, configFile), {
    flag: options.force ? 'w' : 'wx',
  });
  return {
    template,
    url,
    dir,
    files: files.size,
    configFile,
    config: { name, source: { dir: sourceDir } },
  };
}

/**
 * `site config init`'s commented file, with `source: { dir }` in place of the template: a site served from
 * a folder has no template (the two together are refused as contradictory).
 */
async function configText(name: string, sourceDir: string, file: string): Promise<string> {
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(
    renderConfigYaml({ name }, { schema: configSchemaReference(path.dirname(file)) }),
  );
  doc.delete('template');
  const source = doc.createPair('source', { dir: sourceDir });
  (source.value as { flow?: boolean }).flow = true;
  (source.key as { commentBefore?: string }).commentBefore =
    ' The site is this folder, relative to this file (from `site init --template`); edit it and deploy.';
  const map = doc.contents as { items: unknown[] };
  const at = map.items.findIndex((item) => (item as { key?: { value?: unknown } }).key?.value === 'region');
  map.items.splice(at < 0 ? map.items.length : at + 1, 0, source);
  return doc.toString().replace(/^# source: \{ url: .*\n/m, '');
}
