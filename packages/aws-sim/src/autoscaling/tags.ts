import { applyFilters, paginate } from '../filters.js';
import type { AutoScalingGroupRec } from '../state.js';
import { type ActionDef, asgState, checkMaxRecords, getGroup, validation } from './common.js';

type GroupTag = AutoScalingGroupRec['tags'][number];

export function tagOut(g: AutoScalingGroupRec, t: GroupTag) {
  return {
    ResourceId: g.name,
    ResourceType: 'auto-scaling-group',
    Key: t.Key,
    Value: t.Value,
    PropagateAtLaunch: t.PropagateAtLaunch,
  };
}

/** Tags as a request gives them, checked as AWS does (keys, reserved prefix, the 50-tag limit). */
export function checkTags(tags: any[], group?: string): GroupTag[] {
  const out: GroupTag[] = [];
  for (const t of tags) {
    if (!t.Key)
      throw validation(
        "1 validation error detected: Value null at 'tags.member.key' failed to satisfy constraint: Member must not be null",
      );
    if (t.Key.length > 128) throw validation(`Tag key exceeds the maximum length of 128 characters`);
    if (t.Key.toLowerCase().startsWith('aws:'))
      throw validation(`Tag keys starting with 'aws:' are reserved for internal use`);
    if ((t.Value ?? '').length > 256)
      throw validation(`Tag value exceeds the maximum length of 256 characters`);
    if (group !== undefined && t.ResourceId !== undefined && t.ResourceId !== group)
      throw validation(`The tag's ResourceId ${t.ResourceId} does not match the group ${group}.`);
    if (t.ResourceType !== undefined && t.ResourceType !== 'auto-scaling-group')
      throw validation(`Invalid resource type '${t.ResourceType}': tags go on 'auto-scaling-group'.`);
    out.push({ Key: t.Key, Value: t.Value ?? '', PropagateAtLaunch: t.PropagateAtLaunch ?? false });
  }
  if (new Set(out.map((t) => t.Key)).size > 50)
    throw validation('Tag limit of 50 exceeded for the Auto Scaling group.');
  return out;
}

export const asgTagActions: Record<string, ActionDef> = {
  CreateOrUpdateTags: {
    mutating: true,
    fn(ctx, input) {
      const tags: any[] = input.Tags ?? [];
      if (!tags.length)
        throw validation(
          "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
        );
      for (const t of tags) {
        const g = getGroup(ctx, t.ResourceId);
        const [tag] = checkTags([t]);
        const merged = [...g.tags.filter((x) => x.Key !== tag!.Key), tag!];
        if (merged.length > 50)
          throw validation(`Tag limit of 50 exceeded for the Auto Scaling group ${g.name}.`);
        g.tags = merged;
      }
      return {};
    },
  },
  DeleteTags: {
    mutating: true,
    fn(ctx, input) {
      const tags: any[] = input.Tags ?? [];
      if (!tags.length)
        throw validation(
          "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
        );
      for (const t of tags) {
        const g = getGroup(ctx, t.ResourceId);
        // A value given must match; without one the key goes whatever its value.
        g.tags = g.tags.filter(
          (x) => !(x.Key === t.Key && (t.Value === undefined || t.Value === '' || x.Value === t.Value)),
        );
      }
      return {};
    },
  },
  DescribeTags: {
    mutating: false,
    fn(ctx, input) {
      checkMaxRecords(input.MaxRecords, 100);
      const rows = asgState(ctx).groups.flatMap((g) => g.tags.map((t) => tagOut(g, t)));
      const list = applyFilters(rows, input.Filters, {
        'auto-scaling-group': (r) => r.ResourceId,
        key: (r) => r.Key,
        value: (r) => r.Value,
        'propagate-at-launch': (r) => String(r.PropagateAtLaunch),
      });
      const { page, next } = paginate(list, input.MaxRecords ?? 50, input.NextToken, 'InvalidNextToken');
      return { Tags: page, NextToken: next };
    },
  },
};
