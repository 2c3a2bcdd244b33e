/** The group's waits, each with a deadline (ctx.poll): capacity in service, a refresh done, the group gone. */
import type { ResourceContext } from '@site-cli/core/plugin';
import type { GroupOutput, InstanceRefreshInfo } from '../outputs.js';
import { GROUP_NAME_TAG } from '../names.js';
import { describeGroup, groupOutput, latestRefresh } from './find.js';

/** Long enough for a first boot that installs httpd and fetches the template, as compute's waits. */
const CAPACITY_TIMEOUT_MS = 20 * 60_000;
const REFRESH_TIMEOUT_MS = 60 * 60_000;
const POLL = { initialDelayMs: 1000, factor: 1.5, maxDelayMs: 5000 };

/** Target health states that count: healthy, or unused while no listener routes to the target group yet. */
const SERVING = new Set(['healthy', 'unused']);

/**
 * Wait until `desired` instances are InService and Healthy in the group and healthy in its target group
 * (`unused` counts while no listener uses the target group yet: the site's own check waits for the answer).
 */
export async function waitCapacity(
  ctx: ResourceContext,
  name: string,
  desired: number,
  targetGroupArn: string | undefined,
): Promise<GroupOutput> {
  const elbv2 = targetGroupArn ? await ctx.aws.elbv2() : undefined;
  return ctx.poll(
    `${desired} healthy instance${desired === 1 ? '' : 's'} in ${name}`,
    async () => {
      const group = await describeGroup(ctx, name);
      if (!group)
        throw ctx.error({ code: 'GROUP_GONE', message: `The Auto Scaling group ${name} disappeared.` });
      const output = groupOutput(group);
      const inService = output.instances.filter(
        (i) => i.lifecycleState === 'InService' && i.healthStatus === 'Healthy',
      );
      if (inService.length < desired) {
        ctx.progress(`${inService.length}/${desired} in service`);
        return undefined;
      }
      if (!elbv2) return output;
      const { TargetHealthDescriptions = [] } = await elbv2.describeTargetHealth({
        TargetGroupArn: targetGroupArn,
        Targets: inService.map((i) => ({ Id: i.instanceId, Port: 80 })),
      });
      const healthy = TargetHealthDescriptions.filter((d) => SERVING.has(d.TargetHealth?.State ?? ''));
      ctx.progress(`${healthy.length}/${desired} healthy behind the load balancer`);
      return healthy.length >= desired ? output : undefined;
    },
    { ...POLL, timeoutMs: CAPACITY_TIMEOUT_MS },
  );
}

/** Wait until the refresh ends; Successful resolves, anything else fails with AWS's reason. Ctrl-C leaves it running. */
export async function waitRefresh(
  ctx: ResourceContext,
  name: string,
  refreshId: string,
): Promise<InstanceRefreshInfo> {
  const done = await ctx.poll(
    `instance refresh ${refreshId} of ${name}`,
    async () => {
      const refresh = await latestRefresh(ctx, name);
      if (!refresh) return undefined;
      if (refresh.instanceRefreshId !== refreshId) return refresh;
      ctx.progress(`instance refresh ${refresh.status} (${refresh.percentageComplete ?? 0}%)`);
      return ['Successful', 'Failed', 'Cancelled', 'RollbackSuccessful', 'RollbackFailed'].includes(
        refresh.status,
      )
        ? refresh
        : undefined;
    },
    { ...POLL, maxDelayMs: 10_000, timeoutMs: REFRESH_TIMEOUT_MS },
  );
  if (done.status !== 'Successful' && done.instanceRefreshId === refreshId)
    throw ctx.error({
      code: 'INSTANCE_REFRESH_FAILED',
      message: `The instance refresh ${refreshId} of ${name} ended ${done.status}: ${done.statusReason ?? 'AWS gave no reason'}.`,
      suggestions: [
        'Run `site status` for the group’s last scaling activities and their causes.',
        'Fix the cause and run `site deploy` again: it starts a new refresh.',
      ],
      details: { refresh: done },
    });
  return done;
}

/** Wait until the group is gone and none of its instances is left running. */
export async function waitGone(ctx: ResourceContext, name: string): Promise<void> {
  await ctx.poll(
    `${name} to be deleted`,
    async () => {
      const group = await describeGroup(ctx, name);
      if (group)
        ctx.progress(`${group.Status ?? 'deleting'}: ${group.Instances?.length ?? 0} instances left`);
      return group ? undefined : true;
    },
    { ...POLL, maxDelayMs: 10_000, timeoutMs: CAPACITY_TIMEOUT_MS },
  );
  const ec2 = await ctx.aws.ec2();
  await ctx.poll(
    `the instances of ${name} to terminate`,
    async () => {
      const { Reservations = [] } = await ec2.describeInstances({
        Filters: [
          { Name: `tag:${GROUP_NAME_TAG}`, Values: [name] },
          {
            Name: 'instance-state-name',
            Values: ['pending', 'running', 'stopping', 'stopped', 'shutting-down'],
          },
        ],
      });
      const left = Reservations.flatMap((r) => r.Instances ?? []).length;
      if (left > 0) ctx.progress(`${left} instances terminating`);
      return left === 0 ? true : undefined;
    },
    { ...POLL, maxDelayMs: 10_000, timeoutMs: CAPACITY_TIMEOUT_MS },
  );
}
