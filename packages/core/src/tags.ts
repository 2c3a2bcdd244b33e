import type { Tag, TagHelper } from './graph/resource.js';

export const TAG_SITE = 'site:name';
export const TAG_RESOURCE = 'site:resource';
export const TAG_MANAGED_BY = 'ManagedBy';
export const MANAGED_BY = 'site';
export const TAG_NAME = 'Name';

/** The keys site sets on every resource: a user tag on one of them would be overwritten, so it is refused. */
export const SITE_OWNED_TAG_KEYS: readonly string[] = [TAG_NAME, TAG_SITE, TAG_RESOURCE, TAG_MANAGED_BY];
/**
 * The most `site:*` tags a resource adds beyond those (an instance: fingerprint, index, instance type,
 * template, user data, volume size, AMI — 7). A plugin that asks for more is refused by forResource.
 */
export const SITE_EXTRA_TAGS_MAX = 8;
/** AWS's 50 tags per resource (config/limits.ts) less what site keeps for its own. */
export const USER_TAGS_MAX = 50 - SITE_OWNED_TAG_KEYS.length - SITE_EXTRA_TAGS_MAX;

export function toRecord(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? '';
  return record;
}

export function createTagHelper(site: string, userTags: Record<string, string>): TagHelper {
  return {
    forResource(resourceId, name, extra = {}) {
      // Within its budget, site's own tags and the user's (at most USER_TAGS_MAX) stay inside AWS's 50.
      const extraKeys = Object.keys(extra);
      if (extraKeys.length > SITE_EXTRA_TAGS_MAX || extraKeys.some((key) => !key.startsWith('site:')))
        throw new Error(
          `${resourceId} asks for the extra tags ${extraKeys.join(', ')}: at most ${SITE_EXTRA_TAGS_MAX}, each site:*`,
        );
      const all: Record<string, string> = {
        ...userTags,
        ...extra,
        [TAG_NAME]: name,
        [TAG_SITE]: site,
        [TAG_RESOURCE]: resourceId,
        [TAG_MANAGED_BY]: MANAGED_BY,
      };
      return Object.entries(all).map(([Key, Value]): Tag => ({ Key, Value }));
    },
    siteFilters() {
      return [
        { Name: `tag:${TAG_SITE}`, Values: [site] },
        { Name: `tag:${TAG_MANAGED_BY}`, Values: [MANAGED_BY] },
      ];
    },
    resourceFilters(resourceId) {
      return [...this.siteFilters(), { Name: `tag:${TAG_RESOURCE}`, Values: [resourceId] }];
    },
    isOwned(tags, resourceId) {
      const record = toRecord(tags);
      return (
        record[TAG_SITE] === site &&
        record[TAG_MANAGED_BY] === MANAGED_BY &&
        (resourceId === undefined || record[TAG_RESOURCE] === resourceId)
      );
    },
    toRecord,
  };
}
