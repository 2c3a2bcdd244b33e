import type { Tag, TagHelper } from './graph/resource.js';

export const TAG_SITE = 'site:name';
export const TAG_RESOURCE = 'site:resource';
export const TAG_MANAGED_BY = 'ManagedBy';
export const MANAGED_BY = 'site';

export function toRecord(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? '';
  return record;
}

export function createTagHelper(site: string, userTags: Record<string, string>): TagHelper {
  return {
    forResource(resourceId, name, extra = {}) {
      const all: Record<string, string> = {
        ...userTags,
        ...extra,
        Name: name,
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
