// Over 300 lines: security groups and their rules (ingress, egress, rule ids and tags, dependency
// violations) are one resource in AWS's API; the rules never exist without their group.
import type { SimContext } from '../context.js';
import { err } from '../errors.js';
import { applyFilters, paginate } from '../filters.js';
import type { RuleRec, SecurityGroupRec } from '../state.js';
import { type ActionDef, checkMaxResults, dryRunCheck, notFoundList, tagSpecs, tagsOut } from './common.js';

function checkGroupId(id: string): void {
  if (!/^sg-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id))
    throw err('InvalidGroupId.Malformed', `Invalid id: "${id}"`);
}

export function findGroup(
  ctx: SimContext,
  input: { GroupId?: string; GroupName?: string },
): SecurityGroupRec {
  if (input.GroupId) {
    checkGroupId(input.GroupId);
    const g = ctx.state.securityGroups.find((s) => s.id === input.GroupId);
    if (!g) throw err('InvalidGroup.NotFound', `The security group '${input.GroupId}' does not exist`);
    return g;
  }
  if (input.GroupName) {
    const vpc = ctx.state.vpcs.find((v) => v.isDefault)!;
    const g = ctx.state.securityGroups.find((s) => s.name === input.GroupName && s.vpcId === vpc.id);
    if (!g)
      throw err(
        'InvalidGroup.NotFound',
        `The security group '${input.GroupName}' does not exist in default VPC '${vpc.id}'`,
      );
    return g;
  }
  throw err('MissingParameter', 'The request must contain the parameter groupName or groupId');
}

function normProtocol(p: string | undefined): string {
  const v = String(p ?? '').toLowerCase();
  if (v === '-1' || v === 'all') return '-1';
  if (v === 'tcp' || v === '6') return 'tcp';
  if (v === 'udp' || v === '17') return 'udp';
  if (v === 'icmp' || v === '1') return 'icmp';
  if (v === 'icmpv6' || v === '58') return 'icmpv6';
  if (/^\d+$/.test(v)) return v;
  throw err('InvalidParameterValue', `Invalid value '${p}' for IP protocol. Unknown protocol.`);
}

/** Flattens the IpPermissions (or legacy top-level) form into atomic rules. */
function parseRules(ctx: SimContext, sg: SecurityGroupRec, input: any): Omit<RuleRec, 'ruleId'>[] {
  const perms: any[] = input.IpPermissions?.length
    ? input.IpPermissions
    : input.IpProtocol || input.CidrIp || input.SourceSecurityGroupName
      ? [
          {
            IpProtocol: input.IpProtocol ?? '-1',
            FromPort: input.FromPort,
            ToPort: input.ToPort,
            IpRanges: input.CidrIp ? [{ CidrIp: input.CidrIp }] : [],
            UserIdGroupPairs: input.SourceSecurityGroupName
              ? [{ GroupName: input.SourceSecurityGroupName }]
              : [],
          },
        ]
      : [];
  if (!perms.length && !input.SecurityGroupRuleIds?.length)
    throw err('MissingParameter', 'No inbound rule specified. Specify IpPermissions.');
  const out: Omit<RuleRec, 'ruleId'>[] = [];
  for (const p of perms) {
    const protocol = normProtocol(p.IpProtocol);
    let fromPort: number | undefined = p.FromPort;
    let toPort: number | undefined = p.ToPort;
    if (protocol === 'tcp' || protocol === 'udp') {
      if (fromPort === undefined || toPort === undefined)
        throw err(
          'InvalidParameterValue',
          `Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange`,
        );
      if (fromPort < 0 || toPort > 65535 || fromPort > toPort)
        throw err('InvalidParameterValue', `Invalid value '${fromPort}-${toPort}' for portRange.`);
    } else if (protocol === '-1') {
      fromPort = undefined;
      toPort = undefined;
    }
    const base = { protocol, fromPort, toPort };
    for (const r of p.IpRanges ?? []) {
      if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(r.CidrIp ?? ''))
        throw err('InvalidParameterValue', `CIDR block ${r.CidrIp} is malformed`);
      out.push({ ...base, cidr: r.CidrIp, description: r.Description });
    }
    for (const r of p.Ipv6Ranges ?? []) out.push({ ...base, ipv6: r.CidrIpv6, description: r.Description });
    for (const pair of p.UserIdGroupPairs ?? []) {
      const ref = pair.GroupId
        ? ctx.state.securityGroups.find((g) => g.id === pair.GroupId)
        : ctx.state.securityGroups.find((g) => g.name === pair.GroupName && g.vpcId === sg.vpcId);
      if (!ref)
        throw err(
          'InvalidGroup.NotFound',
          `The security group '${pair.GroupId ?? pair.GroupName}' does not exist`,
        );
      out.push({ ...base, groupId: ref.id, description: pair.Description });
    }
    if (!(p.IpRanges?.length || p.Ipv6Ranges?.length || p.UserIdGroupPairs?.length))
      out.push({ ...base, cidr: undefined });
  }
  return out;
}

const sameRule = (a: Omit<RuleRec, 'ruleId'>, b: Omit<RuleRec, 'ruleId'>) =>
  a.protocol === b.protocol &&
  a.fromPort === b.fromPort &&
  a.toPort === b.toPort &&
  a.cidr === b.cidr &&
  a.ipv6 === b.ipv6 &&
  a.groupId === b.groupId;

function describeRule(r: Omit<RuleRec, 'ruleId'>): string {
  const peer = r.cidr ?? r.ipv6 ?? r.groupId ?? '';
  const proto = r.protocol === '-1' ? 'ALL' : r.protocol.toUpperCase();
  return `peer: ${peer}, ${proto}, from port: ${r.fromPort ?? -1}, to port: ${r.toPort ?? -1}, ALLOW`;
}

/** Groups atomic rules back into AWS's IpPermission shape. */
function permissionsOut(ctx: SimContext, rules: RuleRec[]) {
  const perms: any[] = [];
  for (const r of rules) {
    let p = perms.find(
      (x) => x.IpProtocol === r.protocol && x.FromPort === r.fromPort && x.ToPort === r.toPort,
    );
    if (!p) {
      p = {
        IpProtocol: r.protocol,
        FromPort: r.fromPort,
        ToPort: r.toPort,
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      };
      perms.push(p);
    }
    if (r.cidr) p.IpRanges.push({ CidrIp: r.cidr, Description: r.description });
    if (r.ipv6) p.Ipv6Ranges.push({ CidrIpv6: r.ipv6, Description: r.description });
    if (r.groupId)
      p.UserIdGroupPairs.push({
        GroupId: r.groupId,
        UserId: ctx.state.accountId,
        Description: r.description,
      });
  }
  return perms;
}

function ruleOut(ctx: SimContext, sg: SecurityGroupRec, r: RuleRec, egress: boolean) {
  return {
    SecurityGroupRuleId: r.ruleId,
    GroupId: sg.id,
    GroupOwnerId: ctx.state.accountId,
    IsEgress: egress,
    IpProtocol: r.protocol,
    FromPort: r.fromPort ?? -1,
    ToPort: r.toPort ?? -1,
    CidrIpv4: r.cidr,
    CidrIpv6: r.ipv6,
    ReferencedGroupInfo: r.groupId ? { GroupId: r.groupId, UserId: ctx.state.accountId } : undefined,
    Description: r.description,
    Tags: tagsOut(ctx, r.ruleId),
  };
}

function groupOut(ctx: SimContext, g: SecurityGroupRec) {
  return {
    Description: g.description,
    GroupName: g.name,
    GroupId: g.id,
    OwnerId: ctx.state.accountId,
    VpcId: g.vpcId,
    SecurityGroupArn: `arn:aws:ec2:${ctx.state.region}:${ctx.state.accountId}:security-group/${g.id}`,
    IpPermissions: permissionsOut(ctx, g.ingress),
    IpPermissionsEgress: permissionsOut(ctx, g.egress),
    Tags: tagsOut(ctx, g.id),
  };
}

/** Why a group cannot be deleted now, if it cannot. Released dependencies still block for dependencyViolationMs. */
export function groupDependency(ctx: SimContext, g: SecurityGroupRec): string | undefined {
  const now = ctx.now();
  let lastRelease: number | undefined;
  const released = (t: number) => (lastRelease = Math.max(lastRelease ?? t, t));
  for (const i of ctx.state.instances) {
    if (!i.sgIds.includes(g.id)) continue;
    const t = ctx.terminatedAt(i);
    if (t === undefined || now < t) return `instance ${i.id}`;
    released(t);
  }
  for (const lb of ctx.state.loadBalancers) if (lb.sgIds.includes(g.id)) return `load balancer ${lb.name}`;
  for (const h of ctx.state.eniHolds) {
    if (!h.sgIds.includes(g.id)) continue;
    if (now < h.releaseAt) return 'network interface';
    released(h.releaseAt);
  }
  for (const other of ctx.state.securityGroups)
    if (other.id !== g.id && [...other.ingress, ...other.egress].some((r) => r.groupId === g.id))
      return `security group ${other.id}`;
  const extra = ctx.faults.dependencyViolationMs ?? 0;
  if (lastRelease !== undefined && now < lastRelease + extra) return 'network interface';
  return undefined;
}

function authorize(ctx: SimContext, input: any, egress: boolean) {
  const sg = findGroup(ctx, input);
  const rules = parseRules(ctx, sg, input);
  const list = egress ? sg.egress : sg.ingress;
  for (const r of rules)
    if (list.some((x) => sameRule(x, r)))
      throw err('InvalidPermission.Duplicate', `the specified rule "${describeRule(r)}" already exists`);
  for (let i = 0; i < rules.length; i++)
    for (let j = 0; j < i; j++)
      if (sameRule(rules[i]!, rules[j]!))
        throw err(
          'InvalidPermission.Duplicate',
          `the specified rule "${describeRule(rules[i]!)}" already exists`,
        );
  const tags = tagSpecs(input, 'security-group-rule');
  dryRunCheck(input);
  const added = rules.map((r) => ({ ...r, ruleId: ctx.ids.ec2('sgr') }));
  list.push(...added);
  for (const r of added) ctx.setTags(r.ruleId, tags);
  return { Return: true, SecurityGroupRules: added.map((r) => ruleOut(ctx, sg, r, egress)) };
}

function revoke(ctx: SimContext, input: any, egress: boolean) {
  const sg = findGroup(ctx, input);
  const list = egress ? sg.egress : sg.ingress;
  const ruleIds: string[] = input.SecurityGroupRuleIds ?? [];
  for (const id of ruleIds)
    if (!list.some((r) => r.ruleId === id))
      throw err('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
  const rules =
    input.IpPermissions?.length || input.IpProtocol || input.CidrIp ? parseRules(ctx, sg, input) : [];
  dryRunCheck(input);
  const unknown = rules.filter((r) => !list.some((x) => sameRule(x, r)));
  const keep = list.filter((x) => !ruleIds.includes(x.ruleId) && !rules.some((r) => sameRule(x, r)));
  for (const gone of list.filter((x) => !keep.includes(x))) delete ctx.state.tags[gone.ruleId];
  list.splice(0, list.length, ...keep);
  return {
    Return: unknown.length === 0,
    UnknownIpPermissions: unknown.length
      ? permissionsOut(
          ctx,
          unknown.map((r) => ({ ...r, ruleId: '' })),
        )
      : undefined,
  };
}

export const securityGroupActions: Record<string, ActionDef> = {
  CreateSecurityGroup: {
    mutating: true,
    fn(ctx, input) {
      const name: string = ctx.requireParam(input.GroupName, 'GroupName');
      const description: string = ctx.requireParam(input.Description, 'GroupDescription');
      if (name.length > 255)
        throw err('InvalidParameterValue', 'Invalid value for GroupName: must be 255 characters or fewer');
      if (name.toLowerCase().startsWith('sg-'))
        throw err('InvalidParameterValue', 'Group names may not be in the format sg-*.');
      const vpcId: string = input.VpcId ?? ctx.state.vpcs.find((v) => v.isDefault)!.id;
      if (!ctx.state.vpcs.some((v) => v.id === vpcId))
        throw err('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
      if (ctx.state.securityGroups.some((g) => g.name === name && g.vpcId === vpcId))
        throw err('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`);
      const tags = tagSpecs(input, 'security-group');
      dryRunCheck(input);
      const g: SecurityGroupRec = {
        id: ctx.ids.ec2('sg'),
        name,
        description,
        vpcId,
        createdAt: ctx.now(),
        ingress: [],
        egress: [],
      };
      g.egress.push({ ruleId: ctx.ids.ec2('sgr'), protocol: '-1', cidr: '0.0.0.0/0' });
      ctx.state.securityGroups.push(g);
      ctx.setTags(g.id, tags);
      return { GroupId: g.id, Tags: tagsOut(ctx, g.id) };
    },
  },
  DescribeSecurityGroups: {
    mutating: false,
    fn(ctx, input) {
      checkMaxResults(input.MaxResults);
      let groups = ctx.state.securityGroups;
      const ids: string[] = input.GroupIds ?? [];
      const names: string[] = input.GroupNames ?? [];
      if (ids.length) {
        ids.forEach(checkGroupId);
        const missing = ids.filter((id) => !groups.some((g) => g.id === id && !ctx.fresh(g.createdAt)));
        if (missing.length) throw notFoundList('InvalidGroup.NotFound', 'security group', missing);
        groups = groups.filter((g) => ids.includes(g.id));
      }
      if (names.length) {
        const vpc = ctx.state.vpcs.find((v) => v.isDefault)!;
        for (const n of names)
          if (!groups.some((g) => g.name === n && g.vpcId === vpc.id && !ctx.fresh(g.createdAt)))
            throw err(
              'InvalidGroup.NotFound',
              `The security group '${n}' does not exist in default VPC '${vpc.id}'`,
            );
        groups = groups.filter((g) => names.includes(g.name) && g.vpcId === vpc.id);
      }
      groups = groups.filter((g) => !ctx.fresh(g.createdAt));
      const cidrs = (rules: RuleRec[]) => rules.map((r) => r.cidr);
      groups = applyFilters(
        groups,
        input.Filters,
        {
          'group-name': (g) => g.name,
          'group-id': (g) => g.id,
          'vpc-id': (g) => g.vpcId,
          description: (g) => g.description,
          'owner-id': () => ctx.state.accountId,
          'ip-permission.cidr': (g) => cidrs(g.ingress),
          'ip-permission.from-port': (g) => g.ingress.map((r) => String(r.fromPort ?? -1)),
          'ip-permission.to-port': (g) => g.ingress.map((r) => String(r.toPort ?? -1)),
          'ip-permission.protocol': (g) => g.ingress.map((r) => r.protocol),
          'ip-permission.group-id': (g) => g.ingress.map((r) => r.groupId),
          'egress.ip-permission.cidr': (g) => cidrs(g.egress),
        },
        (g) => ctx.tagsOf(g.id),
      );
      dryRunCheck(input);
      const { page, next } = paginate(groups, input.MaxResults, input.NextToken);
      return { SecurityGroups: page.map((g) => groupOut(ctx, g)), NextToken: next };
    },
  },
  DescribeSecurityGroupRules: {
    mutating: false,
    fn(ctx, input) {
      checkMaxResults(input.MaxResults, 5, 1000);
      const ids: string[] = input.SecurityGroupRuleIds ?? [];
      let rules = ctx.state.securityGroups
        .filter((g) => !ctx.fresh(g.createdAt))
        .flatMap((g) => [
          ...g.ingress.map((r) => ({ g, r, egress: false })),
          ...g.egress.map((r) => ({ g, r, egress: true })),
        ]);
      for (const id of ids)
        if (!rules.some(({ r }) => r.ruleId === id))
          throw err(
            'InvalidSecurityGroupRuleId.NotFound',
            `The security group rule ID '${id}' does not exist`,
          );
      if (ids.length) rules = rules.filter(({ r }) => ids.includes(r.ruleId));
      rules = applyFilters(
        rules,
        input.Filters,
        { 'group-id': ({ g }) => g.id, 'security-group-rule-id': ({ r }) => r.ruleId },
        ({ r }) => ctx.tagsOf(r.ruleId),
      );
      dryRunCheck(input);
      const { page, next } = paginate(rules, input.MaxResults, input.NextToken);
      return {
        SecurityGroupRules: page.map(({ g, r, egress }) => ruleOut(ctx, g, r, egress)),
        NextToken: next,
      };
    },
  },
  AuthorizeSecurityGroupIngress: { mutating: true, fn: (ctx, input) => authorize(ctx, input, false) },
  RevokeSecurityGroupIngress: { mutating: true, fn: (ctx, input) => revoke(ctx, input, false) },
  DeleteSecurityGroup: {
    mutating: true,
    fn(ctx, input) {
      const g = findGroup(ctx, input);
      if (g.name === 'default')
        throw err(
          'CannotDelete',
          `the specified group: "${g.id}" name: "default" cannot be deleted by a user`,
        );
      if (groupDependency(ctx, g))
        throw err('DependencyViolation', `resource ${g.id} has a dependent object`);
      dryRunCheck(input);
      ctx.state.securityGroups = ctx.state.securityGroups.filter((x) => x !== g);
      delete ctx.state.tags[g.id];
      for (const r of [...g.ingress, ...g.egress]) delete ctx.state.tags[r.ruleId];
      return { Return: true, GroupId: g.id };
    },
  },
};
