import type { ResourceContext } from '@site-cli/core/plugin';
import type {
  Change,
  ListResourceRecordSetsCommandOutput,
  ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { route53 } from './clients.js';
import { normalizeName } from './config.js';

/** Route 53 answers names with a trailing dot and escapes some characters (\052 for *): compare them normalised. */
export const sameName = (a: string | undefined, b: string | undefined) =>
  normalizeName((a ?? '').replace(/\\052/g, '*')) === normalizeName((b ?? '').replace(/\\052/g, '*'));

/** The zone id without the `/hostedzone/` prefix Route 53 puts on it in some answers. */
export const bareZoneId = (id: string) => id.replace(/^\/?hostedzone\//, '');

/**
 * The record sets of `name` (every type), one ListResourceRecordSets from that name on: Route 53 lists in name
 * order, so the first page starting there holds them unless a name has more than a page of types.
 */
export async function recordSetsOf(
  ctx: ResourceContext,
  zoneId: string,
  name: string,
): Promise<ResourceRecordSet[]> {
  const client = await route53(ctx);
  const found: ResourceRecordSet[] = [];
  let StartRecordName: string | undefined = name;
  let StartRecordType: string | undefined;
  for (;;) {
    const page: ListResourceRecordSetsCommandOutput = await client.listResourceRecordSets({
      HostedZoneId: zoneId,
      StartRecordName,
      StartRecordType: StartRecordType as never,
      MaxItems: 100,
    });
    const sets = page.ResourceRecordSets ?? [];
    const mine = sets.filter((set) => sameName(set.Name, name));
    found.push(...mine);
    // Past our name, or the end of the zone: done.
    if (
      !page.IsTruncated ||
      mine.length < sets.length ||
      !page.NextRecordName ||
      !sameName(page.NextRecordName, name)
    )
      return found;
    StartRecordName = page.NextRecordName;
    StartRecordType = page.NextRecordType;
  }
}

/** Apply one change batch and wait until Route 53 says INSYNC (its authoritative servers have it). */
export async function applyChanges(ctx: ResourceContext, zoneId: string, changes: Change[], comment: string) {
  if (changes.length === 0) return;
  const client = await route53(ctx);
  const { ChangeInfo } = await client.changeResourceRecordSets({
    HostedZoneId: zoneId,
    ChangeBatch: { Comment: comment, Changes: changes },
  });
  const id = ChangeInfo?.Id;
  if (!id || ChangeInfo?.Status === 'INSYNC') return;
  // Route 53 documents INSYNC "generally within 60 seconds".
  await ctx.poll(
    `Route 53 change ${id.replace(/^\/change\//, '')} to be INSYNC`,
    async () => {
      const { ChangeInfo: info } = await client.getChange({ Id: id });
      return info?.Status === 'INSYNC' ? true : undefined;
    },
    { initialDelayMs: 1000, factor: 1.5, maxDelayMs: 5000, timeoutMs: 5 * 60_000 },
  );
}

/** InvalidChangeBatch when a DELETE finds the record already gone (an interrupted destroy): not an error then. */
export function isAlreadyGone(ctx: ResourceContext, error: unknown): boolean {
  return (
    ctx.isAwsError(error, 'InvalidChangeBatch') &&
    /not found|does not exist/i.test((error as Error).message ?? '')
  );
}
