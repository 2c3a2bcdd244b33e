import type { SimContext } from '../context.js';
import { AwsError, err } from '../errors.js';
import { toTagList } from '../filters.js';

// Handlers of both services share these with the dispatch; kept reachable here for the EC2 handlers.
export { type ActionDef, type Handler, NO_CHANGE } from '../service.js';

export function tagsOut(ctx: SimContext, id: string) {
  const t = toTagList(ctx.tagsOf(id));
  return t.length ? t : undefined;
}

/** DryRun: answer DryRunOperation (412) only when the call would otherwise succeed. */
export function dryRunCheck(input: { DryRun?: boolean }): void {
  if (input.DryRun)
    throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
}

export function tagSpecs(input: any, resourceType: string): { Key?: string; Value?: string }[] {
  const specs: any[] = input.TagSpecifications ?? [];
  const known = [
    'instance',
    'volume',
    'security-group',
    'key-pair',
    'network-interface',
    'security-group-rule',
    'launch-template',
  ];
  for (const s of specs)
    if (s.ResourceType && !known.includes(s.ResourceType))
      throw err(
        'InvalidParameterValue',
        `'${s.ResourceType}' is not a valid taggable resource type for this operation.`,
      );
  return specs.filter((s) => s.ResourceType === resourceType).flatMap((s) => s.Tags ?? []);
}

export function notFoundList(code: string, noun: string, ids: string[]): AwsError {
  return ids.length === 1
    ? err(code, `The ${noun} '${ids[0]}' does not exist`)
    : err(code, `The ${noun}s '${ids.join(', ')}' do not exist`);
}

export function checkMaxResults(max: number | undefined, min = 5, maxV = 1000): void {
  if (max !== undefined && (max < min || max > maxV))
    throw err(
      'InvalidParameterValue',
      `Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between ${min} and ${maxV}.`,
    );
}
