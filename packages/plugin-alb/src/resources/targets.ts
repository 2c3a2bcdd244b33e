import type { ResourceOf, ResourceContext } from '@site-cli/core/plugin';
import { targetHealth, waitHealthy } from '../health.js';
import { INSTANCE_PORT } from './target-group.js';

export const RESOURCE_ID = 'alb.targets';

function desiredIds(ctx: ResourceContext): string[] {
  const instances = ctx.outputs.get('compute.instances');
  return (instances?.instances ?? []).map((i) => i.instanceId).sort();
}

async function register(ctx: ResourceContext, targetGroupArn: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const elbv2 = await ctx.aws.elbv2();
  await elbv2.registerTargets({
    TargetGroupArn: targetGroupArn,
    Targets: ids.map((Id) => ({ Id, Port: INSTANCE_PORT })),
  });
}

async function deregister(ctx: ResourceContext, targetGroupArn: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const elbv2 = await ctx.aws.elbv2();
  try {
    await elbv2.deregisterTargets({
      TargetGroupArn: targetGroupArn,
      Targets: ids.map((Id) => ({ Id, Port: INSTANCE_PORT })),
    });
  } catch (error) {
    const code = ctx.awsErrorCode(error);
    if (code !== 'TargetGroupNotFound' && code !== 'InvalidTarget') throw error;
  }
}

/**
 * Of these registered targets, the ones an Auto Scaling group registered (its instances carry AWS's
 * `aws:autoscaling:groupName` tag): the group owns their registration, so they are never drift here and
 * never deregistered by this resource. One DescribeInstances, only when some target is not ours.
 */
async function groupManaged(ctx: ResourceContext, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const ec2 = await ctx.aws.ec2();
  const { Reservations = [] } = await ec2.describeInstances({
    Filters: [
      { Name: 'instance-id', Values: ids },
      { Name: 'tag-key', Values: ['aws:autoscaling:groupName'] },
    ],
  });
  return new Set(
    Reservations.flatMap((r) => r.Instances ?? [])
      .filter((i) => i.Tags?.some((t) => t.Key === 'aws:autoscaling:groupName'))
      .map((i) => i.InstanceId ?? ''),
  );
}

/** The registered targets that are neither wanted nor a group's: the ones to deregister. */
async function strays(ctx: ResourceContext, registered: string[], desired: string[]): Promise<string[]> {
  const extra = [...new Set(registered)].filter((id) => id && !desired.includes(id));
  const managed = await groupManaged(ctx, extra);
  return extra.filter((id) => !managed.has(id));
}

/** alb.targets: the site's instances registered in the target group. */
export function targetsResource(): ResourceOf<typeof RESOURCE_ID> {
  return {
    id: RESOURCE_ID,
    title: 'Targets',
    kind: 'managed',
    dependsOn: ['alb.target-group', 'compute.instances'],
    iam: [
      'ec2:DescribeInstances',
      'elasticloadbalancing:DescribeTargetHealth',
      'elasticloadbalancing:RegisterTargets',
      'elasticloadbalancing:DeregisterTargets',
    ],

    async discover(ctx) {
      const tg = ctx.outputs.get('alb.target-group');
      if (!tg) return undefined;
      const health = await targetHealth(ctx, tg.targetGroupArn);
      const registered = (health ?? []).filter((h) => h.state !== 'draining');
      if (registered.length === 0) return undefined;
      return {
        targetGroupArn: tg.targetGroupArn,
        instanceIds: registered.map((h) => h.instanceId).sort(),
        health: registered,
      };
    },

    // Registering is all: health needs the listener, and alb.site-health waits for it.
    async create(ctx) {
      const tg = ctx.outputs.require('alb.target-group');
      const ids = desiredIds(ctx);
      await register(ctx, tg.targetGroupArn, ids);
      return { targetGroupArn: tg.targetGroupArn, instanceIds: ids };
    },

    async diff(ctx, found) {
      const desired = desiredIds(ctx);
      const registered = [...found.instanceIds].sort();
      if (desired.join(',') === registered.join(',')) return [];
      const missing = desired.filter((id) => !registered.includes(id));
      if (missing.length === 0 && (await strays(ctx, registered, desired)).length === 0) return [];
      return [{ field: 'registered instances', from: registered, to: desired }];
    },

    /** Zero downtime: register the new ones, wait until they are healthy, only then deregister the rest. */
    async update(ctx, found) {
      const tg = ctx.outputs.require('alb.target-group');
      const desired = desiredIds(ctx);
      const registered = new Set(found.targetGroupArn === tg.targetGroupArn ? found.instanceIds : []);
      const missing = desired.filter((id) => !registered.has(id));
      await register(ctx, tg.targetGroupArn, missing);
      if (missing.length > 0) await waitHealthy(ctx, tg.targetGroupArn, missing);
      const now = (await targetHealth(ctx, tg.targetGroupArn)) ?? [];
      const extra = await strays(
        ctx,
        now.map((h) => h.instanceId),
        desired,
      );
      await deregister(ctx, tg.targetGroupArn, extra);
      return { targetGroupArn: tg.targetGroupArn, instanceIds: desired };
    },

    // Deleting the target group deregisters everything anyway; this keeps destroy of the targets alone correct.
    async destroy(ctx, found) {
      await deregister(ctx, found.targetGroupArn, found.instanceIds);
    },

    async status(ctx, found) {
      const health = (await targetHealth(ctx, found.targetGroupArn)) ?? found.health ?? [];
      return health.map((h) => ({
        name: 'target',
        id: h.instanceId,
        state: h.state,
        detail: [h.reason, h.description].filter(Boolean).join(': ') || undefined,
      }));
    },

    summarize: (found) => ({ targetGroupArn: found.targetGroupArn, instanceIds: found.instanceIds }),
  };
}
