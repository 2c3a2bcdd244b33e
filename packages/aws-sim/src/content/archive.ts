/**
 * A release archive as the storage source keeps it: a zip, a gzipped tar or a plain tar, its files at the
 * top (a packed folder's content). Read into memory whole; any entry outside the root is refused.
 */
import { gunzipSync, unzipSync } from 'fflate';
import type { SiteFiles } from './site-zip.js';

function safe(name: string): string | undefined {
  const parts = name
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .filter((p) => p && p !== '.');
  if (!parts.length || name.startsWith('/') || parts.includes('..')) return undefined;
  return parts.join('/');
}

function readTar(tar: Uint8Array): SiteFiles {
  const files: SiteFiles = new Map();
  const text = (from: number, len: number) =>
    Buffer.from(tar.subarray(from, from + len))
      .toString('utf8')
      .replace(/\0.*$/s, '');
  let longName: string | undefined;
  for (let at = 0; at + 512 <= tar.length;) {
    if (tar.subarray(at, at + 512).every((b) => b === 0)) break;
    const size = parseInt(text(at + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(tar[at + 156] || 48);
    const prefix = text(at + 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(at, 100)}` : text(at, 100));
    const data = tar.subarray(at + 512, at + 512 + size);
    longName = undefined;
    if (type === 'L') longName = Buffer.from(data).toString('utf8').replace(/\0.*$/s, '');
    else if (type === '0' || type === '\0' || type === '7') {
      const path = safe(name);
      if (path) files.set(path, Buffer.from(data));
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** The archive's files, or undefined when it is none of the three kinds. */
export function readArchive(bytes: Uint8Array): SiteFiles | undefined {
  try {
    if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
      const files: SiteFiles = new Map();
      for (const [name, data] of Object.entries(unzipSync(bytes))) {
        const path = name.endsWith('/') ? undefined : safe(name);
        if (path) files.set(path, Buffer.from(data));
      }
      return files;
    }
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) return readTar(gunzipSync(bytes));
    if (Buffer.from(bytes.subarray(257, 262)).toString('latin1') === 'ustar') return readTar(bytes);
  } catch {
    return undefined;
  }
  return undefined;
}
