import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { SimContext } from '../context.js';
import { sslPolicyProtocols } from '../elbv2/ssl-policies.js';
import type { CertificateRec, ListenerRec } from '../state.js';
import { certificateKeys } from './keys.js';

/**
 * TLS on the data plane: an HTTPS listener whose certificates the simulator's ACM issued answers TLS on its
 * loopback port with them, picking by SNI as the ALB does (the default certificate when no name matches). A
 * listener with a certificate made outside the simulator (an ARN its ACM never issued) has no key here, and
 * answers plain HTTP.
 */

/** The listener's certificates that the simulator's ACM issued, the default first. */
function issuedCertificates(ctx: SimContext, listener: ListenerRec): CertificateRec[] {
  if (listener.protocol !== 'HTTPS') return [];
  const out: CertificateRec[] = [];
  for (const c of (listener.certificates ?? []) as { CertificateArn?: string }[]) {
    const cert = ctx.state.certificates?.find((x) => x.arn === c.CertificateArn);
    if (cert && certificateKeys(ctx, cert)) out.push(cert);
  }
  return out;
}

/** The data-plane server key's suffix for this listener: `#tls` when it answers TLS. */
export function tlsSuffix(ctx: SimContext, listener: ListenerRec | undefined): string {
  return listener && issuedCertificates(ctx, listener).length ? '#tls' : '';
}

/** `name` is one of the certificate's names, a wildcard covering one label included. */
function covers(cert: CertificateRec, name: string): boolean {
  const n = name.toLowerCase();
  return cert.subjectAlternativeNames.some((san) =>
    san.startsWith('*.')
      ? n.split('.').slice(1).join('.') === san.slice(2) && n.split('.').length > 2
      : san === n,
  );
}

/** The lowest TLS version of the listener's security policy, as node spells it. */
function minVersion(policy: string | undefined): 'TLSv1.2' | 'TLSv1.3' | undefined {
  const protocols = policy ? sslPolicyProtocols(policy) : undefined;
  if (!protocols?.length) return undefined;
  if (protocols.every((p) => p === 'TLSv1.3')) return 'TLSv1.3';
  return 'TLSv1.2'; // node refuses TLS 1.0 and 1.1 by default: a policy allowing them still answers 1.2+
}

function contextOf(ctx: SimContext, cert: CertificateRec, listener: ListenerRec): SecureContext {
  const keys = certificateKeys(ctx, cert)!;
  return createSecureContext({
    cert: keys.cert,
    key: keys.keyPem,
    minVersion: minVersion(listener.sslPolicy),
  });
}

/**
 * The loopback server of one data-plane key: HTTPS with SNI for `#tls` keys (the listener looked up on each
 * handshake, so a certificate changed by ModifyListener is served at once), plain HTTP otherwise.
 */
export function dataPlaneServer(
  ctx: () => SimContext,
  key: string,
  lbArn: string,
  port: number | undefined,
  handler: RequestListener,
): Server {
  if (!key.endsWith('#tls') || port === undefined) return createHttpServer(handler);
  const listenerNow = () => ctx().state.listeners.find((l) => l.lbArn === lbArn && l.port === port);
  const pick = (servername: string | undefined) => {
    const listener = listenerNow();
    const certs = listener ? issuedCertificates(ctx(), listener) : [];
    const cert = (servername && certs.find((c) => covers(c, servername))) || certs[0];
    return cert && listener ? contextOf(ctx(), cert, listener) : undefined;
  };
  const first = listenerNow();
  const initial = first ? issuedCertificates(ctx(), first)[0] : undefined;
  const keys = initial ? certificateKeys(ctx(), initial) : undefined;
  return createHttpsServer(
    {
      cert: keys?.cert,
      key: keys?.keyPem,
      SNICallback: (servername, done) => {
        const secure = pick(servername);
        if (secure) done(null, secure);
        else done(new Error(`aws-sim: no certificate for ${servername}`));
      },
    },
    handler,
  ) as unknown as Server;
}
