import { createHash } from 'node:crypto';
import type { SimContext } from '../context.js';
import { AwsError } from '../errors.js';
import { paginate } from '../filters.js';
import { resolve } from '../route53/dns.js';
import { certificatePem } from '../tls/keys.js';
import { type ActionDef, NO_CHANGE } from '../service.js';
import type { CertificateRec } from '../state.js';

/** ACM's default quota of domain names per certificate (the domain name and its SANs; ACM User Guide, Quotas). */
export const DOMAIN_NAMES_PER_CERTIFICATE = 10;
/** Same token within the hour: the same request (RequestCertificate, IdempotencyToken). */
const IDEMPOTENCY_WINDOW_MS = 3_600_000;
/** Amazon-issued certificates are valid for 395 days (ACM User Guide, "Managed certificate renewal"). */
const VALIDITY_MS = 395 * 86_400_000;

export type CertificateStatus = 'PENDING_VALIDATION' | 'ISSUED' | 'VALIDATION_TIMED_OUT';

const notFound = (arn: string) =>
  new AwsError('ResourceNotFoundException', `Could not find certificate ${arn}.`);

const ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):(\d{12}):certificate\/([A-Za-z0-9-]+)$/;

export function findCertificate(ctx: SimContext, arn: string): CertificateRec {
  const m = ARN.exec(arn);
  if (!m) throw new AwsError('InvalidArnException', `String '${arn}' is not a valid ARN.`);
  const cert = (ctx.state.certificates ?? []).find((c) => c.arn === arn);
  if (!cert || m[1] !== ctx.state.region) throw notFound(arn);
  return cert;
}

const hex = (s: string, n = 32) => createHash('sha256').update(s).digest('hex').slice(0, n);

/**
 * The CNAME that proves control of `domain`: the same for every certificate of the account that names the
 * domain (or its wildcard), as ACM's are, so one record validates them all.
 */
export function validationRecord(ctx: SimContext, domain: string) {
  const base = domain.replace(/^\*\./, '').toLowerCase();
  const key = `${ctx.state.accountId}/${base}`;
  const label = [...hex(`${key}/label`, 10)]
    .map((c) => String.fromCharCode(97 + (parseInt(c, 16) % 26)))
    .join('');
  return {
    Name: `_${hex(`${key}/name`)}.${base}.`,
    Type: 'CNAME' as const,
    Value: `_${hex(`${key}/value`)}.${label}.acm-validations.aws.`,
  };
}

/** When the validation record of `domain` resolves (its change INSYNC), if it does. */
function validatedAt(ctx: SimContext, domain: string): number | undefined {
  const want = validationRecord(ctx, domain);
  const found = resolve(ctx.state, want.Name, 'CNAME');
  if (!found?.values?.some((v) => v.toLowerCase().replace(/\.?$/, '.') === want.Value)) return undefined;
  return found.changedAt + ctx.profile.route53SyncMs;
}

/** The certificate's status now, and when it was (or will be) issued once every name is validated. */
export function certificateState(
  ctx: SimContext,
  c: CertificateRec,
): { status: CertificateStatus; issuedAt?: number; validated: Set<string> } {
  const all = new Set(c.subjectAlternativeNames);
  if (c.issuedAt !== undefined) return { status: 'ISSUED', issuedAt: c.issuedAt, validated: all };
  const now = ctx.now();
  const recordsAt = c.requestedAt + ctx.profile.acmValidationRecordMs;
  const deadline = c.requestedAt + ctx.profile.acmValidationTimeoutMs;
  const validated = new Set<string>();
  let last = recordsAt;
  if (c.validationMethod === 'DNS')
    for (const d of c.subjectAlternativeNames) {
      const at = validatedAt(ctx, d);
      if (at === undefined || at > now) continue;
      validated.add(d);
      last = Math.max(last, at);
    }
  if (validated.size === all.size && last < deadline) {
    const issuedAt = last + ctx.profile.acmIssueMs;
    if (issuedAt <= now) return { status: 'ISSUED', issuedAt, validated };
  }
  if (now >= deadline) return { status: 'VALIDATION_TIMED_OUT', validated };
  return { status: 'PENDING_VALIDATION', validated };
}

/**
 * Keeps the issuance of every certificate issued by now: called before a change that could take its
 * validation records away (ACM does not revoke a certificate when they go; it only fails to renew it).
 */
export function settleCertificates(ctx: SimContext): void {
  for (const c of ctx.state.certificates ?? []) {
    if (c.issuedAt !== undefined) continue;
    const s = certificateState(ctx, c);
    if (s.status === 'ISSUED') c.issuedAt = s.issuedAt;
  }
}

/** The load balancers whose listeners use the certificate. */
export function certificateUsers(ctx: SimContext, arn: string): string[] {
  const lbs = ctx.state.listeners
    .filter((l) => l.certificates?.some((x: { CertificateArn?: string }) => x.CertificateArn === arn))
    .map((l) => l.lbArn);
  return [...new Set(lbs)];
}

function validity(issuedAt: number) {
  // AWS starts the validity at midnight UTC of the day of issue and ends it a second before midnight.
  const notBefore = Math.floor(issuedAt / 86_400_000) * 86_400_000;
  return { NotBefore: new Date(notBefore), NotAfter: new Date(notBefore + VALIDITY_MS - 1000) };
}

function detail(ctx: SimContext, c: CertificateRec) {
  const { status, issuedAt, validated } = certificateState(ctx, c);
  const recordsShown = ctx.now() >= c.requestedAt + ctx.profile.acmValidationRecordMs;
  const inUseBy = certificateUsers(ctx, c.arn);
  return {
    CertificateArn: c.arn,
    DomainName: c.domainName,
    SubjectAlternativeNames: c.subjectAlternativeNames,
    DomainValidationOptions: c.subjectAlternativeNames.map((d) => ({
      DomainName: d,
      ValidationDomain: d,
      ValidationStatus: validated.has(d)
        ? 'SUCCESS'
        : status === 'VALIDATION_TIMED_OUT'
          ? 'FAILED'
          : 'PENDING_VALIDATION',
      ...(c.validationMethod === 'DNS' && recordsShown ? { ResourceRecord: validationRecord(ctx, d) } : {}),
      ValidationMethod: c.validationMethod,
    })),
    ...(status === 'ISSUED' ? { Serial: serialOf(c), Issuer: 'Amazon', IssuedAt: new Date(issuedAt!) } : {}),
    Subject: `CN=${c.domainName}`,
    CreatedAt: new Date(c.requestedAt),
    Status: status,
    ...(status === 'ISSUED' ? validity(issuedAt!) : {}),
    ...(status === 'VALIDATION_TIMED_OUT' ? { FailureReason: 'OTHER' } : {}),
    // ACM answers the key algorithm with a hyphen here, though the model's enum spells it with an underscore.
    KeyAlgorithm: c.keyAlgorithm.replace('_', '-'),
    SignatureAlgorithm: 'SHA256WITHRSA',
    InUseBy: inUseBy,
    Type: 'AMAZON_ISSUED',
    KeyUsages: status === 'ISSUED' ? [{ Name: 'DIGITAL_SIGNATURE' }, { Name: 'KEY_ENCIPHERMENT' }] : [],
    ExtendedKeyUsages:
      status === 'ISSUED'
        ? [
            { Name: 'TLS_WEB_SERVER_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.1' },
            { Name: 'TLS_WEB_CLIENT_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.2' },
          ]
        : [],
    RenewalEligibility: inUseBy.length ? 'ELIGIBLE' : 'INELIGIBLE',
    Options: { CertificateTransparencyLoggingPreference: 'ENABLED' },
  };
}

export function serialOf(c: CertificateRec): string {
  return hex(`${c.arn}/serial`, 32).match(/../g)!.join(':');
}

function summary(ctx: SimContext, c: CertificateRec) {
  const d = detail(ctx, c);
  return {
    CertificateArn: c.arn,
    DomainName: c.domainName,
    SubjectAlternativeNameSummaries: c.subjectAlternativeNames,
    HasAdditionalSubjectAlternativeNames: false,
    Status: d.Status,
    Type: d.Type,
    // The summary spells it as the model's enum does (RSA_2048); DescribeCertificate with a hyphen.
    KeyAlgorithm: c.keyAlgorithm,
    KeyUsages: d.KeyUsages.map((k) => k.Name),
    ExtendedKeyUsages: d.ExtendedKeyUsages.map((k) => k.Name),
    InUse: d.InUseBy.length > 0,
    RenewalEligibility: d.RenewalEligibility,
    NotBefore: d.NotBefore,
    NotAfter: d.NotAfter,
    CreatedAt: d.CreatedAt,
    IssuedAt: d.IssuedAt,
  };
}

function uuid(ctx: SimContext): string {
  const h = ctx.ids.arnSuffix() + ctx.ids.arnSuffix();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const certificateActions: Record<string, ActionDef> = {
  RequestCertificate: {
    mutating: true,
    fn(ctx, input) {
      const domainName = String(input.DomainName);
      const names = [domainName, ...((input.SubjectAlternativeNames as string[] | undefined) ?? [])];
      const unique = [...new Set(names.map((n) => n.toLowerCase()))];
      if (unique.length > DOMAIN_NAMES_PER_CERTIFICATE)
        throw new AwsError(
          'LimitExceededException',
          `Cannot request a certificate for ${unique.length} domain names: the limit is ${DOMAIN_NAMES_PER_CERTIFICATE} (the domain name and its subject alternative names).`,
        );
      if (domainName.length > 64)
        throw new AwsError(
          'ValidationException',
          `The first domain name can be no longer than 64 characters: '${domainName}' is ${domainName.length}.`,
        );
      const token = input.IdempotencyToken as string | undefined;
      const certificates = (ctx.state.certificates ??= []);
      const replay =
        token === undefined
          ? undefined
          : certificates.find(
              (c) =>
                c.idempotencyToken === token &&
                ctx.now() - c.requestedAt < IDEMPOTENCY_WINDOW_MS &&
                JSON.stringify(c.subjectAlternativeNames) === JSON.stringify(unique),
            );
      if (replay) return { CertificateArn: replay.arn, [NO_CHANGE]: true };
      const arn = `arn:aws:acm:${ctx.state.region}:${ctx.state.accountId}:certificate/${uuid(ctx)}`;
      certificates.push({
        arn,
        domainName: unique[0]!,
        subjectAlternativeNames: unique,
        validationMethod: input.ValidationMethod ?? 'EMAIL',
        keyAlgorithm: input.KeyAlgorithm ?? 'RSA_2048',
        idempotencyToken: token,
        requestedAt: ctx.now(),
      });
      ctx.setTags(arn, input.Tags);
      return { CertificateArn: arn };
    },
  },
  DescribeCertificate: {
    mutating: false,
    fn: (ctx, input) => ({ Certificate: detail(ctx, findCertificate(ctx, input.CertificateArn)) }),
  },
  ListCertificates: {
    mutating: false,
    fn(ctx, input) {
      const statuses = input.CertificateStatuses as string[] | undefined;
      const keyTypes = (input.Includes?.keyTypes as string[] | undefined) ?? ['RSA_1024', 'RSA_2048'];
      const all = (ctx.state.certificates ?? [])
        .filter((c) => keyTypes.includes(c.keyAlgorithm))
        .map((c) => summary(ctx, c))
        .filter((s) => !statuses?.length || statuses.includes(s.Status));
      const { page, next } = paginate(all, input.MaxItems, input.NextToken, 'InvalidArgsException');
      return { CertificateSummaryList: page, NextToken: next };
    },
  },
  DeleteCertificate: {
    mutating: true,
    fn(ctx, input) {
      const cert = findCertificate(ctx, input.CertificateArn);
      if (certificateUsers(ctx, cert.arn).length)
        throw new AwsError(
          'ResourceInUseException',
          `Certificate ${cert.arn} in account ${ctx.state.accountId} is in use.`,
        );
      ctx.state.certificates = ctx.state.certificates!.filter((c) => c !== cert);
      delete ctx.state.tags[cert.arn];
      return {};
    },
  },
  GetCertificate: {
    mutating: false,
    fn(ctx, input) {
      const cert = findCertificate(ctx, input.CertificateArn);
      const s = certificateState(ctx, cert);
      if (s.status !== 'ISSUED')
        throw new AwsError(
          'RequestInProgressException',
          `Certificate ${cert.arn} in account ${ctx.state.accountId} is not yet issued.`,
        );
      return certificatePem(ctx, cert)!;
    },
  },
};
