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
  /** Any other resource: '<site>-<suffix>', clipped to `max` characters without a trailing hyphen. */
  derive(suffix: string, max?: number): string;
}

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
    derive,
  };
}
