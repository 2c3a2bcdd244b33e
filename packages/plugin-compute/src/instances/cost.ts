import type { CostUsage, ResourceContext } from '@site-cli/core/plugin';
import type { InstancesOutput } from '../outputs.js';

const BILLED_STATES = new Set(['pending', 'running']);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`;

/**
 * What the instances cost a month: instance-hours by type, their root volumes (encrypted gp3, instance.volumeSize
 * each) and their public IPv4 addresses. `found` undefined: as configured (instance.count of instance.type, each
 * with a public address, as the default VPC's subnets give one at launch).
 */
export function instancesCost(ctx: ResourceContext, found: InstancesOutput | undefined): CostUsage[] {
  const { type, count, volumeSize } = ctx.config.instance;
  const instances = found
    ? found.instances.map((i) => ({
        type: i.instanceType ?? found.instanceType,
        billed: BILLED_STATES.has(i.state),
        publicIp: Boolean(i.publicIpAddress),
      }))
    : Array.from({ length: count }, () => ({ type, billed: true, publicIp: true }));
  const usage: CostUsage[] = [];
  const byType = new Map<string, number>();
  for (const instance of instances)
    if (instance.billed) byType.set(instance.type, (byType.get(instance.type) ?? 0) + 1);
  for (const [instanceType, n] of [...byType].sort(([a], [b]) => a.localeCompare(b)))
    usage.push({
      item: `${plural(n, 'instance')}, ${instanceType} (Linux, on demand)`,
      price: { kind: 'ec2-instance', instanceType },
      units: n,
      per: 'hour',
    });
  // Volumes are billed whether or not their instance runs.
  if (instances.length > 0)
    usage.push({
      item: `${plural(instances.length, 'root volume')}, gp3, ${volumeSize} GB each`,
      price: { kind: 'ebs-volume', volumeType: 'gp3' },
      units: instances.length * volumeSize,
      per: 'month',
    });
  const addresses = instances.filter((i) => i.publicIp && i.billed).length;
  if (addresses > 0)
    usage.push({
      item: `${plural(addresses, 'public IPv4 address')} of the instances`,
      price: { kind: 'public-ipv4' },
      units: addresses,
      per: 'hour',
      ...(found ? {} : { assumption: "one per instance: the default VPC's subnets assign one at launch" }),
    });
  return usage;
}
