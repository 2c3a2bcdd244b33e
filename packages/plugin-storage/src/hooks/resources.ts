import type { Resource, SiteHooks } from '@site-cli/core/plugin';
import { bucketResource } from '../resources/bucket.js';
import { contentLiveResource } from '../resources/content-live.js';
import { contentResource } from '../resources/content.js';
import { instanceProfileResource } from '../resources/instance-profile.js';
import { instanceRoleResource } from '../resources/instance-role.js';

/**
 * site:resources — with `source.dir` set: the bucket, the instance role and profile, the content and the wait
 * until every target serves it. Without it the plugin plans nothing.
 */
const hook = async function (options: SiteHooks['site:resources']['options']): Promise<Resource[]> {
  if (!options.siteConfig.source?.dir) return [];
  return [
    bucketResource(),
    instanceRoleResource(),
    instanceProfileResource(),
    contentResource(),
    contentLiveResource(),
  ] as Resource[];
};

export default hook;
