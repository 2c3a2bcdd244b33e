import type { ResourceOf } from '@site-cli/core/plugin';
import { launchSpec } from '../launch-spec.js';

/**
 * compute.launch-spec: what an Auto Scaling group's instances are launched with (only with `instance.scaling`),
 * built from the same request compute.instances sends to RunInstances. Read on every run; owns nothing in AWS.
 */
export function launchSpecResource(): ResourceOf<'compute.launch-spec'> {
  return {
    id: 'compute.launch-spec',
    title: 'Launch specification',
    kind: 'data',
    dependsOn: ['compute.ami', 'network.vpc'],
    iam: ['ec2:DescribeInstanceTypeOfferings'],
    discover: (ctx) => launchSpec(ctx),
    create: async (ctx) => {
      throw ctx.error({ code: 'NOT_CREATABLE', message: 'compute.launch-spec is computed, never created.' });
    },
    destroy: async () => {},
  };
}
