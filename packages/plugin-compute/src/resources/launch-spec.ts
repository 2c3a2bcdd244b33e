import type { ResourceId, ResourceOf, SiteConfig } from '@site-cli/core/plugin';
import { launchSpec } from '../launch-spec.js';

/**
 * compute.launch-spec: what an Auto Scaling group's instances are launched with (only with `instance.scaling`),
 * built from the same request compute.instances sends to RunInstances. Read on every run; owns nothing in AWS.
 */
export function launchSpecResource(config?: SiteConfig): ResourceOf<'compute.launch-spec'> {
  // The same inputs as compute.instances' RunInstances request, the instance profile of a source.dir site included.
  const storage = config?.source?.dir ? (['storage.bucket', 'storage.instance-profile'] as const) : [];
  return {
    id: 'compute.launch-spec',
    title: 'Launch specification',
    kind: 'data',
    dependsOn: [
      'compute.ami',
      'keypair.key-pair',
      'network.instance-security-group',
      'network.vpc',
      ...(storage as unknown as ResourceId[]),
    ],
    iam: ['ec2:DescribeInstanceTypeOfferings'],
    discover: (ctx) => launchSpec(ctx),
    create: async (ctx) => {
      throw ctx.error({ code: 'NOT_CREATABLE', message: 'compute.launch-spec is computed, never created.' });
    },
    destroy: async () => {},
  };
}
