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
    // ACM: the validation CNAME is in DescribeCertificate seconds after the request ("it can take a few
    // seconds", the DescribeCertificate API reference); once the record resolves, DNS validation issues "in
    // minutes" (ACM User Guide, DNS validation: "can take several minutes"; a certificate not validated in
    // 72 hours fails). Route 53: a change is INSYNC once every name server has it, "generally within 60
    // seconds" (Route 53 Developer Guide, "Checking the status of your changes").
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
