import { constants } from 'node:fs';
import { access, chmod, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResourceContext } from '@site-cli/core/plugin';

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

/**
 * True when `pemPath` holds a private key written in the last `withinMs`: the key of a run that stopped
 * right after CreateKeyPair, whose pair AWS may not list yet (describes lag just after a create).
 */
export async function isFreshPrivateKey(pemPath: string, withinMs = 60_000): Promise<boolean> {
  try {
    const info = await stat(pemPath);
    if (Date.now() - info.mtimeMs > withinMs || info.size > 16_384) return false;
    return /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(await readFile(pemPath, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Everything that must hold before CreateKeyPair is called: the key folder exists and is writable,
 * and no file of the key's name is there (a private key is never overwritten).
 */
export async function checkPemWritable(ctx: ResourceContext, pemPath: string): Promise<void> {
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
    throw ctx.error({
      code: 'KEY_FILE_EXISTS',
      message:
        `${pemPath} already exists, but the key pair ${path.basename(pemPath, '.pem')} does not exist in ` +
        `${ctx.config.region}, so that file is not its private key. site never overwrites a private key: no key pair was created.`,
      suggestions: [
        `Move ${pemPath} away (it may be the only copy of another key), then run the command again.`,
        'Or choose another keyName (config) or key folder (--key-dir / keyDir).',
      ],
      exitCode: 2,
      details: { pemPath },
    });
  }
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
