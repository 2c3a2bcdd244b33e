import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { isIgnored, parseSiteIgnore, SiteIgnoreError, type IgnoreRule } from './siteignore.js';

/**
 * Pack the source folder into a deterministic zip: sorted paths, one fixed time stamp and mode, `.git` and what
 * `.siteignore` lists left out. The version id is a hash of the content (paths and file hashes), not of the zip
 * bytes, so a different zlib elsewhere still names the same files the same version.
 *
 * Zip, not tar.gz: the instance's setup already installs unzip for template zips, and the simulator serves zips.
 */

/**
 * Limits, checked on sizes alone before a byte is read or anything is created.
 * - 20,000 files and 512 MiB (uncompressed): the instance keeps the current and the previous release unpacked,
 *   plus the zip being switched to, on the default 8 GiB root volume next to Amazon Linux (about 2 GiB); and
 *   both stay far below the plain zip format's 65,535 entries and 4 GiB, so no Zip64 is needed.
 * - S3 takes up to 5 GB in one PUT (S3 User Guide, "Uploading objects"): the packed zip is always below that.
 */
export const SOURCE_MAX_FILES = 20_000;
export const SOURCE_MAX_BYTES = 512 * 1024 * 1024;

export interface PackLimits {
  maxFiles: number;
  maxBytes: number;
}

export interface PackedSource {
  /** The first 12 hex digits of the content hash. */
  version: string;
  zip: Buffer;
  /** sha256 of the zip, hex: what the instance verifies. */
  sha256: string;
  files: number;
  /** Bytes of the files, uncompressed. */
  bytes: number;
  hasIndexHtml: boolean;
}

/** A problem with the folder the user can fix; the resource turns it into a usage error (exit 2). */
export class SourceProblem extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly suggestions: string[],
  ) {
    super(message);
  }
}

interface FileEntry {
  name: string;
  absolute: string;
  size: number;
}

/** The files to pack, sorted, with their sizes: no content read yet. */
export async function listSourceFiles(dir: string, limits: PackLimits): Promise<FileEntry[]> {
  let rules: IgnoreRule[] = [];
  try {
    const info = await lstat(dir);
    if (!info.isDirectory())
      throw new SourceProblem(`source.dir ${dir} is not a folder.`, 'SOURCE_DIR_INVALID', [
        'Set source.dir (or --source) to the folder that holds your index.html.',
      ]);
  } catch (error) {
    if (error instanceof SourceProblem) throw error;
    throw new SourceProblem(
      `source.dir ${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
      'SOURCE_DIR_INVALID',
      ['Create the folder, or set source.dir (or --source) to the folder that holds your index.html.'],
    );
  }
  try {
    rules = parseSiteIgnore(await readFile(path.join(dir, '.siteignore'), 'utf8'));
  } catch (error) {
    if (error instanceof SiteIgnoreError)
      throw new SourceProblem(`${path.join(dir, '.siteignore')}: ${error.message}.`, 'SITEIGNORE_INVALID', [
        'Fix the line; .siteignore takes names, globs (* ? **), a leading / to anchor and a trailing / for folders.',
      ]);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }

  const files: FileEntry[] = [];
  let bytes = 0;
  const tooMany = (what: string) =>
    new SourceProblem(`source.dir ${dir} is too big to serve: ${what}.`, 'SOURCE_TOO_LARGE', [
      `site packs at most ${limits.maxFiles} files and ${Math.round(limits.maxBytes / 1024 / 1024)} MiB: list what the site does not serve (sources, raw images, node_modules) in ${path.join(dir, '.siteignore')}.`,
    ]);
  const walk = async (folder: string, prefix: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true });
    for (const entry of entries) {
      const name = prefix + entry.name;
      const absolute = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === '.git' || isIgnored(rules, name, true)) continue;
        await walk(absolute, name + '/');
        continue;
      }
      if (prefix === '' && entry.name === '.siteignore') continue;
      if (isIgnored(rules, name, false)) continue;
      if (entry.isSymbolicLink())
        throw new SourceProblem(
          `source.dir holds a symbolic link, ${name}: site packs regular files only.`,
          'SOURCE_DIR_INVALID',
          [`Replace ${name} with the file it points to, or list it in .siteignore.`],
        );
      if (!entry.isFile()) continue;
      const { size } = await lstat(absolute);
      files.push({ name, absolute, size });
      bytes += size;
      if (files.length > limits.maxFiles) throw tooMany(`more than ${limits.maxFiles} files`);
      if (bytes > limits.maxBytes)
        throw tooMany(`more than ${Math.round(limits.maxBytes / 1024 / 1024)} MiB of files`);
    }
  };
  await walk(dir, '');
  if (files.length === 0)
    throw new SourceProblem(`source.dir ${dir} holds no files to serve.`, 'SOURCE_DIR_EMPTY', [
      'Put the site (an index.html at least) in the folder, or check that .siteignore does not leave everything out.',
    ]);
  // Byte order of the UTF-8 names: the same on every machine and locale.
  return files.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

// 1980-01-01 00:00:00, the earliest DOS time: the same on every file and machine.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
// Made by Unix (3), version 2.0; regular file, rw-r--r--.
const VERSION_MADE_BY = (3 << 8) | 20;
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;
const UTF8_NAMES = 1 << 11;

export async function packSource(
  dir: string,
  limits: PackLimits = { maxFiles: SOURCE_MAX_FILES, maxBytes: SOURCE_MAX_BYTES },
): Promise<PackedSource> {
  const files = await listSourceFiles(dir, limits);
  const manifest = createHash('sha256');
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  let bytes = 0;
  for (const file of files) {
    const content = await readFile(file.absolute);
    bytes += content.length;
    manifest.update(
      `${file.name}\0${content.length}\0${createHash('sha256').update(content).digest('hex')}\n`,
    );
    const name = Buffer.from(file.name, 'utf8');
    const deflated = deflateRawSync(content, { level: 9 });
    // Stored when deflate does not help (images): smaller, and no zlib output to differ.
    const stored = deflated.length >= content.length;
    const data = stored ? content : deflated;
    const crc = crc32(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(VERSION_MADE_BY, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(UTF8_NAMES, 8);
    header.writeUInt16LE(stored ? 0 : 8, 10);
    header.writeUInt16LE(DOS_TIME, 12);
    header.writeUInt16LE(DOS_DATE, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(content.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
    header.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    central.push(header, name);
    offset += local.length + name.length + data.length;
  }
  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  const zip = Buffer.concat([...locals, ...central, end]);
  return {
    version: manifest.digest('hex').slice(0, 12),
    zip,
    sha256: createHash('sha256').update(zip).digest('hex'),
    files: files.length,
    bytes,
    hasIndexHtml: files.some((file) => file.name === 'index.html'),
  };
}
