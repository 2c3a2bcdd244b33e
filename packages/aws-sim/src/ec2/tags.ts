import type { SimContext } from '../context.js';
import { err } from '../errors.js';
import { applyFilters, paginate } from '../filters.js';
import { type ActionDef, checkMaxResults, dryRunCheck } from './common.js';

const TYPES: [string, string, string][] = [
  ['i-', 'instance', 'InvalidInstanceID.NotFound'],
  ['sgr-', 'security-group-rule', 'InvalidSecurityGroupRuleId.NotFound'],
  ['sg-', 'security-group', 'InvalidGroup.NotFound'],
  ['key-', 'key-pair', 'InvalidKeyPair.NotFound'],
  ['vol-', 'volume', 'InvalidVolume.NotFound'],
  ['vpc-', 'vpc', 'InvalidVpcID.NotFound'],
  ['subnet-', 'subnet', 'InvalidSubnetID.NotFound'],
  ['ami-', 'image', 'InvalidAMIID.NotFound'],
  ['lt-', 'launch-template', 'InvalidLaunchTemplateId.NotFound'],
];

export function resourceType(id: string): string | undefined {
  return TYPES.find(([p]) => id.startsWith(p))?.[1];
}

/** Every EC2 resource id that currently exists, with its type. */
function ec2Resources(ctx: SimContext): Map<string, string> {
  const m = new Map<string, string>();
  const s = ctx.state;
  s.vpcs.forEach((v) => m.set(v.id, 'vpc'));
  s.subnets.forEach((v) => m.set(v.id, 'subnet'));
  s.images.forEach((v) => m.set(v.id, 'image'));
  s.keyPairs.forEach((v) => m.set(v.id, 'key-pair'));
  (s.launchTemplates ?? []).forEach((v) => m.set(v.id, 'launch-template'));
  for (const g of s.securityGroups) {
    m.set(g.id, 'security-group');
    [...g.ingress, ...g.egress].forEach((r) => m.set(r.ruleId, 'security-group-rule'));
  }
  for (const i of s.instances) {
    if (!ctx.instanceVisible(i)) continue;
    m.set(i.id, 'instance');
    if (ctx.instanceStateName(i) !== 'terminated') i.blockDevices.forEach((b) => m.set(b.volumeId, 'volume'));
  }
  return m;
}

function checkResources(ctx: SimContext, ids: string[]): void {
  if (!ids.length) throw err('MissingParameter', 'The request must contain the parameter resourceIdSet');
  const known = ec2Resources(ctx);
  for (const id of ids) {
    if (known.has(id)) continue;
    const t = TYPES.find(([p]) => id.startsWith(p));
    if (!t) throw err('InvalidID', `The ID '${id}' is not valid`);
    throw err(t[2], `The ${t[1].replace(/-/g, ' ')} ID '${id}' does not exist`);
  }
}

export const tagActions: Record<string, ActionDef> = {
  CreateTags: {
    mutating: true,
    fn(ctx, input) {
      const ids: string[] = input.Resources ?? [];
      checkResources(ctx, ids);
      const tags: { Key?: string; Value?: string }[] = input.Tags ?? [];
      if (!tags.length) throw err('MissingParameter', 'The request must contain the parameter tagSet');
      for (const t of tags) {
        if (!t.Key) throw err('InvalidParameterValue', 'Tag keys must not be empty');
        if (t.Key.length > 128)
          throw err('InvalidParameterValue', `Tag key exceeds the maximum length of 128 characters`);
        if (t.Key.toLowerCase().startsWith('aws:'))
          throw err('InvalidParameterValue', "Tag keys starting with 'aws:' are reserved for internal use");
        if ((t.Value ?? '').length > 256)
          throw err('InvalidParameterValue', `Tag value exceeds the maximum length of 256 characters`);
      }
      for (const id of ids)
        if (
          Object.keys({ ...ctx.tagsOf(id), ...Object.fromEntries(tags.map((t) => [t.Key, 1])) }).length > 50
        )
          throw err(
            'TagLimitExceeded',
            `The maximum number of tags per resource (50) has been exceeded for resource ${id}`,
          );
      dryRunCheck(input);
      for (const id of ids) ctx.setTags(id, tags);
      return {};
    },
  },
  DeleteTags: {
    mutating: true,
    fn(ctx, input) {
      const ids: string[] = input.Resources ?? [];
      checkResources(ctx, ids);
      const tags: { Key?: string; Value?: string }[] | undefined = input.Tags;
      dryRunCheck(input);
      for (const id of ids) {
        const t = ctx.state.tags[id];
        if (!t) continue;
        if (!tags?.length) delete ctx.state.tags[id];
        else
          for (const { Key, Value } of tags)
            if (Key !== undefined && (Value === undefined || t[Key] === Value)) delete t[Key];
      }
      return {};
    },
  },
  DescribeTags: {
    mutating: false,
    fn(ctx, input) {
      checkMaxResults(input.MaxResults, 5, 1000);
      const known = ec2Resources(ctx);
      const rows: { Key: string; Value: string; ResourceId: string; ResourceType: string }[] = [];
      for (const [id, tags] of Object.entries(ctx.state.tags)) {
        const type = known.get(id);
        if (!type) continue;
        for (const [Key, Value] of Object.entries(tags))
          rows.push({ Key, Value, ResourceId: id, ResourceType: type });
      }
      const filtered = applyFilters(
        rows,
        input.Filters,
        {
          'resource-id': (r) => r.ResourceId,
          'resource-type': (r) => r.ResourceType,
          key: (r) => r.Key,
          value: (r) => r.Value,
        },
        (r) => ({ [r.Key]: r.Value }),
      );
      dryRunCheck(input);
      const { page, next } = paginate(filtered, input.MaxResults, input.NextToken);
      return { Tags: page, NextToken: next };
    },
  },
};
