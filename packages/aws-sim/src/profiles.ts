/** Durations in ms. `secondMs` is how long one AWS-configured second (health check interval, deregistration delay) lasts. */
export interface LatencyProfile {
  instancePendingMs: number;
  httpdBootMs: number;
  instanceShuttingDownMs: number;
  terminatedVisibleMs: number;
  lbProvisioningMs: number;
  albEniReleaseMs: number;
  secondMs: number;
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
