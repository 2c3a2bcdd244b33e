import type { Change as PlanChange, ResourceOf, ResourceContext } from '@site-cli/core/plugin';
import type { Change } from '@aws-sdk/client-route-53';
import { acm } from '../clients.js';
import { checkSettings, domainConfig, normalizeName } from '../config.js';
import type { CertificateOutput, DnsRecord, ValidationRecordsOutput } from '../outputs.js';
import { zoneOf } from './zone.js';
import { applyChanges, isAlreadyGone, recordSetsOf, sameName } from '../route53.js';
import { CERTIFICATE, describe, validationRecordsOf } from './certificate.js';

export const VALIDATION_RECORDS = 'domain.validation-records';

/** ACM validation CNAMEs are small and never change: a short TTL lets a mistake go quickly. */
const TTL = 300;

/**
 * How long issuance may take once the records are in DNS. AWS: "it can take up to 30 minutes" after ACM sees the
 * record (ACM User Guide, "DNS validation"); most take a few minutes.
 */
const ISSUE_TIMEOUT_MS = 45 * 60_000;

/** The validation records of the certificate that are in the zone with ACM's value. */
async function present(ctx: ResourceContext, zoneId: string, wanted: DnsRecord[]): Promise<DnsRecord[]> {
  const found: DnsRecord[] = [];
  for (const record of wanted) {
    const sets = await recordSetsOf(ctx, zoneId, record.name);
    const set = sets.find((s) => s.Type === record.type);
    const values = (set?.ResourceRecords ?? []).map((r) => normalizeName(r.Value ?? ''));
    if (values.includes(normalizeName(record.value))) found.push(record);
  }
  return found;
}

async function waitIssued(ctx: ResourceContext, certificate: CertificateOutput): Promise<string> {
  const started = Date.now();
  return ctx.poll(
    `ACM to issue ${certificate.certificateArn}`,
    async () => {
      const detail = await describe(ctx, certificate.certificateArn);
      const status = detail?.Status ?? 'UNKNOWN';
      if (status === 'ISSUED') return status;
      if (status !== 'PENDING_VALIDATION') {
        const reason =
          detail?.FailureReason ?? detail?.DomainValidationOptions?.map((o) => o.ValidationStatus).join(', ');
        throw ctx.error({
          code: 'DOMAIN_CERTIFICATE_FAILED',
          message: `ACM did not issue ${certificate.certificateArn}: it is ${status}${reason ? ` (${reason})` : ''}.`,
          suggestions: [
            'CAA records of the domain must allow amazon.com (ACM User Guide, "CAA records"); check them with `dig CAA <domain>`.',
            'Then run the same `site deploy` again: a new certificate is requested.',
          ],
        });
      }
      ctx.progress(
        `waiting for ACM to issue the certificate (${Math.round((Date.now() - started) / 1000)}s so far; usually a few minutes)`,
      );
      return undefined;
    },
    { initialDelayMs: 2000, factor: 1.5, maxDelayMs: 15_000, timeoutMs: ISSUE_TIMEOUT_MS },
  );
}

async function upsert(ctx: ResourceContext): Promise<ValidationRecordsOutput> {
  const zone = ctx.outputs.require('domain.zone');
  const certificate = ctx.outputs.require(CERTIFICATE);
  const changes: Change[] = certificate.validationRecords.map((record) => ({
    Action: 'UPSERT',
    ResourceRecordSet: {
      Name: record.name,
      Type: record.type as 'CNAME',
      TTL,
      ResourceRecords: [{ Value: record.value }],
    },
  }));
  // Written even for an issued certificate: ACM renews through the same records.
  ctx.progress('writing the validation records');
  await applyChanges(
    ctx,
    zone.zoneId,
    changes,
    `ACM validation for ${certificate.certificateArn} (site ${ctx.config.name})`,
  );
  const status = certificate.status === 'ISSUED' ? 'ISSUED' : await waitIssued(ctx, certificate);
  return { zoneId: zone.zoneId, records: certificate.validationRecords, certificateStatus: status };
}

/**
 * Another certificate in the region that also covers one of these names relies on the same CNAME (ACM gives one
 * per account and name): such a record stays.
 */
async function sharedRecords(
  ctx: ResourceContext,
  records: DnsRecord[],
  ours: CertificateOutput,
): Promise<Set<string>> {
  const client = await acm(ctx);
  const shared = new Set<string>();
  let NextToken: string | undefined;
  do {
    const page = await client.listCertificates({ NextToken, MaxItems: 100 });
    for (const summary of page.CertificateSummaryList ?? []) {
      if (!summary.CertificateArn || summary.CertificateArn === ours.certificateArn) continue;
      const names = [summary.DomainName ?? '', ...(summary.SubjectAlternativeNameSummaries ?? [])].map(
        normalizeName,
      );
      if (!names.some((name) => ours.names.includes(name))) continue;
      const detail = await describe(ctx, summary.CertificateArn);
      for (const record of validationRecordsOf(detail ?? {}))
        if (records.some((r) => sameName(r.name, record.name))) shared.add(record.name);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return shared;
}

/** domain.validation-records: ACM's CNAMEs in the zone, then the wait until the certificate is issued. */
export function validationRecordsResource(): ResourceOf<typeof VALIDATION_RECORDS> {
  return {
    id: VALIDATION_RECORDS,
    title: 'Validation records',
    kind: 'managed',
    dependsOn: ['domain.zone', CERTIFICATE],
    iam: [
      'route53:ListResourceRecordSets',
      'route53:ChangeResourceRecordSets',
      'route53:GetChange',
      'acm:DescribeCertificate',
      'acm:ListCertificates',
    ],

    async discover(ctx) {
      if (domainConfig(ctx.config)) checkSettings(ctx);
      const zone = await zoneOf(ctx);
      const certificate = ctx.outputs.get(CERTIFICATE);
      if (!zone || !certificate?.requestedBySite) return undefined;
      const records = await present(ctx, zone.zoneId, certificate.validationRecords);
      if (records.length === 0) return undefined;
      return { zoneId: zone.zoneId, records, certificateStatus: certificate.status };
    },

    create: (ctx) => upsert(ctx),

    // Records missing, or the certificate not issued yet (a deploy interrupted while waiting): write and wait again.
    diff(ctx, found) {
      const certificate = ctx.outputs.get(CERTIFICATE);
      const changes: PlanChange[] = [];
      if (certificate && found.records.length < certificate.validationRecords.length)
        changes.push({
          field: 'validation records',
          from: found.records.length,
          to: certificate.validationRecords.length,
        });
      if (found.certificateStatus !== 'ISSUED')
        changes.push({ field: 'certificate status', from: found.certificateStatus, to: 'ISSUED' });
      return changes;
    },

    update: (ctx) => upsert(ctx),

    async destroy(ctx, found) {
      const certificate = ctx.outputs.get(CERTIFICATE);
      const shared = certificate ? await sharedRecords(ctx, found.records, certificate) : new Set<string>();
      const mine = found.records.filter((r) => !shared.has(r.name));
      if (shared.size > 0)
        ctx.log.warn(
          `Kept the validation record(s) ${[...shared].join(', ')}: another ACM certificate uses them.`,
        );
      for (const record of mine) {
        try {
          await applyChanges(
            ctx,
            found.zoneId,
            [
              {
                Action: 'DELETE',
                ResourceRecordSet: {
                  Name: record.name,
                  Type: record.type as 'CNAME',
                  TTL,
                  ResourceRecords: [{ Value: record.value }],
                },
              },
            ],
            `site ${ctx.config.name}: certificate validation no longer needed`,
          );
        } catch (error) {
          if (isAlreadyGone(ctx, error)) continue;
          // Someone changed its TTL: delete what is there, as long as it still holds ACM's value.
          if (!ctx.isAwsError(error, 'InvalidChangeBatch')) throw error;
          const set = (await recordSetsOf(ctx, found.zoneId, record.name)).find(
            (s) => s.Type === record.type,
          );
          if (
            set &&
            (set.ResourceRecords ?? []).some(
              (r) => normalizeName(r.Value ?? '') === normalizeName(record.value),
            )
          )
            await applyChanges(
              ctx,
              found.zoneId,
              [{ Action: 'DELETE', ResourceRecordSet: set }],
              `site ${ctx.config.name}: validation record`,
            );
        }
      }
    },

    async status(_ctx, found) {
      return found.records.map((record) => ({
        name: `${record.type} ${record.name}`,
        id: record.value,
        state: found.certificateStatus === 'ISSUED' ? 'validated' : 'waiting for ACM',
      }));
    },

    summarize: (found) => ({ records: found.records.map((r) => r.name) }),
  };
}
