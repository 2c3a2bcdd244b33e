import type { SimContext } from '../context.js';
import type { CertificateRec } from '../state.js';
import { certificateState, serialOf } from '../acm/certificates.js';
import { issue, type Issued } from './x509.js';

/**
 * The simulator's certificate authority and the key pairs of the ACM certificates it issued, made on first
 * use and kept by this process only (private keys never go to the state file; a simulator that loads the state
 * makes its own, as ACM never hands out the key of a certificate it issued anyway).
 */
const TEN_YEARS = 10 * 365 * 86_400_000;
let authority: (Issued & { publicKeyDer: Buffer }) | undefined;
const leaves = new Map<string, Issued>();

/** The root every certificate of the simulator chains to: trust it (`ca` of node's https) to verify them. */
export function simulatorAuthority(): Issued & { publicKeyDer: Buffer } {
  authority ??= issue({
    commonName: 'aws-sim Root CA',
    organization: 'aws-sim',
    ca: true,
    notBefore: Date.UTC(2020, 0, 1),
    notAfter: Date.UTC(2020, 0, 1) + 3 * TEN_YEARS,
  });
  return authority;
}

/** The key pair and certificate of an issued ACM certificate, for its names and validity. */
export function certificateKeys(ctx: SimContext, cert: CertificateRec): Issued | undefined {
  const state = certificateState(ctx, cert);
  if (state.status !== 'ISSUED') return undefined;
  let leaf = leaves.get(cert.arn);
  if (!leaf) {
    const ca = simulatorAuthority();
    const notBefore = Math.floor(state.issuedAt! / 86_400_000) * 86_400_000;
    leaf = issue({
      commonName: cert.domainName,
      dnsNames: cert.subjectAlternativeNames,
      notBefore,
      notAfter: notBefore + 395 * 86_400_000 - 1000,
      serial: Buffer.from(serialOf(cert).replace(/:/g, ''), 'hex'),
      issuer: {
        commonName: 'aws-sim Root CA',
        organization: 'aws-sim',
        key: ca.key,
        publicKeyDer: ca.publicKeyDer,
      },
    });
    leaves.set(cert.arn, leaf);
  }
  return leaf;
}

/** GetCertificate's answer: the certificate and the chain to the simulator's root. */
export function certificatePem(
  ctx: SimContext,
  cert: CertificateRec,
): { Certificate: string; CertificateChain: string } | undefined {
  const leaf = certificateKeys(ctx, cert);
  return leaf && { Certificate: leaf.cert, CertificateChain: simulatorAuthority().cert };
}
