import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

// A minimal DER writer, enough for X.509 v3 certificates (RFC 5280) signed with ECDSA P-256 / SHA-256:
// node's crypto signs and verifies, but does not build certificates, and this keeps the simulator free of a
// dependency for it.

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, ...content: Buffer[]) => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const set = (...c: Buffer[]) => tlv(0x31, ...c);
const explicit = (n: number, ...c: Buffer[]) => tlv(0xa0 + n, ...c);
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer, unused = 0) => tlv(0x03, Buffer.from([unused]), b);
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));

function integer(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return tlv(0x02, v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a! + b!];
  for (const n of rest) {
    const chunk: number[] = [];
    let v = n;
    do {
      chunk.unshift((v & 0x7f) | (chunk.length ? 0x80 : 0));
      v = Math.floor(v / 128);
    } while (v > 0);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(ms: number): Buffer {
  const iso = new Date(ms).toISOString();
  const compact = iso.replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  const year = new Date(ms).getUTCFullYear();
  // UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5).
  return year < 2050 ? tlv(0x17, Buffer.from(compact.slice(2))) : tlv(0x18, Buffer.from(compact));
}

const name = (cn: string, org?: string) =>
  seq(...(org ? [set(seq(oid('2.5.4.10'), utf8(org)))] : []), set(seq(oid('2.5.4.3'), utf8(cn))));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const extension = (id: string, critical: boolean, value: Buffer) =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

export interface Issued {
  /** PEM of the certificate. */
  cert: string;
  key: KeyObject;
  keyPem: string;
}

export interface CertificateRequest {
  commonName: string;
  organization?: string;
  /** DNS names of a server certificate (wildcards allowed). */
  dnsNames?: string[];
  notBefore: number;
  notAfter: number;
  /** A certificate authority (may sign others). */
  ca?: boolean;
  /** Signed by this authority; self-signed when absent. */
  issuer?: { commonName: string; organization?: string; key: KeyObject; publicKeyDer: Buffer };
  serial?: Buffer;
}

/** A new P-256 key and its X.509 v3 certificate. */
export function issue(req: CertificateRequest): Issued & { publicKeyDer: Buffer } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = (der: Buffer) => createHash('sha1').update(der).digest();
  const issuerName = req.issuer
    ? name(req.issuer.commonName, req.issuer.organization)
    : name(req.commonName, req.organization);
  const extensions = [
    extension('2.5.29.19', true, seq(...(req.ca ? [bool(true)] : []))),
    // keyCertSign + cRLSign for an authority, digitalSignature for a server (RFC 5280 §4.2.1.3).
    extension('2.5.29.15', true, req.ca ? bits(Buffer.from([0x06]), 1) : bits(Buffer.from([0x80]), 7)),
    extension('2.5.29.14', false, octets(keyId(spki))),
    extension('2.5.29.35', false, seq(tlv(0x80, keyId(req.issuer?.publicKeyDer ?? spki)))),
  ];
  if (req.dnsNames?.length) {
    extensions.push(
      extension('2.5.29.17', false, seq(...req.dnsNames.map((d) => tlv(0x82, Buffer.from(d))))),
    );
    extensions.push(extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))));
  }
  const serial = req.serial ?? randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ECDSA_SHA256,
    issuerName,
    seq(time(req.notBefore), time(req.notAfter)),
    name(req.commonName, req.organization),
    spki,
    explicit(3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, req.issuer?.key ?? privateKey);
  const der = seq(tbs, ECDSA_SHA256, bits(signature));
  const b64 = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
    key: privateKey,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyDer: spki,
  };
}
