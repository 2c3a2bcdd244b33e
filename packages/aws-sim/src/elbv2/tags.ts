import type { SimContext } from '../context.js';
import type { ActionDef } from '../service.js';
import { err } from '../errors.js';
import { checkTags, elbTags, validation } from './common.js';

function requireResource(ctx: SimContext, arn: string): void {
  const s = ctx.state;
  if (arn.includes(':loadbalancer/')) {
    if (!s.loadBalancers.some((l) => l.arn === arn))
      throw err('LoadBalancerNotFound', `Load balancer '${arn}' not found`);
  } else if (arn.includes(':targetgroup/')) {
    if (!s.targetGroups.some((t) => t.arn === arn))
      throw err('TargetGroupNotFound', `Target group '${arn}' not found`);
  } else if (arn.includes(':listener/')) {
    if (!s.listeners.some((l) => l.arn === arn)) throw err('ListenerNotFound', `Listener '${arn}' not found`);
  } else if (arn.includes(':listener-rule/')) {
    // AddTags: "load balancers, target groups, trust stores, listeners, and rules" (ELBv2 API reference).
    if (!(s.rules ?? []).some((r) => r.arn === arn)) throw err('RuleNotFound', `One or more rules not found`);
  } else throw validation(`'${arn}' is not a valid resource ARN`);
}

function arnsOf(input: any): string[] {
  const arns: string[] = input.ResourceArns ?? [];
  if (!arns.length)
    throw validation(
      "1 validation error detected: Value null at 'resourceArns' failed to satisfy constraint: Member must not be null",
    );
  return arns;
}

export const elbTagActions: Record<string, ActionDef> = {
  AddTags: {
    mutating: true,
    fn(ctx, input) {
      const arns = arnsOf(input);
      const tags: { Key?: string; Value?: string }[] = input.Tags ?? [];
      if (!tags.length)
        throw validation(
          "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
        );
      checkTags(tags);
      for (const arn of arns) {
        requireResource(ctx, arn);
        const keys = new Set([...Object.keys(ctx.tagsOf(arn)), ...tags.map((t) => t.Key!)]);
        if (keys.size > 50)
          throw err(
            'TooManyTags',
            `The quota for the number of tags that can be assigned to '${arn}' has been reached`,
          );
      }
      for (const arn of arns) ctx.setTags(arn, tags);
      return {};
    },
  },
  RemoveTags: {
    mutating: true,
    fn(ctx, input) {
      const arns = arnsOf(input);
      const keys: string[] = input.TagKeys ?? [];
      arns.forEach((a) => requireResource(ctx, a));
      for (const arn of arns) {
        const t = ctx.state.tags[arn];
        if (t) for (const k of keys) delete t[k];
      }
      return {};
    },
  },
  DescribeTags: {
    mutating: false,
    fn(ctx, input) {
      const arns = arnsOf(input);
      if (arns.length > 20) throw validation('You can specify up to 20 resource ARNs');
      arns.forEach((a) => requireResource(ctx, a));
      return { TagDescriptions: arns.map((arn) => ({ ResourceArn: arn, Tags: elbTags(ctx, arn) })) };
    },
  },
};
