import { AwsError } from '../errors.js';
import { paginate } from '../filters.js';
import { launchTemplates, resolveVersion } from '../ec2/launch-templates.js';
import type { SimContext } from '../context.js';
import type { InstanceRefreshRec } from '../state.js';
import {
  type ActionDef,
  asgState,
  checkMaxRecords,
  getGroup,
  getLiveGroup,
  uuid,
  validation,
} from './common.js';
import { activeRefresh, tick } from './engine.js';
import { templateSpecOf } from './template-spec.js';

function refreshOut(r: InstanceRefreshRec) {
  const pct = r.total ? Math.floor((r.replaced * 100) / r.total) : 100;
  const percentage = r.status === 'Successful' ? 100 : pct;
  return {
    InstanceRefreshId: r.id,
    AutoScalingGroupName: r.group,
    Status: r.status,
    StatusReason: r.statusReason,
    StartTime: new Date(r.startTime),
    EndTime: r.endTime === undefined ? undefined : new Date(r.endTime),
    PercentageComplete: percentage,
    InstancesToUpdate: r.status === 'Successful' ? 0 : r.total - r.replaced,
    ProgressDetails: {
      LivePoolProgress: {
        PercentageComplete: percentage,
        InstancesToUpdate: r.status === 'Successful' ? 0 : r.total - r.replaced,
      },
    },
    Preferences: {
      MinHealthyPercentage: r.minHealthyPercentage,
      MaxHealthyPercentage: r.maxHealthyPercentage,
      InstanceWarmup: r.instanceWarmup,
      SkipMatching: r.skipMatching,
    },
    DesiredConfiguration: r.desiredTemplate
      ? { LaunchTemplate: { LaunchTemplateId: r.desiredTemplate.id, Version: r.desiredTemplate.version } }
      : undefined,
  };
}

function checkPercent(v: number | undefined, lo: number, hi: number, name: string): void {
  if (v !== undefined && (v < lo || v > hi))
    throw validation(
      `1 validation error detected: Value '${v}' at 'preferences.${name}' failed to satisfy constraint: Member must have value between ${lo} and ${hi}`,
    );
}

/** The version number a template reference resolves to now (undefined when it no longer resolves). */
function resolvedNumber(ctx: SimContext, spec: { id: string; version: string }): number | undefined {
  const lt = launchTemplates(ctx).find((t) => t.id === spec.id);
  try {
    return lt ? resolveVersion(lt, spec.version).number : undefined;
  } catch {
    return undefined;
  }
}

export const refreshActions: Record<string, ActionDef> = {
  StartInstanceRefresh: {
    mutating: true,
    fn(ctx, input) {
      const g = getLiveGroup(ctx, input.AutoScalingGroupName);
      if (input.Strategy !== undefined && input.Strategy !== 'Rolling')
        throw validation(`Invalid strategy '${input.Strategy}'. Valid values: Rolling.`);
      const p = input.Preferences ?? {};
      checkPercent(p.MinHealthyPercentage, 0, 100, 'minHealthyPercentage');
      checkPercent(p.MaxHealthyPercentage, 100, 200, 'maxHealthyPercentage');
      if (p.MaxHealthyPercentage !== undefined && p.MinHealthyPercentage === undefined)
        throw validation('You must specify MinHealthyPercentage when you specify MaxHealthyPercentage.');
      const min: number = p.MinHealthyPercentage ?? 90;
      const max: number = p.MaxHealthyPercentage ?? 100;
      if (max - min > 100)
        throw validation(
          'The difference between MaxHealthyPercentage and MinHealthyPercentage cannot be greater than 100.',
        );
      if (min === 100 && max === 100)
        throw validation(
          'MinHealthyPercentage and MaxHealthyPercentage cannot both be 100: the refresh could replace no instance.',
        );
      const desiredTemplate = input.DesiredConfiguration?.LaunchTemplate
        ? templateSpecOf(ctx, input.DesiredConfiguration.LaunchTemplate)
        : undefined;
      if (activeRefresh(ctx, g.name))
        throw new AwsError(
          'InstanceRefreshInProgress',
          'An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.',
        );
      // The desired configuration becomes the group's: the instances the refresh launches come from it.
      if (desiredTemplate) g.template = desiredTemplate;
      const current = resolvedNumber(ctx, g.template);
      const skipMatching: boolean = p.SkipMatching ?? false;
      const toReplace = g.instances
        .filter((m) => !m.leaving)
        .filter((m) => !skipMatching || m.templateId !== g.template.id || m.templateVersion !== current)
        .map((m) => m.id);
      const r: InstanceRefreshRec = {
        id: uuid(ctx),
        group: g.name,
        status: 'Pending',
        startTime: ctx.now(),
        minHealthyPercentage: min,
        maxHealthyPercentage: max,
        instanceWarmup: p.InstanceWarmup,
        skipMatching,
        desiredTemplate,
        toReplace,
        total: toReplace.length,
        replaced: 0,
      };
      asgState(ctx).refreshes.push(r);
      tick(ctx, g);
      return { InstanceRefreshId: r.id };
    },
  },
  DescribeInstanceRefreshes: {
    mutating: false,
    fn(ctx, input) {
      checkMaxRecords(input.MaxRecords, 100);
      const g = getGroup(ctx, input.AutoScalingGroupName);
      const ids: string[] = input.InstanceRefreshIds ?? [];
      const list = asgState(ctx)
        .refreshes.filter((r) => r.group === g.name && (!ids.length || ids.includes(r.id)))
        .sort((a, b) => b.startTime - a.startTime);
      const { page, next } = paginate(list, input.MaxRecords ?? 50, input.NextToken, 'InvalidNextToken');
      return { InstanceRefreshes: page.map(refreshOut), NextToken: next };
    },
  },
  CancelInstanceRefresh: {
    mutating: true,
    fn(ctx, input) {
      const g = getGroup(ctx, input.AutoScalingGroupName);
      const r = activeRefresh(ctx, g.name);
      if (!r || r.status === 'Cancelling')
        throw new AwsError(
          'ActiveInstanceRefreshNotFound',
          'No in progress or pending Instance Refresh found for Auto Scaling group ' + g.name,
        );
      // Instances it launched stay; those still to replace are left as they are.
      r.status = 'Cancelled';
      r.endTime = ctx.now();
      r.statusReason = 'Cancelled due to user request.';
      for (const m of g.instances) delete m.replaces;
      tick(ctx, g);
      return { InstanceRefreshId: r.id };
    },
  },
};
