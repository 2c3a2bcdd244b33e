/**
 * Waiting for instances to run or to be gone. Not the SDK's waiters (waitUntilInstanceRunning /
 * …Terminated): they wait at least 15 s between calls, cannot say "1/2 instances running", ignore the run's
 * time scale (tests, benchmarks) and end a failed launch with a generic message, where ctx.poll polls with
 * short growing delays, reports progress, stops on the run's abort signal, and we name the instance and AWS's
 * reason for its failure.
 */
import type { Instance } from '@aws-sdk/client-ec2';
import type { ResourceContext } from '@site-cli/core/plugin';
import { describeByIds } from './find.js';

const RUNNING_POLL = { initialDelayMs: 1000, factor: 1.5, maxDelayMs: 5000, timeoutMs: 10 * 60_000 };
const TERMINATED_POLL = { initialDelayMs: 2000, factor: 1.5, maxDelayMs: 5000, timeoutMs: 10 * 60_000 };

/** States an instance does not come back from to running by itself: the launch failed. */
const FAILED_STATES = new Set(['shutting-down', 'terminated', 'stopped', 'stopping']);

const plural = (ids: string[]) => (ids.length > 1 ? 's' : '');

/** Wait until every instance of `ids` is running; throws INSTANCE_LAUNCH_FAILED when one stops or ends. */
export async function waitRunning(ctx: ResourceContext, ids: string[]): Promise<Instance[]> {
  if (ids.length === 0) return [];
  return ctx.poll(
    `instance${plural(ids)} ${ids.join(', ')} to be running`,
    async () => {
      const found = await describeByIds(ctx, ids);
      for (const instance of found.values()) {
        const state = instance.State?.Name;
        if (state !== undefined && FAILED_STATES.has(state)) {
          const reason = instance.StateReason?.Message ?? instance.StateTransitionReason ?? 'no reason given';
          throw ctx.error({
            code: 'INSTANCE_LAUNCH_FAILED',
            message: `Instance ${instance.InstanceId} went ${state} instead of running: ${reason}.`,
            suggestions: [
              'Check the instance type is offered in this AZ and the account has vCPU quota left.',
              'Run `site deploy` again to launch a replacement.',
            ],
            details: { instanceId: instance.InstanceId, state, reason },
          });
        }
      }
      const running = ids.filter((id) => found.get(id)?.State?.Name === 'running');
      ctx.progress(`${running.length}/${ids.length} instance${plural(ids)} running`);
      return running.length === ids.length ? ids.map((id) => found.get(id) as Instance) : undefined;
    },
    RUNNING_POLL,
  );
}

/** Wait until none of `ids` is left but terminated (an id AWS no longer knows counts as gone). */
export async function waitTerminated(ctx: ResourceContext, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await ctx.poll(
    `instance${plural(ids)} ${ids.join(', ')} to terminate`,
    async () => {
      const found = await describeByIds(ctx, ids);
      const left = ids.filter((id) => {
        const state = found.get(id)?.State?.Name;
        return state !== undefined && state !== 'terminated';
      });
      ctx.progress(`${ids.length - left.length}/${ids.length} terminated`);
      return left.length === 0 ? true : undefined;
    },
    TERMINATED_POLL,
  );
}
