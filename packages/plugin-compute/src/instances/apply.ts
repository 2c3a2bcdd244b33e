/** Applying: converge on the spec (create and update alike) and terminate (finalize and destroy). */
import type { ResourceContext } from '@site-cli/core/plugin';
import type { InstancesOutput } from '../outputs.js';
import { desiredSpec, TAG_INDEX } from '../spec.js';
import { describeSiteInstances, tagValue } from './find.js';
import { launch, launchInputs } from './launch.js';
import { missingIndexes, partition } from './plan.js';
import { instancesOutput } from './status.js';
import { waitRunning, waitTerminated } from './wait.js';

/** Keep what matches, launch what is missing, wait until running. Stale instances are left for finalize. */
export async function converge(ctx: ResourceContext): Promise<InstancesOutput> {
  const spec = await desiredSpec(ctx);
  // Discovery first, always: a resumed deploy never launches a duplicate.
  const { keep, stale } = partition(await describeSiteInstances(ctx), spec);
  const missing = missingIndexes(keep, spec.count);
  const retiring = new Set(stale.map((i) => i.InstanceId ?? ''));
  let launched: string[] = [];
  if (missing.length > 0) {
    const inputs = await launchInputs(ctx, spec);
    ctx.progress(
      `launching ${missing.length} instance${missing.length > 1 ? 's' : ''} (${spec.instanceType})`,
    );
    launched = await Promise.all(missing.map((index) => launch(ctx, inputs, index, retiring)));
  }
  const ids = [...keep.map((i) => i.InstanceId as string), ...launched];
  const running = await waitRunning(ctx, ids);
  const ordered = running.sort((a, b) => Number(tagValue(a, TAG_INDEX)) - Number(tagValue(b, TAG_INDEX)));
  return instancesOutput(ctx, spec, ordered, stale, ctx.outputs.get('compute.ami')?.imageId);
}

/** TerminateInstances for `ids` (ids AWS no longer knows are already gone), then wait until terminated. */
export async function terminateAndWait(ctx: ResourceContext, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const ec2 = await ctx.aws.ec2();
  try {
    await ec2.terminateInstances({ InstanceIds: ids });
  } catch (error) {
    if (ctx.awsErrorCode(error) !== 'InvalidInstanceID.NotFound') throw error;
    // One unknown id fails the whole call: terminate one by one.
    for (const id of ids) {
      try {
        await ec2.terminateInstances({ InstanceIds: [id] });
      } catch (inner) {
        if (ctx.awsErrorCode(inner) !== 'InvalidInstanceID.NotFound') throw inner;
      }
    }
  }
  await waitTerminated(ctx, ids);
}
