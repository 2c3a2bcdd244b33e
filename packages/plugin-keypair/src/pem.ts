import { constants } from 'node:fs';
import { access, chmod, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResourceContext } from '@site-cli/core/plugin';
import { type KeyType, type LocalKey, parsePrivateKey } from './ssh-key.js';

/** The folder private keys are written to: config.keyDir (or --key-dir) resolved against the config file's folder. */
export function keyDirectory(ctx: Pick<ResourceContext, 'config' | 'configDir'>): string {
  return path.resolve(ctx.configDir, ctx.config.keyDir ?? '.');
}

/** Where the private key of `keyName` lives: `<key dir>/<key name>.pem`. */
export function pemPathFor(ctx: Pick<ResourceContext, 'config' | 'configDir'>, keyName: string): string {
  return path.join(keyDirectory(ctx), `${keyName}.pem`);
}

export async function fileExists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The permission bits of `file`, undefined when there is none. */
export async function fileMode(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The private key in `pemPath`, or why that file is not one (too big, unreadable, not a key, encrypted). */
export async function readPrivateKey(pemPath: string): Promise<{ key?: LocalKey; problem?: string }> {
  try {
    const info = await stat(pemPath);
    if (!info.isFile() || info.size > 16_384) return { problem: 'it is not a private key file' };
    return { key: parsePrivateKey(await readFile(pemPath, 'utf8')) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/**
 * The comment site writes into the private keys it generates. A .pem found in the way is resumed only when
 * it carries this comment: site wrote it for this pair, so it is no one's own key that destroy would later
 * delete.
 */
export function siteKeyComment(siteName: string, keyName: string): string {
  return `site:${siteName}/${keyName}`;
}

/**
 * Everything that must hold before ImportKeyPair is called: the key folder exists and is writable, and
 * no file of the key's name is there (a private key is never overwritten) — unless that file is the
 * unencrypted `resume.type` private key site wrote for this pair (its comment is `resume.comment`): the key
 * of a run stopped before its ImportKeyPair answer came, whose public key the create imports (see
 * keyPairResource). Returns that key.
 */
export async function checkPemWritable(
  ctx: ResourceContext,
  pemPath: string,
  resume: { type: KeyType; comment: string },
): Promise<LocalKey | undefined> {
  const dir = path.dirname(pemPath);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await access(dir, constants.W_OK);
  } catch (error) {
    throw ctx.error({
      code: 'KEY_DIR_NOT_WRITABLE',
      message: `Cannot write the private key to ${dir}: ${(error as Error).message}`,
      suggestions: [
        'Choose a writable folder with --key-dir, SITE_KEY_DIR or keyDir in the config file.',
        `Or make ${dir} writable.`,
      ],
      exitCode: 2,
      details: { keyDir: dir },
      cause: error,
    });
  }
  if (await fileExists(pemPath)) {
    const { key, problem } = await readPrivateKey(pemPath);
    if (key?.type === resume.type && key.comment === resume.comment) return key;
    const why = !key
      ? problem
      : key.type !== resume.type
        ? `it is a ${key.type} key, not ${resume.type}`
        : `it is not a key site made for this key pair: its comment is "${key.comment}", not "${resume.comment}"`;
    throw ctx.error({
      code: 'KEY_FILE_EXISTS',
      message:
        `${pemPath} already exists, but the key pair ${path.basename(pemPath, '.pem')} does not exist in ` +
        `${ctx.config.region}, and that file is not a private key site could import (${why}). ` +
        'site never overwrites a private key: no key pair was created.',
      suggestions: [
        `Move ${pemPath} away (it may be the only copy of another key), then run the command again.`,
        'Or choose another keyName (config) or key folder (--key-dir / keyDir).',
      ],
      exitCode: 2,
      details: { pemPath },
    });
  }
  return undefined;
}

/** Write a private key: exclusive create (never overwrite), owner read-only (0400). */
export async function writePem(pemPath: string, material: string): Promise<void> {
  const text = material.endsWith('\n') ? material : `${material}\n`;
  await writeFile(pemPath, text, { mode: 0o400, flag: 'wx' });
  // The mode given to writeFile passes through the umask; make it exact.
  await chmod(pemPath, 0o400);
}

/** Remove a private key file (read-only, hence chmod first). Missing is fine. */
export async function removePem(pemPath: string): Promise<boolean> {
  try {
    await chmod(pemPath, 0o600);
    await unlink(pemPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
