import type { ResourceOf } from '@site-cli/core/plugin';
import { lastActivities } from '../group/activities.js';
import { createGroup, deleteGroup, desiredGroup, updateGroup } from '../group/apply.js';
import {
  describeGroup,
  findGroup,
  groupOutput,
  groupTags,
  mayHaveGroup,
  RESOURCE_ID,
  withRefresh,
} from '../group/find.js';
import { groupChanges } from '../group/plan.js';
import { conflict } from '../group/apply.js';
import { groupName } from '../names.js';

/**
 * autoscaling.group: the site's instances as an EC2 Auto Scaling group (only with `instance.scaling`) across the
 * subnets of every zone offering the type, in the site's target group, healed on the load balancer's health
 * checks. It follows compute.instances in the graph: when a site moves from fixed instances to the group, those
 * serve until the group is healthy and the deploy's checks passed, and only then go (Resource.wanted).
 */
export function groupResource(): ResourceOf<typeof RESOURCE_ID> {
  return {
    id: RESOURCE_ID,
    title: 'Auto Scaling group',
    kind: 'managed',
    dependsOn: [
      'autoscaling.launch-template',
      'alb.target-group',
      'compute.launch-spec',
      'compute.instances',
    ],
    iam: [
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:DescribeInstanceRefreshes',
      'autoscaling:DescribeScalingActivities',
      'autoscaling:CreateAutoScalingGroup',
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:UpdateAutoScalingGroup',
      'autoscaling:AttachLoadBalancerTargetGroups',
      'autoscaling:StartInstanceRefresh',
      'autoscaling:DeleteAutoScalingGroup',
      // `site scale` (the command acts on this resource's group).
      'autoscaling:SetDesiredCapacity',
      // The group launches from the template as the caller: AWS checks the caller may (launch templates guide).
      'ec2:RunInstances',
      'ec2:CreateTags',
      'ec2:DescribeInstances',
      'elasticloadbalancing:DescribeTargetHealth',
      'iam:CreateServiceLinkedRole',
    ],

    wanted: (ctx) => ctx.config.instance.scaling !== undefined,

    async discover(ctx) {
      if (!mayHaveGroup(ctx)) return undefined;
      const name = groupName(ctx);
      const group = await findGroup(ctx);
      if (!group) return undefined;
      if (!ctx.tags.isOwned(groupTags(group), RESOURCE_ID)) throw conflict(ctx, name);
      // A group being deleted is on its way out: a deploy creates a new one once it is gone.
      if (group.Status) return undefined;
      return withRefresh(ctx, groupOutput(group));
    },

    create: (ctx) => createGroup(ctx),

    diff: (ctx, found) => groupChanges(found, desiredGroup(ctx)),

    update: (ctx, found) => updateGroup(ctx, found),

    destroy: (ctx, found) => deleteGroup(ctx, found),

    async status(ctx, found) {
      const group = await describeGroup(ctx, found.groupName);
      const current = group ? await withRefresh(ctx, groupOutput(group)) : found;
      const rows = [
        {
          name: 'auto scaling group',
          id: current.groupName,
          state: `${current.minSize}/${current.desiredCapacity}/${current.maxSize}`,
          detail: `min/desired/max; launch template version ${current.launchTemplateVersion ?? '?'}`,
        },
        ...current.instances.map((i) => ({
          name: 'group instance',
          id: i.instanceId,
          state: i.lifecycleState,
          detail: `${i.healthStatus}, ${i.availabilityZone}${i.launchTemplateVersion ? `, version ${i.launchTemplateVersion}` : ''}`,
        })),
      ];
      if (current.refresh)
        rows.push({
          name: 'instance refresh',
          id: current.refresh.instanceRefreshId,
          state: current.refresh.status,
          detail: `${current.refresh.percentageComplete ?? 0}% done`,
        });
      for (const activity of await lastActivities(ctx, found.groupName))
        rows.push({
          name: 'scaling activity',
          id: activity.time,
          state: activity.status,
          detail: `${activity.description} — ${activity.cause}`,
        });
      return rows;
    },

    summarize: (found) => ({
      groupName: found.groupName,
      groupArn: found.groupArn,
      // The group's instances serving or about to: one on its way out (Terminating…) is no longer the site's.
      instanceIds: found.instances
        .filter((i) => !i.lifecycleState.startsWith('Terminating'))
        .map((i) => i.instanceId),
      capacity: `${found.minSize}/${found.desiredCapacity}/${found.maxSize}`,
    }),
  };
}
