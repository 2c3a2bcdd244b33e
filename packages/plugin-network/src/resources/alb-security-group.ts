import type { ResourceContext, ResourceOf } from '@site-cli/core/plugin';
import { applyRules, createGroup, deleteGroup, type GroupSpec } from '../security-groups/apply.js';
import { withoutClaimedRules } from '../security-groups/claimed-rules.js';
import { currentGroup, describeGroup, findGroup } from '../security-groups/find.js';
import { SECURITY_GROUP_IAM } from '../security-groups/iam.js';
import { preflightGroup } from '../security-groups/preflight.js';
import { compareRules, rulesOf, type Rule } from '../security-groups/rules.js';
import { groupStatus } from '../security-groups/status.js';
import { vpcChange, vpcChangedError } from '../security-groups/vpc-change.js';
import { VPC, vpcOf } from './vpc.js';

export const ALB_SECURITY_GROUP = 'network.alb-security-group';

/** Open to the world on the listener port, IPv4 and IPv6. */
export function albRules(ctx: ResourceContext): Rule[] {
  const port = ctx.config.alb.port;
  const description = `Port ${port} from anywhere to the load balancer of site ${ctx.naming.site}`;
  return [
    {
      protocol: 'tcp',
      fromPort: port,
      toPort: port,
      source: { kind: 'cidr', value: '0.0.0.0/0' },
      description,
    },
    { protocol: 'tcp', fromPort: port, toPort: port, source: { kind: 'cidr6', value: '::/0' }, description },
  ];
}

function albGroupSpec(ctx: ResourceContext): GroupSpec {
  return {
    resourceId: ALB_SECURITY_GROUP,
    groupName: ctx.naming.albSecurityGroup,
    description: `site ${ctx.naming.site}: load balancer, port ${ctx.config.alb.port} from anywhere`,
    vpcId: ctx.outputs.require(VPC).vpcId,
  };
}

/** The load balancer's security group: the listener port from anywhere. */
export function albSecurityGroupResource(): ResourceOf<typeof ALB_SECURITY_GROUP> {
  return {
    id: ALB_SECURITY_GROUP,
    title: 'Load balancer security group',
    kind: 'managed',
    dependsOn: [VPC],
    // DescribeSecurityGroupRules: rules other resources of the site added (withoutClaimedRules).
    iam: [...SECURITY_GROUP_IAM, 'ec2:DescribeSecurityGroupRules'],

    async discover(ctx) {
      const vpc = await vpcOf(ctx);
      const group = await findGroup(ctx, ALB_SECURITY_GROUP, ctx.naming.albSecurityGroup, vpc.vpcId);
      if (!group) return undefined;
      return { groupId: group.GroupId ?? '', groupName: group.GroupName ?? '', vpcId: group.VpcId ?? '' };
    },

    async create(ctx) {
      const spec = albGroupSpec(ctx);
      ctx.progress(`creating ${spec.groupName}`);
      const groupId = await createGroup(ctx, { ...spec, wanted: albRules(ctx) });
      return { groupId, groupName: spec.groupName, vpcId: spec.vpcId };
    },

    preflight: (ctx, step) => preflightGroup(ctx, albGroupSpec(ctx), () => albRules(ctx), step),

    async destroy(ctx, found) {
      await deleteGroup(ctx, found.groupId, found.groupName);
    },

    async diff(ctx, found) {
      const group = await currentGroup(ctx, found.groupId);
      const changes = vpcChange(found, ctx.outputs.get(VPC));
      const wanted = albRules(ctx);
      const actual = await withoutClaimedRules(ctx, found.groupId, wanted, rulesOf(group?.IpPermissions));
      return [...changes, ...compareRules(wanted, actual).changes];
    },

    async update(ctx, found, changes) {
      if (changes.some((change) => change.field === 'VPC'))
        throw vpcChangedError(ctx, found.groupName, changes);
      const group = await describeGroup(ctx, found.groupId);
      const wanted = albRules(ctx);
      const actual = await withoutClaimedRules(ctx, found.groupId, wanted, rulesOf(group?.IpPermissions));
      await applyRules(ctx, found.groupId, wanted, actual);
      return found;
    },

    status: (ctx, found) => groupStatus(ctx, found),

    summarize: (found) => ({ groupId: found.groupId, groupName: found.groupName }),
  };
}
