import type { DoctorCheck } from '@site-cli/core/plugin';
import type { KeyPairOutput } from './outputs.js';

const NAME = 'private key';

/** The .pem's permission bits that let someone other than its owner read it (ssh refuses such a key). */
export const readableByOthers = (mode: number) => (mode & 0o077) !== 0;

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** The key pair's .pem: present, the pair's own key (proven by its public key or fingerprint), mode 0400. */
export function pemCheck(found: KeyPairOutput, mode: number | undefined, recover: string): DoctorCheck {
  const where = `${found.pemPath}`;
  if (found.pemMismatch)
    return {
      name: NAME,
      status: 'fail',
      message: `${where} is not the private key of the key pair ${found.keyName}: AWS holds another public key.`,
      fix: `Put the pair's key at ${where} if you have it elsewhere; else ${recover}`,
    };
  if (!found.pemPresent || mode === undefined)
    return {
      name: NAME,
      status: 'fail',
      message: `The private key of ${found.keyName} is not at ${where}: SSH is impossible from here.`,
      fix: `Copy it there (or point --key-dir at its folder); else ${recover}`,
    };
  if (readableByOthers(mode))
    return {
      name: NAME,
      status: 'fail',
      message: `${where} has mode ${octal(mode)}: readable by others, so ssh refuses it ("UNPROTECTED PRIVATE KEY FILE").`,
      fix: `chmod 400 ${where}`,
    };
  if ((mode & 0o777) !== 0o400)
    return {
      name: NAME,
      status: 'warn',
      message: `${where} has mode ${octal(mode)}; site writes private keys read-only for their owner (0400).`,
      fix: `chmod 400 ${where}`,
    };
  return {
    name: NAME,
    status: 'pass',
    message: `${where} is present, mode 0400, and the key pair ${found.keyName}'s own.`,
  };
}
