import { deleteIgnoringGone } from '@site-cli/plugin-kit';
import path from 'node:path';
import type { ResourceContext } from '@site-cli/core/plugin';
import type { KeyPairOutput } from '../outputs.js';
import { pemPathFor, removePem } from '../pem.js';

/** Deleting the key pair in AWS, then its private key here unless that file proved to be another key's. */
export async function deleteKeyPair(ctx: ResourceContext, found: KeyPairOutput): Promise<void> {
  const ec2 = await ctx.aws.ec2();
  // By name: every EC2 endpoint reads KeyName (moto ignores KeyPairId), and AWS deletes the same pair.
  await deleteIgnoringGone(() => ec2.deleteKeyPair({ KeyName: found.keyName }), 'InvalidKeyPair.NotFound');
  // Only ever the file of this key: <key dir>/<key name>.pem, and not when the fingerprint proved it
  // another key's (that file may be the only copy of it).
  const pemPath =
    found.pemPath && path.basename(found.pemPath) === `${found.keyName}.pem`
      ? found.pemPath
      : pemPathFor(ctx, found.keyName);
  if (found.pemMismatch)
    ctx.log.warn(`Left ${pemPath} in place: it is not the private key of ${found.keyName}.`);
  else if (await removePem(pemPath)) ctx.log.info(`Deleted ${pemPath}.`);
}
