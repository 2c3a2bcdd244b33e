/** Reporting: whether the .pem is the pair's private key, the resource's output, and its `site status` row. */
import type { KeyPairInfo } from '@aws-sdk/client-ec2';
import type { ResourceContext, StatusRow } from '@site-cli/core/plugin';
import type { KeyPairOutput } from '../outputs.js';
import { readableByOthers } from '../doctor.js';
import { fileExists, fileMode, pemPathFor, readPrivateKey } from '../pem.js';
import { proveKey } from '../ssh-key.js';

/** Whether the .pem at `pemPath` is the private key of `pair`, proven by the pair's public key or fingerprint. */
export async function pemState(
  pemPath: string,
  pair: KeyPairInfo,
): Promise<'missing' | 'match' | 'mismatch'> {
  if (!(await fileExists(pemPath))) return 'missing';
  const { key } = await readPrivateKey(pemPath);
  if (!key) return 'mismatch';
  // An endpoint that gives neither public key nor fingerprint cannot disprove the file: trust it.
  return proveKey(key, pair) === 'mismatch' ? 'mismatch' : 'match';
}

/** The output of keypair.key-pair for `pair`, warning when its private key is missing or another key's. */
export async function keyPairOutput(ctx: ResourceContext, pair: KeyPairInfo): Promise<KeyPairOutput> {
  const keyName = pair.KeyName ?? '';
  const pemPath = pemPathFor(ctx, keyName);
  const state = await pemState(pemPath, pair);
  const recover =
    'To recover, run `site keypair delete` then `site deploy` (a new key pair and new instances are created), or `site destroy`. ';
  if (state === 'missing') {
    ctx.log.warn(
      `The key pair ${keyName} (${pair.KeyPairId}) exists in AWS but its private key ${pemPath} is not on this machine: ` +
        'SSH to the instances is impossible from here, and AWS never returns a private key a second time. ' +
        recover +
        'If the key is elsewhere, copy it to that path (or point --key-dir at its folder).',
    );
  }
  if (state === 'mismatch') {
    ctx.log.warn(
      `${pemPath} is not the private key of the key pair ${keyName} (${pair.KeyPairId}): its public key is not ` +
        `the one AWS holds (fingerprint ${pair.KeyFingerprint ?? 'not given'}). SSH with it will be refused; site leaves the file alone. ` +
        recover +
        'If the right key is elsewhere, move this file away and copy that one to the path.',
    );
  }
  if (state === 'match') await warnIfReadableByOthers(ctx, pemPath);
  return {
    keyName,
    keyPairId: pair.KeyPairId ?? '',
    pemPath,
    pemPresent: state === 'match',
    ...(pair.KeyFingerprint ? { fingerprint: pair.KeyFingerprint } : {}),
    ...(state === 'mismatch' ? { pemMismatch: true } : {}),
  };
}

// Paths already warned about in this process: a deploy discovers more than once, and warns once.
const warnedModes = new Set<string>();

/** ssh refuses a private key others can read: say so (a warning, not a failure: the site itself is fine). */
async function warnIfReadableByOthers(ctx: ResourceContext, pemPath: string): Promise<void> {
  const mode = await fileMode(pemPath);
  if (mode === undefined || !readableByOthers(mode) || warnedModes.has(pemPath)) return;
  warnedModes.add(pemPath);
  ctx.log.warn(
    `${pemPath} has mode 0${(mode & 0o777).toString(8)}: group or others can read it, and ssh refuses such a key ` +
      `("UNPROTECTED PRIVATE KEY FILE"). Fix: chmod 400 ${pemPath}`,
  );
}

/** The `site status` row of the key pair: available only when its private key is here and proven. */
export function statusRow(found: KeyPairOutput): StatusRow {
  return {
    name: found.keyName,
    id: found.keyPairId,
    state: found.pemPresent
      ? 'available'
      : found.pemMismatch
        ? 'private key does not match'
        : 'private key missing',
    detail: found.pemPath,
  };
}
