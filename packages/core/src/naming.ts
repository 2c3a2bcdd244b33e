import type { SiteConfig } from './config/schema.js';
import { ELB_NAME_MAX } from './config/limits.js';

export { ELB_NAME_MAX };

/** Names of every resource, derived from the site name within AWS's limits. */
export interface Naming {
  readonly site: string;
  keyPair: string;
  instanceSecurityGroup: string;
  albSecurityGroup: string;
  instance: string;
  targetGroup: string;
  loadBalancer: string;
  /** A `source.dir` site's IAM role and instance profile (IAM names: at most 64 characters). */
  instanceRole: string;
  instanceProfile: string;
  /**
   * Its S3 bucket, '<site>-<account id>-<region>': S3 names are global, so the account and region make it unique.
   * With the account '????????????' (IAM's one-character wildcard, 12 times) it is the pattern a policy names.
   */
  bucket(accountId: string, region: string): string;
  /** Any other resource: '<site>-<suffix>', clipped to `max` characters without a trailing hyphen. */
  derive(suffix: string, max?: number): string;
}

/** IAM role and instance profile names: at most 64 characters (IAM User Guide, "IAM object quotas"). */
export const IAM_NAME_MAX = 64;

export function clipName(name: string, max: number): string {
  return name.slice(0, max).replace(/-+$/, '');
}

export function createNaming(config: Pick<SiteConfig, 'name' | 'keyName'>): Naming {
  const site = config.name;
  const derive = (suffix: string, max = 255) => clipName(`${site}-${suffix}`, max);
  return {
    site,
    keyPair: config.keyName ?? derive('key'),
    instanceSecurityGroup: derive('instance-sg'),
    albSecurityGroup: derive('alb-sg'),
    instance: derive('web'),
    targetGroup: derive('tg', ELB_NAME_MAX),
    loadBalancer: derive('alb', ELB_NAME_MAX),
    instanceRole: derive('instance-role', IAM_NAME_MAX),
    instanceProfile: derive('instance-profile', IAM_NAME_MAX),
    bucket: (accountId, region) => `${site}-${accountId}-${region}`,
    derive,
  };
}
