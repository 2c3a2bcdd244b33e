import { createHash } from 'node:crypto';
import type { Change, ResourceOf, ResourceContext } from '@site-cli/core/plugin';
import type { CertificateDetail } from '@aws-sdk/client-acm';
import { acm } from '../clients.js';
import { checkSettings, domainConfig, namesOf, normalizeName } from '../config.js';
import { rememberedDomain } from '../remembered.js';
import type { CertificateOutput, DnsRecord } from '../outputs.js';

export const CERTIFICATE = 'domain.certificate';

/** The statuses of a certificate this site can still use: anything else (failed, expired, revoked) is replaced. */
const USABLE = ['PENDING_VALIDATION', 'ISSUED'] as const;

/**
 * RequestCertificate's IdempotencyToken (\w{1,32}): the same request within an hour gets the same certificate,
 * so a create retried after a lost answer never makes a second one. From the site, region and names.
 */
export function idempotencyToken(site: string, region: string, names: string[]): string {
  return createHash('sha256')
    .update([site, region, ...names].join('\n'))
    .digest('hex')
    .slice(0, 32);
}

/** The validation CNAMEs of a certificate, one per distinct record (names under one domain can share one). */
export function validationRecordsOf(detail: CertificateDetail): DnsRecord[] {
  const records = new Map<string, DnsRecord>();
  for (const option of detail.DomainValidationOptions ?? []) {
    const record = option.ResourceRecord;
    if (!record?.Name || !record.Value) continue;
    const name = normalizeName(record.Name);
    records.set(`${name} ${record.Type ?? 'CNAME'}`, {
      name,
      type: record.Type ?? 'CNAME',
      value: record.Value,
    });
  }
  return [...records.values()];
}

function namesOfCertificate(detail: CertificateDetail): string[] {
  const domainName = normalizeName(detail.DomainName ?? '');
  const others = (detail.SubjectAlternativeNames ?? []).map(normalizeName).filter((n) => n !== domainName);
  return [domainName, ...new Set(others)];
}

export function toOutput(detail: CertificateDetail, requestedBySite: boolean): CertificateOutput {
  return {
    certificateArn: detail.CertificateArn ?? '',
    domainName: normalizeName(detail.DomainName ?? ''),
    names: namesOfCertificate(detail),
    status: detail.Status ?? 'UNKNOWN',
    // Only an issued certificate has a validity (moto shows one while pending too).
    ...(detail.Status === 'ISSUED' && detail.NotAfter
      ? { notAfter: new Date(detail.NotAfter).toISOString() }
      : {}),
    validationRecords: validationRecordsOf(detail),
    requestedBySite,
  };
}

export async function describe(
  ctx: ResourceContext,
  certificateArn: string,
): Promise<CertificateDetail | undefined> {
  const client = await acm(ctx);
  try {
    const { Certificate } = await client.describeCertificate({ CertificateArn: certificateArn });
    return Certificate;
  } catch (error) {
    if (ctx.isAwsError(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}

/** The certificates of this site: ListCertificates by status, then the tags of those for our name. */
async function ourCertificates(ctx: ResourceContext, name: string): Promise<CertificateDetail[]> {
  const client = await acm(ctx);
  const arns: string[] = [];
  // By hand, not paginateListCertificates: the SDK's paginators take only a client of their own copy of the SDK.
  let NextToken: string | undefined;
  do {
    const page = await client.listCertificates({
      CertificateStatuses: [...USABLE],
      NextToken,
      MaxItems: 100,
    });
    for (const summary of page.CertificateSummaryList ?? [])
      if (summary.CertificateArn && normalizeName(summary.DomainName ?? '') === name)
        arns.push(summary.CertificateArn);
    NextToken = page.NextToken;
  } while (NextToken);
  const ours: CertificateDetail[] = [];
  for (const arn of arns) {
    const { Tags } = await client.listTagsForCertificate({ CertificateArn: arn });
    if (!ctx.tags.isOwned(Tags, CERTIFICATE)) continue;
    const detail = await describe(ctx, arn);
    if (detail) ours.push(detail);
  }
  return ours;
}

/** The best certificate of ours for these names: an issued one with the same names, else a pending one, else any. */
function pick(certificates: CertificateDetail[], names: string[]): CertificateDetail | undefined {
  const wanted = [...names].sort().join(' ');
  const same = (c: CertificateDetail) => [...namesOfCertificate(c)].sort().join(' ') === wanted;
  const rank = (c: CertificateDetail) => (same(c) ? 0 : 2) + (c.Status === 'ISSUED' ? 0 : 1);
  return [...certificates].sort((a, b) => rank(a) - rank(b))[0];
}

/**
 * ACM adds the validation records to DescribeCertificate a few seconds after RequestCertificate: wait for them
 * (a DNS-validated request without them cannot go on).
 */
async function waitValidationRecords(
  ctx: ResourceContext,
  certificateArn: string,
): Promise<CertificateDetail> {
  return ctx.poll(
    `ACM to publish the validation records of ${certificateArn}`,
    async () => {
      const detail = await describe(ctx, certificateArn);
      if (!detail) return undefined;
      if (detail.Status === 'ISSUED') return detail;
      const options = detail.DomainValidationOptions ?? [];
      return options.length > 0 && options.every((o) => o.ResourceRecord?.Value) ? detail : undefined;
    },
    { initialDelayMs: 1000, factor: 1.5, maxDelayMs: 5000, timeoutMs: 3 * 60_000 },
  );
}

/** The certificate the user gave (domain.certificateArn): must exist in the region, issued, and cover the names. */
async function givenCertificate(ctx: ResourceContext, certificateArn: string): Promise<CertificateOutput> {
  const domain = checkSettings(ctx);
  const detail = await describe(ctx, certificateArn);
  if (!detail) {
    throw ctx.error({
      code: 'DOMAIN_CERTIFICATE_NOT_FOUND',
      message: `domain.certificateArn ${certificateArn} does not exist in ${ctx.config.region}.`,
      suggestions: [
        `List yours: aws acm list-certificates --region ${ctx.config.region}`,
        'Or leave certificateArn out and site requests one.',
      ],
      exitCode: 2,
      details: { key: 'domain.certificateArn', value: certificateArn },
    });
  }
  const found = toOutput(detail, false);
  const missing = namesOf(domain).filter((name) => !covers(found.names, name));
  if (found.status !== 'ISSUED' || missing.length > 0) {
    throw ctx.error({
      code: 'DOMAIN_CERTIFICATE_UNUSABLE',
      message:
        found.status !== 'ISSUED'
          ? `domain.certificateArn ${certificateArn} is ${found.status}, not ISSUED.`
          : `domain.certificateArn ${certificateArn} does not cover ${missing.join(', ')} (it covers ${found.names.join(', ')}).`,
      suggestions: [
        'Use an issued certificate for every name in domain.name and domain.aliases, or leave certificateArn out.',
      ],
      exitCode: 2,
      details: { key: 'domain.certificateArn', value: certificateArn },
    });
  }
  return found;
}

/** True when a certificate name (maybe a wildcard) covers a host name. */
export function covers(certificateNames: string[], host: string): boolean {
  return certificateNames.some(
    (name) =>
      name === host || (name.startsWith('*.') && host.split('.').slice(1).join('.') === name.slice(2)),
  );
}

/** The certificate of a domain no longer configured: the HTTPS listener's, when its tags say this site requested it. */
async function leftBehind(ctx: ResourceContext): Promise<CertificateOutput | undefined> {
  const certificateArn = (await rememberedDomain(ctx))?.certificateArn;
  if (!certificateArn) return undefined;
  const client = await acm(ctx);
  try {
    const { Tags } = await client.listTagsForCertificate({ CertificateArn: certificateArn });
    if (!ctx.tags.isOwned(Tags, CERTIFICATE)) return undefined;
  } catch (error) {
    if (ctx.isAwsError(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
  const detail = await describe(ctx, certificateArn);
  return detail ? toOutput(detail, true) : undefined;
}

/**
 * domain.certificate: the ACM certificate for the name and aliases, DNS-validated. Depends on nothing of the load
 * balancer, so it is requested while the load balancer provisions (issuance takes minutes on AWS).
 * With domain.certificateArn it only looks the user's certificate up (never deletes it).
 */
export function certificateResource(given: boolean): ResourceOf<typeof CERTIFICATE> {
  return {
    id: CERTIFICATE,
    title: given ? 'Certificate (yours)' : 'Certificate',
    kind: given ? 'data' : 'managed',
    dependsOn: [],
    iam: given
      ? ['acm:DescribeCertificate']
      : [
          'acm:ListCertificates',
          'acm:ListTagsForCertificate',
          'acm:DescribeCertificate',
          'acm:RequestCertificate',
          'acm:AddTagsToCertificate',
          'acm:DeleteCertificate',
        ],

    async discover(ctx) {
      if (!domainConfig(ctx.config)) return leftBehind(ctx);
      const domain = checkSettings(ctx);
      if (domain.certificateArn) return givenCertificate(ctx, domain.certificateArn);
      const chosen = pick(await ourCertificates(ctx, domain.name), namesOf(domain));
      return chosen ? toOutput(chosen, true) : undefined;
    },

    async create(ctx) {
      const domain = checkSettings(ctx);
      if (domain.certificateArn) return givenCertificate(ctx, domain.certificateArn);
      const client = await acm(ctx);
      const names = namesOf(domain);
      const { CertificateArn } = await client.requestCertificate({
        DomainName: domain.name,
        ValidationMethod: 'DNS',
        ...(domain.aliases.length > 0 ? { SubjectAlternativeNames: names } : {}),
        IdempotencyToken: idempotencyToken(ctx.config.name, ctx.config.region, names),
        Tags: ctx.tags.forResource(CERTIFICATE, domain.name),
      });
      if (!CertificateArn)
        throw ctx.error({
          code: 'DOMAIN_CERTIFICATE_REQUEST_FAILED',
          message: 'ACM answered RequestCertificate without a certificate ARN.',
        });
      ctx.progress(`requested ${CertificateArn}; waiting for its validation records`);
      return toOutput(await waitValidationRecords(ctx, CertificateArn), true);
    },

    diff(ctx, found) {
      const domain = checkSettings(ctx);
      if (!found.requestedBySite) return [];
      const changes: Change[] = [];
      const wanted = namesOf(domain);
      if ([...found.names].sort().join(',') !== [...wanted].sort().join(','))
        changes.push({ field: 'certificate names', from: found.names.join(', '), to: wanted.join(', ') });
      return changes;
    },

    // A certificate's names never change: a new one is requested, the listener moves to it, then this one goes.
    async destroy(ctx, found) {
      if (!found.requestedBySite) return;
      const client = await acm(ctx);
      // The listener that used it is deleted just before; ACM may still see it in use for a few seconds.
      await ctx.poll(
        `certificate ${found.certificateArn} to be deleted`,
        async () => {
          try {
            await client.deleteCertificate({ CertificateArn: found.certificateArn });
            return true;
          } catch (error) {
            if (ctx.isAwsError(error, 'ResourceNotFoundException')) return true;
            if (ctx.isAwsError(error, 'ResourceInUseException')) return undefined;
            throw error;
          }
        },
        { initialDelayMs: 2000, factor: 1.5, maxDelayMs: 10_000, timeoutMs: 5 * 60_000 },
      );
    },

    async status(_ctx, found) {
      return [
        {
          name: `certificate ${found.names.join(', ')}`,
          id: found.certificateArn,
          state: found.status,
          detail:
            [
              found.notAfter ? `expires ${found.notAfter.slice(0, 10)}` : undefined,
              found.requestedBySite ? undefined : 'yours (domain.certificateArn)',
            ]
              .filter(Boolean)
              .join(', ') || undefined,
        },
      ];
    },

    summarize: (found) => ({ certificateArn: found.certificateArn, status: found.status }),
  };
}
