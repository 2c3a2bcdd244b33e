/** Durations in ms. `secondMs` is how long one AWS-configured second (health check interval, deregistration delay) lasts. */
export interface LatencyProfile {
  instancePendingMs: number;
  httpdBootMs: number;
  instanceShuttingDownMs: number;
  terminatedVisibleMs: number;
  lbProvisioningMs: number;
  albEniReleaseMs: number;
  secondMs: number;
  /** RequestCertificate → its DNS validation records appear in DescribeCertificate. */
  acmValidationRecordMs: number;
  /** The validation CNAME found in an authoritative zone → the certificate ISSUED. */
  acmIssueMs: number;
  /** Without its validation records, a certificate fails (AWS: 72 hours). */
  acmValidationTimeoutMs: number;
  /** A Route 53 change batch PENDING → INSYNC. */
  route53SyncMs: number;
}

export const profiles: Record<'fast' | 'realistic', LatencyProfile> = {
  fast: {
    instancePendingMs: 300,
    httpdBootMs: 300,
    instanceShuttingDownMs: 300,
    terminatedVisibleMs: 60_000,
    lbProvisioningMs: 500,
    albEniReleaseMs: 300,
    secondMs: 3,
    acmValidationRecordMs: 100,
    acmIssueMs: 300,
    acmValidationTimeoutMs: 72 * 3_600_000,
    route53SyncMs: 200,
  },
  // From real runs in us-east-1 (t3.micro, AL2023, internet-facing ALB).
  realistic: {
    instancePendingMs: 15_000,
    httpdBootMs: 45_000,
    instanceShuttingDownMs: 30_000,
    terminatedVisibleMs: 3_600_000,
    lbProvisioningMs: 150_000,
    albEniReleaseMs: 60_000,
    secondMs: 1000,
    // ACM: "there is a delay of several seconds" after RequestCertificate before the certificate's details (its
    // validation CNAMEs) can be read (ACM API reference, RequestCertificate); a certificate not validated within
    // 72 hours times out (ACM User Guide, DNS validation troubleshooting). AWS gives no figure for issuance once
    // the CNAME resolves; reports range from a minute or two to about 15 minutes: 3 minutes here.
    // Route 53: "changes generally propagate to all Route 53 name servers within 60 seconds" (API reference,
    // ChangeResourceRecordSets), when GetChange turns INSYNC.
    acmValidationRecordMs: 5_000,
    acmIssueMs: 180_000,
    acmValidationTimeoutMs: 72 * 3_600_000,
    route53SyncMs: 45_000,
  },
};

export function resolveProfile(
  p: 'fast' | 'realistic' | LatencyProfile | undefined,
  timeScale = 1,
): LatencyProfile {
  const base = typeof p === 'string' ? profiles[p] : (p ?? profiles.fast);
  if (!base) throw new Error(`unknown profile ${String(p)}`);
  const out = { ...base };
  for (const k of Object.keys(out) as (keyof LatencyProfile)[]) out[k] = out[k] * timeScale;
  return out;
}
