import type { DoctorCheck, ResourceContext } from '@site-cli/core/plugin';
import { accountLimits } from './quotas.js';

/** Below this many left after the site's own, a quota is worth a warning. */
export const LOW_HEADROOM = 2;

export interface QuotaUse {
  /** The quota's name, as DescribeAccountLimits gives it. */
  limit: string;
  noun: string;
  region: string;
  max: number | undefined;
  used: number;
  /** How many more the site needs: 1 when its own does not exist yet, else 0. */
  needed: number;
}

/** Whether the account has room for what the configuration asks for under one ELB quota. */
export function quotaCheck(use: QuotaUse): DoctorCheck {
  const name = `quota ${use.limit}`;
  const raise = `Delete ones you no longer need (\`site destroy\` the sites you are done with), or request a higher quota in the Service Quotas console (Elastic Load Balancing, ${use.region}).`;
  if (use.max === undefined || !Number.isFinite(use.max))
    return {
      name,
      status: 'warn',
      message: `The quota ${use.limit} could not be read (DescribeAccountLimits): headroom unknown.`,
      fix: 'Allow elasticloadbalancing:DescribeAccountLimits (see `site iam-policy`).',
    };
  const left = use.max - use.used - use.needed;
  const counted = `${use.used} of ${use.max} ${use.noun} in ${use.region}${use.needed ? ', and this site needs 1 more' : ''}`;
  if (left < 0) return { name, status: 'fail', message: `${counted}: deploy would fail.`, fix: raise };
  if (left < LOW_HEADROOM)
    return { name, status: 'warn', message: `${counted}: ${left} left after it.`, fix: raise };
  return { name, status: 'pass', message: `${counted}: ${left} left.` };
}

/** The doctor check of one ELB quota, counting what exists with `count`. */
export async function quotaDoctor(
  ctx: ResourceContext,
  quota: { limit: string; noun: string; count: () => Promise<number> },
  exists: boolean,
): Promise<DoctorCheck[]> {
  const max = (await accountLimits(ctx))?.get(quota.limit);
  const used = max === undefined ? 0 : await quota.count();
  return [quotaCheck({ ...quota, region: ctx.config.region, max, used, needed: exists ? 0 : 1 })];
}
