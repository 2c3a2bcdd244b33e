import type { Resource, SiteHooks } from '@site-cli/core/plugin';
import { groupResource } from '../resources/group.js';
import { launchTemplateResource } from '../resources/launch-template.js';
import { policyResource } from '../resources/policy.js';

/**
 * site:resources — the launch template, the group and its policy. Always contributed: without instance.scaling
 * they are unwanted (Resource.wanted), so a site that drops scaling loses its group after the deploy's checks.
 */
const hook = async function (_options: SiteHooks['site:resources']['options']): Promise<Resource[]> {
  return [launchTemplateResource(), groupResource(), policyResource()] as Resource[];
};

export default hook;
