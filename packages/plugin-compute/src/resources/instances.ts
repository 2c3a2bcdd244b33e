import type { ResourceId, ResourceOf, SiteConfig } from '@site-cli/core/plugin';
import { desiredSpec, type InstanceSpec } from '../spec.js';
import { converge, terminateAndWait } from '../instances/apply.js';
import { drainTargets } from '../instances/drain.js';
import { describeOnce, describeSiteInstances, RESOURCE_ID } from '../instances/find.js';
import { preflightLaunch } from '../instances/launch.js';
import { diffInstances, partition } from '../instances/plan.js';
import { instancesAsFound, instancesOutput, statusRows } from '../instances/status.js';
import { instancesCost } from '../instances/cost.js';

/**
 * compute.instances: `instance.count` EC2 instances serving the site, replaced without downtime. This file only
 * wires the jobs of ../instances/: find, plan (partition, diff), launch (request, preflight), apply
 * (converge, terminate), wait, status.
 */
export function instancesResource(config?: SiteConfig): ResourceOf<typeof RESOURCE_ID> {
  // A source.dir site's instances read its bucket through the instance profile (plugin-storage's resources,
  // by id: see spec.ts). Not storage.content: a new content version must not touch the instances.
  const storage = config?.source?.dir ? (['storage.bucket', 'storage.instance-profile'] as const) : [];
  return {
    id: RESOURCE_ID,
    title: 'EC2 instances',
    kind: 'managed',
    dependsOn: [
      'compute.ami',
      'keypair.key-pair',
      'network.instance-security-group',
      'network.vpc',
      ...(storage as unknown as ResourceId[]),
    ],
    iam: [
      'ec2:DescribeInstances',
      'ec2:DescribeInstanceTypeOfferings',
      'ec2:RunInstances',
      'ec2:CreateTags',
      'ec2:TerminateInstances',
      'ec2:GetConsoleOutput',
      // Drained from the target group before they go when a group takes over (instance.scaling).
      'elasticloadbalancing:DescribeTargetHealth',
      'elasticloadbalancing:DeregisterTargets',
    ],

    async discover(ctx) {
      const instances = await describeOnce(ctx);
      if (instances.length === 0) return undefined;
      // Not wanted (a group takes over): every one keeps serving until the group does, none is stale.
      if (ctx.config.instance.scaling) return instancesAsFound(ctx, instances);
      let spec: InstanceSpec;
      try {
        spec = await desiredSpec(ctx);
      } catch (error) {
        // An unreadable user data file must not block destroy or status: report everything as is.
        ctx.log.debug(`compute.instances: ${(error as Error).message}`);
        return instancesAsFound(ctx, instances);
      }
      const { keep, stale } = partition(instances, spec);
      return instancesOutput(ctx, spec, keep, stale);
    },

    // With instance.scaling the group launches the instances: these serve until it is healthy, then go.
    wanted: (ctx) => !ctx.config.instance.scaling,

    create: (ctx) => converge(ctx),

    async diff(ctx) {
      const spec = await desiredSpec(ctx);
      return diffInstances(spec, await describeOnce(ctx));
    },

    update: (ctx) => converge(ctx),

    preflight: (ctx, step) => preflightLaunch(ctx, step.action),

    async finalize(ctx, current) {
      if (current.retiring.length === 0) return current;
      ctx.progress(
        `terminating ${current.retiring.length} replaced instance${current.retiring.length > 1 ? 's' : ''}`,
      );
      await terminateAndWait(ctx, current.retiring);
      return { ...current, retiring: [] };
    },

    async destroy(ctx, found) {
      const ids = new Set([...found.instances.map((i) => i.instanceId), ...found.retiring]);
      for (const instance of await describeSiteInstances(ctx))
        if (instance.InstanceId) ids.add(instance.InstanceId);
      // A group took over (the load balancer stays): out of the target group and drained before they go.
      if (ctx.config.instance.scaling) await drainTargets(ctx, [...ids]);
      await terminateAndWait(ctx, [...ids]);
    },

    // Each instance's setup log, from its console output: how a failed health check quotes the setup failure.
    async logs(ctx, found, query) {
      const { setupLogEntries } = await import('../instances/setup-log.js');
      const wanted = query.sources && new Set(query.sources);
      const instances = found.instances.filter((i) => !wanted || wanted.has(i.instanceId));
      const entries = await setupLogEntries(await ctx.aws.ec2(), instances);
      return entries.map(({ consoleEmpty: _empty, ...entry }) => entry);
    },

    cost: instancesCost,

    status: async (ctx, found) => statusRows(await describeOnce(ctx), new Set(found.retiring)),

    summarize: (found) => ({
      instanceIds: found.instances.map((i) => i.instanceId),
      ssh: found.ssh,
      ...(found.retiring.length > 0 ? { retiring: found.retiring } : {}),
    }),
  };
}
