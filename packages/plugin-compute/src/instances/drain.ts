import type { ResourceContext } from '@site-cli/core/plugin';

/**
 * Take instances out of the site's target group and wait until the load balancer has drained them (the target
 * group's deregistration delay), so terminating them fails no request: the load balancer stops sending new
 * requests to a draining target and lets the ones in flight finish. Only targets still registered are touched;
 * none (or no target group) is nothing to do.
 */
export async function drainTargets(ctx: ResourceContext, instanceIds: string[]): Promise<void> {
  const targetGroupArn = targetGroupOf(ctx);
  if (!targetGroupArn || instanceIds.length === 0) return;
  const elbv2 = await ctx.aws.elbv2();
  const wanted = new Set(instanceIds);
  /** Our instances among the group's targets, with their ports; undefined when the group is gone. */
  const registered = async () => {
    try {
      const { TargetHealthDescriptions = [] } = await elbv2.describeTargetHealth({
        TargetGroupArn: targetGroupArn,
      });
      return TargetHealthDescriptions.filter((d) => d.Target?.Id && wanted.has(d.Target.Id));
    } catch (error) {
      if (ctx.isAwsError(error, 'TargetGroupNotFound')) return undefined;
      throw error;
    }
  };
  const present = (await registered()) ?? [];
  const serving = present.filter((d) => d.TargetHealth?.State !== 'draining');
  if (present.length === 0) return;
  ctx.progress(`draining ${present.length} instance${present.length > 1 ? 's' : ''} from the load balancer`);
  if (serving.length > 0) {
    try {
      await elbv2.deregisterTargets({
        TargetGroupArn: targetGroupArn,
        Targets: serving.map((d) => ({ Id: d.Target!.Id!, Port: d.Target!.Port })),
      });
    } catch (error) {
      // Gone meanwhile (an instance terminated, the target group deleted): nothing left to drain.
      if (!ctx.isAwsError(error, 'TargetGroupNotFound', 'InvalidTarget')) throw error;
    }
  }
  // A deregistered target leaves the group's target list once drained (AWS: state `unused`, then gone).
  const delaySeconds = ctx.config.alb.deregistrationDelay;
  await ctx.poll(
    `${present.length} target${present.length > 1 ? 's' : ''} to drain`,
    async () => {
      const left = await registered();
      return left === undefined || left.every((d) => d.TargetHealth?.State === 'unused') ? true : undefined;
    },
    { initialDelayMs: 500, factor: 1.5, maxDelayMs: 5000, timeoutMs: (delaySeconds + 120) * 1000 },
  );
}

/**
 * plugin-alb's target group, read by id without its type declarations (plugin-alb reads compute's outputs: importing
 * its types would make the packages a cycle). The field is the one `@site-cli/plugin-alb/outputs` declares.
 */
function targetGroupOf(ctx: ResourceContext): string | undefined {
  const outputs = ctx.outputs as unknown as { get(id: string): { targetGroupArn?: string } | undefined };
  return ctx.outputs.has('alb.target-group') ? outputs.get('alb.target-group')?.targetGroupArn : undefined;
}
