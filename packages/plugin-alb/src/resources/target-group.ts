import type { TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Change, ResourceOf, ResourceContext } from '@site-cli/core/plugin';
import { discoverSiteElb, findTargetGroupByName as findByName } from '../discovery.js';
import { assertOwned } from '../ownership.js';
import { quotaDoctor } from '../doctor.js';
import { checkQuota, countTargetGroups } from '../quotas.js';
import { desiredHealthCheck, diffHealthCheck, healthCheckOf, healthCheckParams } from '../health-check.js';
import type { TargetGroupOutput } from '../outputs.js';

export const RESOURCE_ID = 'alb.target-group';
/** The instances serve HTTP on port 80 whatever port the load balancer listens on. */
export const INSTANCE_PORT = 80;
const DEREGISTRATION_DELAY = 'deregistration_delay.timeout_seconds';

async function deregistrationDelayOf(ctx: ResourceContext, arn: string): Promise<number | undefined> {
  const elbv2 = await ctx.aws.elbv2();
  const { Attributes = [] } = await elbv2.describeTargetGroupAttributes({ TargetGroupArn: arn });
  const value = Attributes.find((a) => a.Key === DEREGISTRATION_DELAY)?.Value;
  return value === undefined ? undefined : Number(value);
}

async function setDeregistrationDelay(ctx: ResourceContext, arn: string): Promise<void> {
  const elbv2 = await ctx.aws.elbv2();
  await elbv2.modifyTargetGroupAttributes({
    TargetGroupArn: arn,
    Attributes: [{ Key: DEREGISTRATION_DELAY, Value: String(ctx.config.alb.deregistrationDelay) }],
  });
}

async function toOutput(ctx: ResourceContext, tg: TargetGroup): Promise<TargetGroupOutput> {
  return {
    targetGroupArn: tg.TargetGroupArn ?? '',
    targetGroupName: tg.TargetGroupName ?? ctx.naming.targetGroup,
    healthCheck: healthCheckOf(tg),
    deregistrationDelay: await deregistrationDelayOf(ctx, tg.TargetGroupArn ?? ''),
  };
}

const conflict = (ctx: ResourceContext) => ({
  code: 'TARGET_GROUP_CONFLICT',
  kind: 'target group',
  name: ctx.naming.targetGroup,
});

/** alb.target-group: HTTP:80 instance targets with the configured health check. */
export function targetGroupResource(): ResourceOf<typeof RESOURCE_ID> {
  return {
    id: RESOURCE_ID,
    title: 'Target group',
    kind: 'managed',
    dependsOn: ['network.vpc'],
    iam: [
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTags',
      'elasticloadbalancing:DescribeTargetGroupAttributes',
      'elasticloadbalancing:CreateTargetGroup',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:ModifyTargetGroup',
      'elasticloadbalancing:ModifyTargetGroupAttributes',
      'elasticloadbalancing:DeleteTargetGroup',
      'elasticloadbalancing:DescribeAccountLimits',
    ],

    async discover(ctx) {
      const { targetGroup: tg, tags } = await discoverSiteElb(ctx);
      if (!tg?.TargetGroupArn) return undefined;
      await assertOwned(ctx, tg.TargetGroupArn, RESOURCE_ID, conflict(ctx), tags.get(tg.TargetGroupArn));
      return toOutput(ctx, tg);
    },

    async create(ctx) {
      const elbv2 = await ctx.aws.elbv2();
      const vpc = ctx.outputs.require('network.vpc');
      let tg: TargetGroup | undefined;
      try {
        const created = await elbv2.createTargetGroup({
          Name: ctx.naming.targetGroup,
          Protocol: 'HTTP',
          Port: INSTANCE_PORT,
          VpcId: vpc.vpcId,
          TargetType: 'instance',
          ...healthCheckParams(desiredHealthCheck(ctx)),
          Tags: ctx.tags.forResource(RESOURCE_ID, ctx.naming.targetGroup),
        });
        tg = created.TargetGroups?.[0];
      } catch (error) {
        if (ctx.awsErrorCode(error) !== 'DuplicateTargetGroupName') throw error;
        tg = await findByName(ctx);
      }
      if (!tg?.TargetGroupArn) {
        throw ctx.error({
          code: 'TARGET_GROUP_CREATE_FAILED',
          message: `CreateTargetGroup returned no target group for ${ctx.naming.targetGroup}.`,
        });
      }
      // Same name and settings make CreateTargetGroup return an existing group: adopt it only when the tags prove it is ours.
      await assertOwned(ctx, tg.TargetGroupArn, RESOURCE_ID, conflict(ctx));
      await setDeregistrationDelay(ctx, tg.TargetGroupArn);
      return { ...(await toOutput(ctx, tg)), deregistrationDelay: ctx.config.alb.deregistrationDelay };
    },

    /** A new target group needs room under the account's quota (an update changes the one that exists). */
    async preflight(ctx, { action }) {
      if (action === 'update') return;
      await checkQuota(ctx, {
        limit: 'target-groups',
        noun: 'target groups',
        count: () => countTargetGroups(ctx),
      });
    },

    doctor: (ctx, found) =>
      quotaDoctor(
        ctx,
        { limit: 'target-groups', noun: 'target groups', count: () => countTargetGroups(ctx) },
        Boolean(found),
      ),

    diff(ctx, found) {
      const changes: Change[] = found.healthCheck
        ? diffHealthCheck(found.healthCheck, desiredHealthCheck(ctx))
        : [];
      if (
        found.deregistrationDelay !== undefined &&
        found.deregistrationDelay !== ctx.config.alb.deregistrationDelay
      ) {
        changes.push({
          field: 'deregistration delay',
          from: found.deregistrationDelay,
          to: ctx.config.alb.deregistrationDelay,
        });
      }
      return changes;
    },

    async update(ctx, found) {
      const elbv2 = await ctx.aws.elbv2();
      const { TargetGroups = [] } = await elbv2.modifyTargetGroup({
        TargetGroupArn: found.targetGroupArn,
        ...healthCheckParams(desiredHealthCheck(ctx)),
      });
      await setDeregistrationDelay(ctx, found.targetGroupArn);
      const tg = TargetGroups[0];
      return {
        ...found,
        healthCheck: tg ? healthCheckOf(tg) : desiredHealthCheck(ctx),
        deregistrationDelay: ctx.config.alb.deregistrationDelay,
      };
    },

    async destroy(ctx, found) {
      const elbv2 = await ctx.aws.elbv2();
      // A listener being deleted still holds the group for a moment: ResourceInUse means "not yet".
      await ctx.poll(
        `target group ${found.targetGroupName} to be deleted`,
        async () => {
          try {
            await elbv2.deleteTargetGroup({ TargetGroupArn: found.targetGroupArn });
            return true;
          } catch (error) {
            const code = ctx.awsErrorCode(error);
            if (code === 'TargetGroupNotFound') return true;
            if (code === 'ResourceInUse') {
              ctx.progress('waiting for the listener to let go of the target group');
              return undefined;
            }
            throw error;
          }
        },
        { initialDelayMs: 1000, maxDelayMs: 5000, timeoutMs: 3 * 60_000 },
      );
    },

    async status(_ctx, found) {
      const hc = found.healthCheck;
      return [
        {
          name: found.targetGroupName,
          id: found.targetGroupArn,
          state: 'present',
          detail: hc
            ? `HTTP:${INSTANCE_PORT}, health check ${hc.path} every ${hc.interval}s, expects ${hc.matcher}`
            : undefined,
        },
      ];
    },

    summarize: (found) => ({ targetGroupArn: found.targetGroupArn, targetGroupName: found.targetGroupName }),
  };
}
