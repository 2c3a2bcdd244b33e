/**
 * Creating the key pair: a key generated here, its private key written first, then only its public key
 * imported (ImportKeyPair), with the Duplicate answer of a retried or concurrent run resolved.
 */
import type { ImportKeyPairCommandInput } from '@aws-sdk/client-ec2';
import type { PreflightAction, ResourceContext } from '@site-cli/core/plugin';
import type { KeyPairOutput } from '../outputs.js';
import { checkPemWritable, pemPathFor, removePem, siteKeyComment, writePem } from '../pem.js';
import { generateLocalKey, proveKey, type KeyType, type LocalKey } from '../ssh-key.js';
import { conflict, KEY_PAIR, waitVisible } from './find.js';
import { keyPairOutput } from './status.js';

/** The key type site generates: ed25519 works with Amazon Linux 2023 and modern OpenSSH. */
export const KEY_TYPE: KeyType = 'ed25519';

/** Which .pem in the way a create may resume with: the KEY_TYPE key site generated for this pair. */
export const resumable = (ctx: ResourceContext, keyName: string) => ({
  type: KEY_TYPE,
  comment: siteKeyComment(ctx.config.name, keyName),
});

/**
 * The ImportKeyPair request: only the public key (OpenSSH format) leaves this machine. Tagged at
 * creation, so ec2:CreateTags is part of the permission too.
 */
function importKeyPairRequest(
  ctx: ResourceContext,
  keyName: string,
  publicKeyOpenSsh: string,
): ImportKeyPairCommandInput {
  return {
    KeyName: keyName,
    PublicKeyMaterial: Buffer.from(publicKeyOpenSsh),
    TagSpecifications: [{ ResourceType: 'key-pair', Tags: ctx.tags.forResource(KEY_PAIR, keyName) }],
  };
}

/** The pair that already holds `keyName` (AWS said Duplicate), resolved against the key we hold. */
async function resolveDuplicate(
  ctx: ResourceContext,
  keyName: string,
  key: LocalKey,
  wroteNow: boolean,
  duplicate: unknown,
): Promise<KeyPairOutput> {
  const pemPath = pemPathFor(ctx, keyName);
  const existing = await waitVisible(ctx, keyName);
  if (!existing || !ctx.tags.isOwned(existing.Tags, KEY_PAIR)) {
    // The name is someone else's (or AWS will not show it): a key this very run wrote belongs to nothing.
    if (wroteNow) await removePem(pemPath);
    throw existing ? conflict(ctx, existing) : duplicate;
  }
  // Our own earlier import, whose answer was lost: the pair's public key proves the .pem is its key.
  if (proveKey(key, existing) !== 'mismatch') return keyPairOutput(ctx, existing);
  if (wroteNow) {
    // Another run (another machine) imported its key a moment before us: ours was written by this very
    // run and belongs to no pair, so take it back; the pair's private key is that other run's.
    await removePem(pemPath);
    return keyPairOutput(ctx, existing);
  }
  throw ctx.error({
    code: 'KEY_FILE_MISMATCH',
    message:
      `${pemPath} is not the private key of the key pair ${keyName} (${existing.KeyPairId}) of this site: ` +
      `AWS holds another public key (fingerprint ${existing.KeyFingerprint ?? 'not given'}). site will not use or overwrite that file.`,
    suggestions: [
      `Move ${pemPath} away (it may be the only copy of another key), then run the command again.`,
      'If the pair is the one you have no key for, `site keypair delete` then run the command again.',
    ],
    exitCode: 2,
    details: { resource: KEY_PAIR, pemPath, keyName, keyPairId: existing.KeyPairId },
  });
}

/**
 * Retry-safe by construction: the private key is generated here and saved before AWS hears of the
 * pair, and ImportKeyPair only ever receives the public key. Whatever answer is lost, a re-run finds
 * the .pem on disk and either the pair (Duplicate, or discover) or nothing (then it imports again).
 */
export async function createKeyPair(ctx: ResourceContext): Promise<KeyPairOutput> {
  const keyName = ctx.naming.keyPair;
  const pemPath = pemPathFor(ctx, keyName);
  // A .pem already there is accepted only as the unencrypted KEY_TYPE key site wrote for this pair (its
  // comment says so): the key of a run stopped before ImportKeyPair answered. Only its public half is
  // published; a pair that exists under another key is caught by the fingerprint below. Anything else
  // — a user's own key of the same name included — is refused and left alone.
  const resume = resumable(ctx, keyName);
  const resumed = await checkPemWritable(ctx, pemPath, resume);
  const key = resumed ?? generateLocalKey(KEY_TYPE, resume.comment);
  if (!resumed) {
    try {
      await writePem(pemPath, key.privateKeyPem);
    } catch (error) {
      throw ctx.error({
        code: 'KEY_FILE_WRITE_FAILED',
        message: `Could not save the private key of ${keyName} to ${pemPath}: ${(error as Error).message}. No key pair was created.`,
        suggestions: ['Check the key folder (--key-dir / keyDir) and run the command again.'],
        details: { pemPath, keyName },
        cause: error,
      });
    }
    ctx.log.info(`Saved the private key of ${keyName} to ${pemPath} (mode 0400).`);
  } else {
    ctx.log.info(`Resuming with the private key already in ${pemPath}: importing its public key.`);
  }
  const ec2 = await ctx.aws.ec2();
  ctx.progress(`importing ${keyName}`);
  let imported;
  try {
    imported = await ec2.importKeyPair(importKeyPairRequest(ctx, keyName, key.publicKeyOpenSsh));
  } catch (error) {
    if (!ctx.isAwsError(error, 'InvalidKeyPair.Duplicate')) throw error;
    // It exists: our own import whose answer was lost, or another run's, though describes may lag.
    return resolveDuplicate(ctx, keyName, key, !resumed, error);
  }
  return {
    keyName,
    keyPairId: imported.KeyPairId ?? '',
    pemPath,
    pemPresent: true,
    ...(imported.KeyFingerprint ? { fingerprint: imported.KeyFingerprint } : {}),
  };
}

/** Creating (or replacing under a new name): may this identity create the key pair, tags and all? */
export async function preflightImport(ctx: ResourceContext, action: PreflightAction): Promise<void> {
  if (action === 'update') return;
  const ec2 = await ctx.aws.ec2();
  // A throwaway public key: the DryRun checks permissions and tags, never the key we will import.
  const probe = generateLocalKey(KEY_TYPE, ctx.naming.keyPair).publicKeyOpenSsh;
  try {
    await ctx.dryRun(['ec2:ImportKeyPair', 'ec2:CreateTags'], () =>
      ec2.importKeyPair({ ...importKeyPairRequest(ctx, ctx.naming.keyPair, probe), DryRun: true }),
    );
  } catch (error) {
    // The pair exists though the plan did not see it (a stopped run's import AWS does not list yet,
    // or another machine's): create resolves that by its tags and fingerprint, so it is no reason to stop.
    if (!ctx.isAwsError(error, 'InvalidKeyPair.Duplicate')) throw error;
  }
}
