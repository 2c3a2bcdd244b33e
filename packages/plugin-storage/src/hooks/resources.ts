import type { Resource, SiteHooks } from '@site-cli/core/plugin';
import { bucketResource } from '../resources/bucket.js';
import { contentLiveResource } from '../resources/content-live.js';
import { contentResource } from '../resources/content.js';
import { instanceProfileResource } from '../resources/instance-profile.js';
import { instanceRoleResource } from '../resources/instance-role.js';

/**
 * site:resources — with `source.dir` set: the bucket, the instance role and profile, the content and the wait
 * until every target serves it. Without it the plugin plans nothing, except for `destroy`: a site whose
 * `source.dir` was taken out of its configuration still has its bucket, role and profile, and destroy must find
 * them (by their names, proven by their tags). A deploy without `source.dir` makes no storage call at all.
 */
const hook = async function (options: SiteHooks['site:resources']['options']): Promise<Resource[]> {
  if (options.siteConfig.source?.dir)
    return [
      bucketResource(),
      instanceRoleResource(),
      instanceProfileResource(),
      contentResource(),
      contentLiveResource(),
    ] as Resource[];
  if (options.command === 'destroy')
    return [
      bucketResource(),
      instanceRoleResource(),
      instanceProfileResource(),
      contentResource(),
    ] as Resource[];
  return [];
};

export default hook;
