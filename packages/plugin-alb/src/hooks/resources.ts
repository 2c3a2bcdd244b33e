import type { Resource, SiteHooks } from '@site-cli/core/plugin';
import { listenerResource } from '../resources/listener.js';
import { loadBalancerResource } from '../resources/load-balancer.js';
import { siteHealthResource } from '../resources/site-health.js';
import { targetGroupResource } from '../resources/target-group.js';
import { targetsResource } from '../resources/targets.js';

/** site:resources — the ALB plugin contributes the target group, load balancer, listener, targets and the final check. */
const hook = async function (_options: SiteHooks['site:resources']['options']): Promise<Resource[]> {
  return [
    targetGroupResource(),
    loadBalancerResource(),
    listenerResource(),
    targetsResource(),
    siteHealthResource(),
  ] as Resource[];
};

export default hook;
