import type { Resource, SiteHooks } from '@site-cli/core/plugin';
import { albSecurityGroupResource } from '../resources/alb-security-group.js';
import { instanceSecurityGroupResource } from '../resources/instance-security-group.js';
import { publicIpResource } from '../resources/public-ip.js';
import { vpcResource } from '../resources/vpc.js';

/** Contributes the VPC lookup, the SSH source and the two security groups to the site's resource graph. */
const hook = async function (_options: SiteHooks['site:resources']['options']): Promise<Resource[]> {
  return [
    vpcResource(),
    publicIpResource(),
    albSecurityGroupResource(),
    instanceSecurityGroupResource(),
  ] as Resource[];
};

export default hook;
