/**
 * Every item of every page an AWS SDK paginator yields (`paginateDescribeInstances(…)` and the like), in order.
 * The SDK's paginators follow NextToken / Marker themselves; this only flattens what they yield, so no plugin
 * writes a paging loop by hand.
 */
export async function allPages<Page, Item>(
  pages: AsyncIterable<Page>,
  items: (page: Page) => readonly Item[] | undefined,
): Promise<Item[]> {
  const all: Item[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}
