import type { Subnet } from '@aws-sdk/client-ec2';
import type { ResourceContext, ResourceOf } from '@site-cli/core/plugin';
import { allPages } from '@site-cli/plugin-kit';
import type { VpcOutput } from '../outputs.js';

export const VPC = 'network.vpc';

/** The ALB needs subnets in at least this many availability zones. */
export const MIN_AZS = 2;

/** Among several subnets of one zone: default-for-AZ first, then public-IP-on-launch, then most free addresses. */
function preference(a: Subnet, b: Subnet): number {
  return (
    Number(b.DefaultForAz ?? false) - Number(a.DefaultForAz ?? false) ||
    Number(b.MapPublicIpOnLaunch ?? false) - Number(a.MapPublicIpOnLaunch ?? false) ||
    (b.AvailableIpAddressCount ?? 0) - (a.AvailableIpAddressCount ?? 0) ||
    (a.SubnetId ?? '').localeCompare(b.SubnetId ?? '')
  );
}

/** One subnet per availability zone, the preferred one of each. */
export function pickSubnets(subnets: Subnet[]): VpcOutput['subnets'] {
  const byZone = new Map<string, Subnet>();
  for (const subnet of subnets) {
    if (!subnet.SubnetId || !subnet.AvailabilityZone) continue;
    if (subnet.State !== undefined && subnet.State !== 'available') continue;
    const current = byZone.get(subnet.AvailabilityZone);
    if (!current || preference(subnet, current) < 0) byZone.set(subnet.AvailabilityZone, subnet);
  }
  return [...byZone.values()]
    .map((subnet) => ({ subnetId: subnet.SubnetId!, availabilityZone: subnet.AvailabilityZone! }))
    .sort((a, b) => a.availabilityZone.localeCompare(b.availabilityZone));
}

async function lookUpVpc(ctx: ResourceContext): Promise<VpcOutput> {
  const ec2 = await ctx.aws.ec2();
  const configured = ctx.config.vpc.id;
  let vpc;
  if (configured === 'default') {
    const result = await ec2.describeVpcs({ Filters: [{ Name: 'isDefault', Values: ['true'] }] });
    vpc = result.Vpcs?.[0];
    if (!vpc) {
      throw ctx.error({
        code: 'NO_DEFAULT_VPC',
        message: `The region ${ctx.config.region} has no default VPC, and the config names no VPC (vpc.id).`,
        suggestions: [
          `Create one: aws ec2 create-default-vpc --region ${ctx.config.region}`,
          'Or set vpc.id in the config file to a VPC with public subnets in at least two availability zones.',
        ],
        exitCode: 2,
        details: { key: 'vpc.id', value: configured, region: ctx.config.region },
      });
    }
  } else {
    try {
      vpc = (await ec2.describeVpcs({ VpcIds: [configured] })).Vpcs?.[0];
    } catch (error) {
      if (!ctx.isAwsError(error, 'InvalidVpcID.NotFound')) throw error;
    }
    if (!vpc) {
      throw ctx.error({
        code: 'VPC_NOT_FOUND',
        message: `The VPC ${configured} (vpc.id) does not exist in ${ctx.config.region}.`,
        suggestions: ['Check vpc.id and the region, or remove vpc.id to use the default VPC.'],
        exitCode: 2,
        details: { key: 'vpc.id', value: configured, region: ctx.config.region },
      });
    }
  }
  const vpcId = vpc.VpcId ?? configured;
  const { paginateDescribeSubnets } = await import('@aws-sdk/client-ec2');
  const found = await allPages(
    paginateDescribeSubnets({ client: ec2 }, { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
    (page) => page.Subnets,
  );
  const subnets = pickSubnets(found);
  if (subnets.length < MIN_AZS) {
    const where =
      subnets.length === 0
        ? 'no subnets'
        : `subnets only in ${subnets.map((s) => s.availabilityZone).join(', ')}`;
    throw ctx.error({
      code: 'TOO_FEW_AZS',
      message: `The VPC ${vpcId} has ${where}; the load balancer needs subnets in at least ${MIN_AZS} availability zones.`,
      suggestions: [
        `Create a subnet in another availability zone of ${vpcId} (aws ec2 create-default-subnet --availability-zone <zone> for the default VPC).`,
        'Or set vpc.id to a VPC with subnets in two or more zones.',
      ],
      exitCode: 2,
      details: { vpcId, subnets },
    });
  }
  return { vpcId, cidrBlock: vpc.CidrBlock ?? '', subnets };
}

/** The configured (or default) VPC and one subnet per zone, looked up once per run. */
export function resolveVpc(ctx: ResourceContext): Promise<VpcOutput> {
  return ctx.once(VPC, () => lookUpVpc(ctx));
}

/** The VPC for a resource that needs it while discovering: the graph's output when it has it, else the same lookup. */
export async function vpcOf(ctx: ResourceContext): Promise<VpcOutput> {
  return ctx.outputs.get(VPC) ?? resolveVpc(ctx);
}

export function vpcResource(): ResourceOf<typeof VPC> {
  return {
    id: VPC,
    title: 'VPC and subnets',
    kind: 'data',
    dependsOn: [],
    iam: ['ec2:DescribeVpcs', 'ec2:DescribeSubnets'],
    discover: (ctx) => resolveVpc(ctx),
    create: (ctx) => resolveVpc(ctx),
    async destroy() {
      // Looked up, never owned: nothing to delete.
    },
    async status(_ctx, found) {
      return [
        {
          name: 'VPC',
          id: found.vpcId,
          state: 'available',
          detail: `${found.cidrBlock}; subnets ${found.subnets.map((s) => `${s.subnetId} (${s.availabilityZone})`).join(', ')}`,
        },
      ];
    },
    summarize: (found) => ({ vpcId: found.vpcId, subnetIds: found.subnets.map((s) => s.subnetId) }),
  };
}
