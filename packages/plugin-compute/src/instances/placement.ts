import type { ResourceContext } from '@site-cli/core/plugin';
import { allPages } from '@site-cli/plugin-kit';
import type { VpcOutput } from '@site-cli/plugin-network/outputs';
import { RESOURCE_ID } from './find.js';

/**
 * The Availability Zones that offer the instance type: EC2 DescribeInstanceTypeOfferings by zone name, every
 * page (the SDK's paginator). Read tolerantly: an offering of another type (an endpoint that ignored the
 * filter) does not count. Once per run and type.
 */
export function zonesOffering(ctx: ResourceContext, instanceType: string): Promise<Set<string>> {
  return ctx.once(`${RESOURCE_ID}:offerings:${instanceType}`, async () => {
    const [ec2, { paginateDescribeInstanceTypeOfferings }] = await Promise.all([
      ctx.aws.ec2(),
      import('@aws-sdk/client-ec2'),
    ]);
    const pages = paginateDescribeInstanceTypeOfferings(
      { client: ec2 },
      { LocationType: 'availability-zone', Filters: [{ Name: 'instance-type', Values: [instanceType] }] },
    );
    const offerings = await allPages(pages, (page) => page.InstanceTypeOfferings);
    const zones = new Set<string>();
    for (const offering of offerings)
      if (offering.Location && (offering.InstanceType ?? instanceType) === instanceType)
        zones.add(offering.Location);
    return zones;
  });
}

/**
 * Where instances go: the VPC's subnets (one per zone) in the zones that offer the instance type, in zone
 * order; instance i goes to the (i mod n)-th, so they spread evenly over those zones. One zone is enough —
 * instances then share it; the load balancer's own need (subnets in two zones) is network.vpc's check. No
 * zone at all is bad input, found before anything is created (deploy's preflight): exit 2.
 */
export async function placement(
  ctx: ResourceContext,
  instanceType: string,
  vpc: Pick<VpcOutput, 'vpcId' | 'subnets'>,
): Promise<VpcOutput['subnets']> {
  const subnets = [...vpc.subnets].sort(
    (a, b) => a.availabilityZone.localeCompare(b.availabilityZone) || a.subnetId.localeCompare(b.subnetId),
  );
  if (subnets.length === 0) {
    throw ctx.error({
      code: 'NO_SUBNETS',
      message: `The VPC ${vpc.vpcId} has no subnets to launch instances in.`,
      details: { vpcId: vpc.vpcId },
    });
  }
  const offering = await zonesOffering(ctx, instanceType);
  const usable = subnets.filter((s) => offering.has(s.availabilityZone));
  if (usable.length > 0) return usable;
  const zones = subnets.map((s) => s.availabilityZone);
  throw ctx.error({
    code: 'INSTANCE_TYPE_NOT_OFFERED',
    message:
      `instance.type: ${instanceType} is not offered in any Availability Zone of the VPC ${vpc.vpcId} ` +
      `(${zones.join(', ')}) in ${ctx.config.region}` +
      (offering.size > 0 ? `; AWS offers it only in ${[...offering].sort().join(', ')}.` : '.'),
    suggestions: [
      `Choose an instance type offered there (see: aws ec2 describe-instance-type-offerings --location-type availability-zone --filters Name=instance-type,Values=${instanceType} --region ${ctx.config.region}), e.g. t3.micro.`,
      'Or set region (or vpc.id) to one whose zones offer it.',
    ],
    exitCode: 2,
    details: { key: 'instance.type', value: instanceType, zones, offeredIn: [...offering].sort() },
  });
}
