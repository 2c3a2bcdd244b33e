import { readFile, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode, SiteError } from '../errors.js';
import type { PriceKind, PriceSnapshot, SnapshotPrice } from './price-list.js';

/** The snapshot that ships with site, made by scripts/price-snapshot.mjs from AWS Price List data. */
export const SHIPPED_SNAPSHOT = fileURLToPath(new URL('../../data/prices.json', import.meta.url));

/** The user's own snapshot (written by `site cost --refresh`), in the data directory; it wins over the shipped one. */
export function userSnapshotPath(dataDir: string): string {
  return path.join(dataDir, 'prices.json');
}

export interface LoadedSnapshot {
  snapshot: PriceSnapshot;
  file: string;
  origin: 'refreshed' | 'shipped';
}

/** The date to print beside an estimate: the Price List's publication date, else when the snapshot was made. */
export function snapshotDate(snapshot: PriceSnapshot): string {
  return (snapshot.publicationDate ?? snapshot.createdAt).slice(0, 10);
}

async function readSnapshot(file: string): Promise<PriceSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid(file, `it is not JSON (${(error as Error).message})`);
  }
  const snapshot = value as Partial<PriceSnapshot>;
  if (snapshot.format !== 'site-price-snapshot/1' || !Array.isArray(snapshot.prices))
    throw invalid(file, 'it is not a site price snapshot (format site-price-snapshot/1)');
  return snapshot as PriceSnapshot;
}

function invalid(file: string, why: string): SiteError {
  return new SiteError({
    code: 'PRICE_SNAPSHOT_INVALID',
    message: `The price snapshot ${file} cannot be read: ${why}.`,
    suggestions: [
      'Run `site cost --refresh` to fetch a new one from the AWS Price List, or delete the file.',
    ],
    exitCode: ExitCode.usage,
    details: { file },
  });
}

/** The user's refreshed snapshot, else the shipped one; undefined when neither exists. */
export async function loadSnapshot(
  dataDir: string,
  shipped = SHIPPED_SNAPSHOT,
): Promise<LoadedSnapshot | undefined> {
  const userFile = userSnapshotPath(dataDir);
  const user = await readSnapshot(userFile);
  if (user) return { snapshot: user, file: userFile, origin: 'refreshed' };
  const bundled = await readSnapshot(shipped);
  return bundled ? { snapshot: bundled, file: shipped, origin: 'shipped' } : undefined;
}

/** Write the user's snapshot atomically (a crash leaves the old one whole). */
export async function saveSnapshot(dataDir: string, snapshot: PriceSnapshot): Promise<string> {
  const file = userSnapshotPath(dataDir);
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(snapshot, null, 1)}\n`);
  await rename(temporary, file);
  return file;
}

/** What a cost line asks the snapshot for: a kind of price, and the attributes that pick one (instanceType…). */
export interface PriceQuery {
  kind: PriceKind;
  instanceType?: string;
  volumeType?: string;
  storageClass?: string;
}

/** The price of `query` in `region`, or undefined when the snapshot has none. */
export function findPrice(
  snapshot: PriceSnapshot,
  region: string,
  query: PriceQuery,
): SnapshotPrice | undefined {
  const { kind, ...attributes } = query;
  return snapshot.prices.find(
    (price) =>
      price.kind === kind &&
      price.regionCode === region &&
      Object.entries(attributes).every(
        ([key, value]) => value === undefined || price.attributes[key] === value,
      ),
  );
}
