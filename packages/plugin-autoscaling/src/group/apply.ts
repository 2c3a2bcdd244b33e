/** Applying: create the group, bring it in line (settings, target group, rollout), delete it. */
import type { Tag as GroupTag } from '@aws-sdk/client-auto-scaling';
import type { ResourceContext } from '@site-cli/core/plugin';
import type { GroupOutput } from '../outputs.js';
import { groupName } from '../names.js';
import {
  describeGroup,
  groupOutput,
  groupTags,
  latestRefresh,
  refreshUnsupported,
  RESOURCE_ID,
  withRefresh,
} from './find.js';
import { rollout, settingChanges, type DesiredGroup } from './plan.js';
import { waitCapacity, waitGone, waitRefresh } from './wait.js';

/**
 * Seconds the group trusts a new instance before the load balancer's health checks count: the setup script
 * (dnf install httpd, fetch and unpack the template) takes one to three minutes on a t2.micro.
 */
export const HEALTH_CHECK_GRACE_SECONDS = 300;

export function desiredGroup(ctx: ResourceContext): DesiredGroup {
  const scaling = ctx.config.instance.scaling!;
  const template = ctx.outputs.require('autoscaling.launch-template');
  return {
    minSize: scaling.min,
    maxSize: scaling.max,
    desiredCapacity: scaling.desired ?? scaling.min,
    launchTemplateId: template.launchTemplateId,
    launchTemplateVersion: String(template.version),
    targetGroupArn: ctx.outputs.require('alb.target-group').targetGroupArn,
    subnetIds: ctx.outputs.require('compute.launch-spec').subnetIds,
  };
}

/** The site's tags, on the group and on every instance it launches (PropagateAtLaunch). */
function tags(ctx: ResourceContext, name: string): GroupTag[] {
  return ctx.tags.forResource(RESOURCE_ID, ctx.naming.instance).map(({ Key, Value }) => ({
    Key,
    Value,
    PropagateAtLaunch: true,
    ResourceId: name,
    ResourceType: 'auto-scaling-group',
  }));
}

export async function createGroup(ctx: ResourceContext): Promise<GroupOutput> {
  const name = groupName(ctx);
  const desired = desiredGroup(ctx);
  const autoScaling = await ctx.aws.autoScaling();
  ctx.progress(`creating ${name} (${desired.minSize}–${desired.maxSize}, ${desired.desiredCapacity} now)`);
  try {
    await autoScaling.createAutoScalingGroup({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateId: desired.launchTemplateId, Version: desired.launchTemplateVersion },
      MinSize: desired.minSize,
      MaxSize: desired.maxSize,
      DesiredCapacity: desired.desiredCapacity,
      VPCZoneIdentifier: desired.subnetIds.join(','),
      TargetGroupARNs: [desired.targetGroupArn],
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: HEALTH_CHECK_GRACE_SECONDS,
      Tags: tags(ctx, name),
    });
  } catch (error) {
    if (!ctx.isAwsError(error, 'AlreadyExists')) throw error;
    // A retried create: ours only when its tags prove it.
    const existing = await describeGroup(ctx, name);
    if (!existing || !ctx.tags.isOwned(groupTags(existing), RESOURCE_ID)) throw conflict(ctx, name);
  }
  return waitCapacity(ctx, name, desired.desiredCapacity, desired.targetGroupArn);
}

export function conflict(ctx: ResourceContext, name: string) {
  return ctx.error({
    code: 'AUTO_SCALING_GROUP_CONFLICT',
    message: `An Auto Scaling group named ${name} exists in ${ctx.config.region} without this site's tags: site leaves it alone.`,
    suggestions: [`Delete it yourself if it is no longer needed, or give the site another name.`],
    exitCode: 2,
    details: { groupName: name },
  });
}

/**
 * Bring the group in line: wait for a refresh already running (never start a second), update the settings,
 * attach the target group, roll a new launch template version out with an instance refresh that keeps full
 * healthy capacity (launch before terminate), and wait until the group serves at its size.
 */
export async function updateGroup(ctx: ResourceContext, found: GroupOutput): Promise<GroupOutput> {
  const name = found.groupName;
  const desired = desiredGroup(ctx);
  const autoScaling = await ctx.aws.autoScaling();
  if (found.refresh) {
    ctx.progress(`waiting for the instance refresh already running (${found.refresh.instanceRefreshId})`);
    await waitRefresh(ctx, name, found.refresh.instanceRefreshId);
  }
  if (settingChanges(found, desired).length > 0) {
    await autoScaling.updateAutoScalingGroup({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateId: desired.launchTemplateId, Version: desired.launchTemplateVersion },
      MinSize: desired.minSize,
      MaxSize: desired.maxSize,
      VPCZoneIdentifier: desired.subnetIds.join(','),
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: HEALTH_CHECK_GRACE_SECONDS,
    });
  }
  if (!found.targetGroupArns.includes(desired.targetGroupArn))
    await autoScaling.attachLoadBalancerTargetGroups({
      AutoScalingGroupName: name,
      TargetGroupARNs: [desired.targetGroupArn],
    });
  const now = await describeGroup(ctx, name);
  if (!now) throw ctx.error({ code: 'GROUP_GONE', message: `The Auto Scaling group ${name} disappeared.` });
  const current = await withRefresh(ctx, groupOutput(now));
  const next = rollout(current, desired.launchTemplateVersion);
  if (next === 'wait') await waitRefresh(ctx, name, current.refresh!.instanceRefreshId);
  if (next === 'start') await startAndWaitRefresh(ctx, name);
  return waitCapacity(ctx, name, Math.max(current.desiredCapacity, desired.minSize), desired.targetGroupArn);
}

/** StartInstanceRefresh keeping 100% healthy, up to 200% during the roll; a refresh already running is waited for. */
async function startAndWaitRefresh(ctx: ResourceContext, name: string): Promise<void> {
  const autoScaling = await ctx.aws.autoScaling();
  let refreshId: string;
  try {
    const started = await autoScaling.startInstanceRefresh({
      AutoScalingGroupName: name,
      Strategy: 'Rolling',
      Preferences: {
        MinHealthyPercentage: 100,
        MaxHealthyPercentage: 200,
        // No extra warm-up: with ELB health checks a refresh moves on only once the new instance passes the
        // target group's checks (launch before terminate ends an old instance "after the replacement passes its
        // health check"); the grace period (the default warm-up) would add 300 s to every replacement.
        InstanceWarmup: 0,
        SkipMatching: true,
      },
    });
    refreshId = started.InstanceRefreshId ?? '';
  } catch (error) {
    if (refreshUnsupported(ctx, error)) {
      // moto: no instance refresh (docs/compatibility.md). New instances launch from the new version.
      ctx.log.warn(
        `This endpoint does not implement StartInstanceRefresh: ${name}'s running instances keep their launch template version; new ones get the new version.`,
      );
      return;
    }
    if (!ctx.isAwsError(error, 'InstanceRefreshInProgress')) throw error;
    const running = await latestRefresh(ctx, name);
    if (!running) throw error;
    refreshId = running.instanceRefreshId;
  }
  ctx.progress(`instance refresh ${refreshId} started`);
  await waitRefresh(ctx, name, refreshId);
}

/** DeleteAutoScalingGroup with ForceDelete (its instances go with it), then wait until both are gone. */
export async function deleteGroup(ctx: ResourceContext, found: GroupOutput): Promise<void> {
  const autoScaling = await ctx.aws.autoScaling();
  await ctx.poll(
    `${found.groupName} to accept its deletion`,
    async () => {
      try {
        await autoScaling.deleteAutoScalingGroup({
          AutoScalingGroupName: found.groupName,
          ForceDelete: true,
        });
        return true;
      } catch (error) {
        // Gone already (a resumed destroy), or a scaling activity to finish first.
        if (ctx.isAwsError(error, 'ValidationError') && /not found/i.test((error as Error).message))
          return true;
        if (ctx.isAwsError(error, 'ScalingActivityInProgress', 'ResourceInUse')) return undefined;
        throw error;
      }
    },
    { initialDelayMs: 2000, factor: 1.5, maxDelayMs: 10_000, timeoutMs: 10 * 60_000 },
  );
  await waitGone(ctx, found.groupName);
}
