import type { ResourceContext } from '@site-cli/core/plugin';

export type TagList = { Key?: string; Value?: string }[];

/** ELBv2's DescribeTags takes at most this many ARNs per call. */
const DESCRIBE_TAGS_MAX = 20;

/**
 * DescribeTags for several ELBv2 resources at once (ELBv2 has no server-side tag filter, so ownership is
 * proven here): tags by ARN.
 */
export async function tagsOfMany(ctx: ResourceContext, arns: string[]): Promise<Map<string, TagList>> {
  const elbv2 = await ctx.aws.elbv2();
  const tags = new Map<string, TagList>();
  for (let start = 0; start < arns.length; start += DESCRIBE_TAGS_MAX) {
    const batch = arns.slice(start, start + DESCRIBE_TAGS_MAX);
    const { TagDescriptions = [] } = await elbv2.describeTags({ ResourceArns: batch });
    for (const description of TagDescriptions)
      if (description.ResourceArn) tags.set(description.ResourceArn, description.Tags ?? []);
    // A single answer without its ARN (some emulators) belongs to the single ARN asked for.
    if (batch.length === 1 && !tags.has(batch[0]!)) tags.set(batch[0]!, TagDescriptions[0]?.Tags ?? []);
  }
  return tags;
}

/** DescribeTags for one ELBv2 resource. */
export async function tagsOf(ctx: ResourceContext, arn: string): Promise<TagList> {
  return (await tagsOfMany(ctx, [arn])).get(arn) ?? [];
}

/**
 * Throw the conflict error unless the resource carries this site's tags for `resourceId`.
 * `known` are its tags when this run already has them (one DescribeTags for several resources).
 */
export async function assertOwned(
  ctx: ResourceContext,
  arn: string,
  resourceId: string,
  what: { code: string; kind: string; name: string },
  known?: TagList,
): Promise<void> {
  const tags = known ?? (await tagsOf(ctx, arn));
  if (ctx.tags.isOwned(tags, resourceId)) return;
  const record = ctx.tags.toRecord(tags);
  const owner = record['site:name']
    ? ` (it belongs to site "${record['site:name']}")`
    : ' (it has no site tags)';
  throw ctx.error({
    code: what.code,
    message: `A ${what.kind} named ${what.name} already exists in ${ctx.config.region} but was not created by this site${owner}. site will not adopt or delete it.`,
    suggestions: [
      `Choose another site name (name: in the config) so the ${what.kind} is named differently.`,
      `Or delete ${what.name} yourself if it is unused.`,
    ],
    // Found while planning, before anything is touched: input to change, like the other conflicts.
    exitCode: 2,
    details: { resourceId, arn, name: what.name },
  });
}
