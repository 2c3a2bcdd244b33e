import type { Resource, SiteHooks } from '@site-cli/core/plugin';
import { amiResource } from '../resources/ami.js';
import { instancesResource } from '../resources/instances.js';
import { launchSpecResource } from '../resources/launch-spec.js';

/** site:resources — the compute plugin contributes the AMI lookup, the instances and their launch spec. */
const hook = async function (options: SiteHooks['site:resources']['options']): Promise<Resource[]> {
  return [
    amiResource(),
    instancesResource(options.siteConfig),
    launchSpecResource(options.siteConfig),
  ] as Resource[];
};

export default hook;
