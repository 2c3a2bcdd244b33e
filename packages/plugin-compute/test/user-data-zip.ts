/**
 * Builds the zips the user-data runs download: written here byte by byte (PKZIP APPNOTE 4.3: local headers,
 * central directory, end record) so each layout — and each kind of damage — is exactly what the test says.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** Path inside the zip; a folder ends with `/`. */
  name: string;
  content?: string;
  /** Unix mode bits stored in the entry (as `zip` on Linux or macOS does); 0644 / 0755 when left out. */
  mode?: number;
}

const DOS_TIME = (12 << 11) | (30 << 5); // 12:30:00
const DOS_DATE = ((2025 - 1980) << 9) | (6 << 5) | 1; // 2025-06-01
const UTF8_NAMES = 1 << 11;

export function buildZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const isFolder = entry.name.endsWith('/');
    const data = Buffer.from(entry.content ?? '', 'utf8');
    const deflated = isFolder ? data : deflateRawSync(data);
    const method = isFolder ? 0 : 8;
    const crc = crc32(data);
    const mode = 0o777 & (entry.mode ?? (isFolder ? 0o755 : 0o644));
    const fileType = isFolder ? 0o040000 : 0o100000;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate, folders)
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, deflated);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, so the external attributes carry the mode
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number, internal attributes: all 0
    central.writeUInt32LE((((fileType | mode) << 16) | (isFolder ? 0x10 : 0)) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + deflated.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The same zip with one byte of the first entry's compressed data flipped: the directory reads, the data does not. */
export function damageFirstEntry(zip: Buffer): Buffer {
  const damaged = Buffer.from(zip);
  const nameLength = damaged.readUInt16LE(26);
  const dataStart = 30 + nameLength;
  damaged[dataStart + 2] = damaged[dataStart + 2] ^ 0xff;
  return damaged;
}
