import type { Resource, SiteHooks } from '@site-cli/core/plugin';
import { amiResource } from '../resources/ami.js';
import { instancesResource } from '../resources/instances.js';

/** site:resources — the compute plugin contributes the AMI lookup and the instances. */
const hook = async function (options: SiteHooks['site:resources']['options']): Promise<Resource[]> {
  return [amiResource(), instancesResource(options.siteConfig)] as Resource[];
};

export default hook;
