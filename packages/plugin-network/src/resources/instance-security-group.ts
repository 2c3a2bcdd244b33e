import type { ResourceContext, ResourceOf } from '@site-cli/core/plugin';
import { applyRules, createGroup, deleteGroup, type GroupSpec } from '../security-groups/apply.js';
import { sshRuleCheck } from '../security-groups/doctor.js';
import { currentGroup, describeGroup, findGroup } from '../security-groups/find.js';
import { SECURITY_GROUP_IAM } from '../security-groups/iam.js';
import { preflightGroup } from '../security-groups/preflight.js';
import { compareRules, rulesOf, type Rule } from '../security-groups/rules.js';
import { groupStatus } from '../security-groups/status.js';
import { vpcChange, vpcChangedError } from '../security-groups/vpc-change.js';
import { ALB_SECURITY_GROUP } from './alb-security-group.js';
import { PUBLIC_IP } from './public-ip.js';
import { VPC, vpcOf } from './vpc.js';

export const INSTANCE_SECURITY_GROUP = 'network.instance-security-group';

const isSsh = (rule: Rule) => rule.protocol === 'tcp' && rule.fromPort === 22 && rule.toPort === 22;
const isHttpFromGroup = (rule: Rule) =>
  rule.protocol === 'tcp' && rule.fromPort === 80 && rule.toPort === 80 && rule.source.kind === 'group';

/**
 * HTTP 80 only from the load balancer's security group; SSH 22 only from the SSH source.
 * Where an input is unknown (planning before the ALB group exists) or the IP lookup failed,
 * the existing rules of that kind are kept rather than taken away.
 */
export function instanceRules(ctx: ResourceContext, actual: Rule[] = []): Rule[] {
  const rules: Rule[] = [];
  const alb = ctx.outputs.get(ALB_SECURITY_GROUP);
  if (alb) {
    rules.push({
      protocol: 'tcp',
      fromPort: 80,
      toPort: 80,
      source: { kind: 'group', value: alb.groupId },
      description: `HTTP from the load balancer of site ${ctx.naming.site} only`,
    });
  } else {
    rules.push(...actual.filter(isHttpFromGroup));
  }
  const ssh = ctx.outputs.get(PUBLIC_IP);
  if (ssh?.sshCidr) {
    const how = ssh.source === 'detected' ? 'your public IP' : 'ssh.cidr';
    rules.push({
      protocol: 'tcp',
      fromPort: 22,
      toPort: 22,
      source: { kind: ssh.sshCidr.includes(':') ? 'cidr6' : 'cidr', value: ssh.sshCidr },
      description: `SSH from ${how} ${ssh.sshCidr}`,
    });
  } else if (!ssh || ssh.source === 'lookup-failed') {
    // A failed lookup must not lock out whoever set up SSH before: keep what is there.
    rules.push(...actual.filter(isSsh));
  }
  return rules;
}

function sshCidrOf(rules: Rule[]): string | null {
  return rules.find(isSsh)?.source.value ?? null;
}

function instanceGroupSpec(ctx: ResourceContext): GroupSpec {
  return {
    resourceId: INSTANCE_SECURITY_GROUP,
    groupName: ctx.naming.instanceSecurityGroup,
    description: `site ${ctx.naming.site}: instances, HTTP from the load balancer only, SSH from one address`,
    vpcId: ctx.outputs.require(VPC).vpcId,
  };
}

/** The instances' security group: HTTP only from the load balancer, SSH only from you. */
export function instanceSecurityGroupResource(): ResourceOf<typeof INSTANCE_SECURITY_GROUP> {
  return {
    id: INSTANCE_SECURITY_GROUP,
    title: 'Instance security group',
    kind: 'managed',
    dependsOn: [VPC, ALB_SECURITY_GROUP, PUBLIC_IP],
    iam: SECURITY_GROUP_IAM,

    async discover(ctx) {
      const vpc = await vpcOf(ctx);
      const group = await findGroup(
        ctx,
        INSTANCE_SECURITY_GROUP,
        ctx.naming.instanceSecurityGroup,
        vpc.vpcId,
      );
      if (!group) return undefined;
      return {
        groupId: group.GroupId ?? '',
        groupName: group.GroupName ?? '',
        vpcId: group.VpcId ?? '',
        sshCidr: sshCidrOf(rulesOf(group.IpPermissions)),
      };
    },

    async create(ctx) {
      ctx.outputs.require(ALB_SECURITY_GROUP);
      ctx.outputs.require(PUBLIC_IP);
      const spec = instanceGroupSpec(ctx);
      ctx.progress(`creating ${spec.groupName}`);
      const wanted = instanceRules(ctx);
      const groupId = await createGroup(ctx, { ...spec, wanted });
      return { groupId, groupName: spec.groupName, vpcId: spec.vpcId, sshCidr: sshCidrOf(wanted) };
    },

    preflight: (ctx, step) =>
      preflightGroup(ctx, instanceGroupSpec(ctx), (actual) => instanceRules(ctx, actual), step),

    async destroy(ctx, found) {
      await deleteGroup(ctx, found.groupId, found.groupName);
    },

    async diff(ctx, found) {
      const group = await currentGroup(ctx, found.groupId);
      const actual = rulesOf(group?.IpPermissions);
      const changes = vpcChange(found, ctx.outputs.get(VPC));
      return [...changes, ...compareRules(instanceRules(ctx, actual), actual).changes];
    },

    async update(ctx, found, changes) {
      if (changes.some((change) => change.field === 'VPC'))
        throw vpcChangedError(ctx, found.groupName, changes);
      const group = await describeGroup(ctx, found.groupId);
      const actual = rulesOf(group?.IpPermissions);
      const wanted = instanceRules(ctx, actual);
      await applyRules(ctx, found.groupId, wanted, actual);
      return { ...found, sshCidr: sshCidrOf(wanted) };
    },

    status: (ctx, found) => groupStatus(ctx, found),

    // Absent, the group is drift's to report (the core's check); here only its SSH rule.
    doctor: async (ctx, found) =>
      found ? [sshRuleCheck(found.sshCidr, ctx.outputs.get(PUBLIC_IP), ctx.commandLine('deploy'))] : [],

    summarize: (found) => ({
      groupId: found.groupId,
      groupName: found.groupName,
      sshCidr: found.sshCidr ?? undefined,
    }),
  };
}
