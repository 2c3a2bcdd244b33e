/** Durations in ms. `secondMs` is how long one AWS-configured second (health check interval, deregistration delay) lasts. */
export interface LatencyProfile {
  instancePendingMs: number;
  httpdBootMs: number;
  instanceShuttingDownMs: number;
  terminatedVisibleMs: number;
  lbProvisioningMs: number;
  albEniReleaseMs: number;
  secondMs: number;
  /**
   * How long a new IAM instance profile stays unknown to EC2 (IAM is eventually consistent: RunInstances
   * refuses a profile created moments ago). Absent: 0.
   */
  iamPropagationMs?: number;
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
    iamPropagationMs: 0,
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
    // Seconds, in practice: AWS documents the delay without a figure; tools retry RunInstances ~10 s.
    iamPropagationMs: 8_000,
  },
};

export function resolveProfile(
  p: 'fast' | 'realistic' | LatencyProfile | undefined,
  timeScale = 1,
): LatencyProfile {
  const base = typeof p === 'string' ? profiles[p] : (p ?? profiles.fast);
  if (!base) throw new Error(`unknown profile ${String(p)}`);
  const out = { ...base };
  for (const k of Object.keys(out) as (keyof LatencyProfile)[]) out[k] = (out[k] ?? 0) * timeScale;
  return out;
}
