import type { ResourceContext } from '@site-cli/core/plugin';

/** DescribeTags for one ELBv2 resource: ELBv2 has no server-side tag filter, so ownership is proven here. */
export async function tagsOf(ctx: ResourceContext, arn: string): Promise<{ Key?: string; Value?: string }[]> {
  const elbv2 = await ctx.aws.elbv2();
  const { TagDescriptions = [] } = await elbv2.describeTags({ ResourceArns: [arn] });
  return TagDescriptions.find((d) => d.ResourceArn === arn)?.Tags ?? TagDescriptions[0]?.Tags ?? [];
}

/** Throw the conflict error unless the resource carries this site's tags for `resourceId`. */
export async function assertOwned(
  ctx: ResourceContext,
  arn: string,
  resourceId: string,
  what: { code: string; kind: string; name: string },
): Promise<void> {
  const tags = await tagsOf(ctx, arn);
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
