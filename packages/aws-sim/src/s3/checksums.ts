import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** CRC-32C (Castagnoli, reflected 0x82F63B78), as S3's `x-amz-checksum-crc32c`. */
const CRC32C_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32c(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC32C_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** CRC-64/NVME (reflected 0x9A6C9329AC4BC9B5), as S3's `x-amz-checksum-crc64nvme`. */
const CRC64_POLY = 0x9a6c9329ac4bc9b5n;
const CRC64_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = BigInt(n);
  for (let k = 0; k < 8; k++) c = c & 1n ? CRC64_POLY ^ (c >> 1n) : c >> 1n;
  return c;
});
function crc64nvme(data: Buffer): bigint {
  const mask = 0xffffffffffffffffn;
  let c = mask;
  for (const byte of data) c = CRC64_TABLE[Number((c ^ BigInt(byte)) & 0xffn)]! ^ (c >> 8n);
  return (c ^ mask) & mask;
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** The checksums S3 takes, by algorithm name: each the base64 of the big-endian digest, as S3 sends it. */
export const CHECKSUMS: Record<string, (data: Buffer) => string> = {
  CRC32: (d) => u32(crc32(d)).toString('base64'),
  CRC32C: (d) => u32(crc32c(d)).toString('base64'),
  CRC64NVME: (d) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(crc64nvme(d));
    return b.toString('base64');
  },
  SHA1: (d) => createHash('sha1').update(d).digest('base64'),
  SHA256: (d) => createHash('sha256').update(d).digest('base64'),
};

export const md5 = (d: Buffer) => createHash('md5').update(d);
