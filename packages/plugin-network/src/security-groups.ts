import type { CreateSecurityGroupCommandInput, IpPermission, SecurityGroup } from '@aws-sdk/client-ec2';
import type { Change, PreflightAction, ResourceContext, StatusRow } from '@site-cli/core/plugin';
import { isWaitTimeout } from '@site-cli/plugin-kit';

/** One ingress rule: one protocol/port range from one source. */
export interface Rule {
  protocol: string;
  fromPort: number;
  toPort: number;
  source: { kind: 'cidr' | 'cidr6' | 'group'; value: string };
  description?: string;
}

export function portLabel(rule: Pick<Rule, 'protocol' | 'fromPort' | 'toPort'>): string {
  if (rule.protocol === '-1') return 'all traffic';
  const ports = rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`;
  return `${rule.protocol}/${ports}`;
}

function ruleKey(rule: Rule): string {
  return `${portLabel(rule)} ${rule.source.kind}:${rule.source.value}`;
}

/** The user-facing name of a port's rules in a diff. */
function fieldFor(rule: Rule): string {
  if (rule.protocol === 'tcp' && rule.fromPort === 22 && rule.toPort === 22) return 'SSH ingress (tcp/22)';
  if (rule.protocol === 'tcp' && rule.fromPort === 80 && rule.toPort === 80) return 'HTTP ingress (tcp/80)';
  return `ingress ${portLabel(rule)}`;
}

/** Flatten AWS's IpPermissions into one rule per source. */
export function rulesOf(permissions: IpPermission[] | undefined): Rule[] {
  const rules: Rule[] = [];
  for (const permission of permissions ?? []) {
    const base = {
      protocol: permission.IpProtocol ?? '-1',
      fromPort: permission.FromPort ?? -1,
      toPort: permission.ToPort ?? -1,
    };
    for (const range of permission.IpRanges ?? []) {
      if (range.CidrIp)
        rules.push({
          ...base,
          source: { kind: 'cidr', value: range.CidrIp },
          description: range.Description,
        });
    }
    for (const range of permission.Ipv6Ranges ?? []) {
      if (range.CidrIpv6)
        rules.push({
          ...base,
          source: { kind: 'cidr6', value: range.CidrIpv6 },
          description: range.Description,
        });
    }
    for (const pair of permission.UserIdGroupPairs ?? []) {
      if (pair.GroupId)
        rules.push({
          ...base,
          source: { kind: 'group', value: pair.GroupId },
          description: pair.Description,
        });
    }
    for (const prefixList of permission.PrefixListIds ?? []) {
      if (prefixList.PrefixListId)
        rules.push({ ...base, source: { kind: 'cidr', value: prefixList.PrefixListId } });
    }
  }
  return rules;
}

/** One rule → one IpPermission (as AuthorizeSecurityGroupIngress / RevokeSecurityGroupIngress take it). */
export function permissionOf(rule: Rule): IpPermission {
  const permission: IpPermission = {
    IpProtocol: rule.protocol,
    FromPort: rule.fromPort,
    ToPort: rule.toPort,
  };
  const Description = rule.description;
  if (rule.source.kind === 'cidr') permission.IpRanges = [{ CidrIp: rule.source.value, Description }];
  if (rule.source.kind === 'cidr6') permission.Ipv6Ranges = [{ CidrIpv6: rule.source.value, Description }];
  if (rule.source.kind === 'group')
    permission.UserIdGroupPairs = [{ GroupId: rule.source.value, Description }];
  return permission;
}

export function summarizeRules(rules: Rule[]): string {
  if (rules.length === 0) return 'no inbound rules';
  const byPort = new Map<string, string[]>();
  for (const rule of rules)
    byPort.set(portLabel(rule), [...(byPort.get(portLabel(rule)) ?? []), rule.source.value]);
  return [...byPort].map(([port, sources]) => `${port} from ${sources.join(', ')}`).join('; ');
}

/** Which rules to add and which to take away so that `actual` becomes `wanted` (descriptions aside). */
export function compareRules(
  wanted: Rule[],
  actual: Rule[],
): { missing: Rule[]; extra: Rule[]; changes: Change[] } {
  const actualKeys = new Set(actual.map(ruleKey));
  const wantedKeys = new Set(wanted.map(ruleKey));
  const missing = wanted.filter((rule) => !actualKeys.has(ruleKey(rule)));
  const extra = actual.filter((rule) => !wantedKeys.has(ruleKey(rule)));
  const fields = new Map<string, { from: string[]; to: string[] }>();
  for (const rule of [...missing, ...extra]) fields.set(fieldFor(rule), { from: [], to: [] });
  for (const [field, entry] of fields) {
    entry.from = actual.filter((rule) => fieldFor(rule) === field).map((rule) => rule.source.value);
    entry.to = wanted.filter((rule) => fieldFor(rule) === field).map((rule) => rule.source.value);
  }
  const changes = [...fields].map(([field, { from, to }]) => ({ field, from, to }));
  return { missing, extra, changes };
}

/** Every security group carrying this site's tags: one describe per run, shared by both groups. */
export function describeSiteGroups(ctx: ResourceContext): Promise<SecurityGroup[]> {
  return ctx.once('network.security-groups:site', async () => {
    const ec2 = await ctx.aws.ec2();
    const groups: SecurityGroup[] = [];
    let NextToken: string | undefined;
    do {
      const page = await ec2.describeSecurityGroups({ Filters: ctx.tags.siteFilters(), NextToken });
      groups.push(...(page.SecurityGroups ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return groups;
  });
}

/** Both groups' names in the VPC, whoever owns them: one describe per run, only needed when tags found nothing. */
export function describeGroupsByName(ctx: ResourceContext, vpcId: string): Promise<SecurityGroup[]> {
  return ctx.once(`network.security-groups:by-name:${vpcId}`, async () => {
    const ec2 = await ctx.aws.ec2();
    const result = await ec2.describeSecurityGroups({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: [ctx.naming.albSecurityGroup, ctx.naming.instanceSecurityGroup] },
      ],
    });
    return result.SecurityGroups ?? [];
  });
}

/** The current state of one group, bypassing the run's memo (after changes). NotFound → undefined. */
export async function describeGroup(
  ctx: ResourceContext,
  groupId: string,
): Promise<SecurityGroup | undefined> {
  const ec2 = await ctx.aws.ec2();
  try {
    return (await ec2.describeSecurityGroups({ GroupIds: [groupId] })).SecurityGroups?.[0];
  } catch (error) {
    if (ctx.isAwsError(error, 'InvalidGroup.NotFound')) return undefined;
    throw error;
  }
}

export function conflictError(ctx: ResourceContext, resourceId: string, group: SecurityGroup) {
  const site = ctx.tags.toRecord(group.Tags)['site:name'];
  const owner = site ? `it belongs to site "${site}"` : 'it has no site tags';
  return ctx.error({
    code: 'SECURITY_GROUP_CONFLICT',
    message: `A security group named "${group.GroupName}" (${group.GroupId}) already exists in ${group.VpcId} but was not created by this site (${owner}). site will not use or delete it.`,
    suggestions: [
      'Choose another site name (name in the config file): security group names derive from it.',
      `Or, if it is unused, delete it yourself: aws ec2 delete-security-group --group-id ${group.GroupId}`,
    ],
    exitCode: 2,
    details: { resource: resourceId, groupId: group.GroupId, groupName: group.GroupName, vpcId: group.VpcId },
  });
}

/**
 * Find this site's group for `resourceId`: by tags (the shared describe), else a same-named group in the VPC
 * must be ours too (tag filters can lag just after creation) — or it is a conflict.
 */
export async function findGroup(
  ctx: ResourceContext,
  resourceId: string,
  groupName: string,
  vpcId: string,
): Promise<SecurityGroup | undefined> {
  const owned = (await describeSiteGroups(ctx)).filter((group) => ctx.tags.isOwned(group.Tags, resourceId));
  const best =
    owned.find((group) => group.VpcId === vpcId && group.GroupName === groupName) ??
    owned.find((group) => group.VpcId === vpcId) ??
    owned[0];
  if (best) return best;
  const sameName = (await describeGroupsByName(ctx, vpcId)).find((group) => group.GroupName === groupName);
  if (!sameName) return undefined;
  if (ctx.tags.isOwned(sameName.Tags, resourceId)) return sameName;
  throw conflictError(ctx, resourceId, sameName);
}

/** Add rules; a rule that already exists is fine (a resumed create, a concurrent run). */
export async function authorize(ctx: ResourceContext, groupId: string, rules: Rule[]): Promise<void> {
  if (rules.length === 0) return;
  const ec2 = await ctx.aws.ec2();
  const call = async (batch: Rule[]) => {
    // Just after CreateSecurityGroup the group may not be visible yet: NotFound means "not yet".
    await ctx.poll(
      `security group ${groupId} to accept rules`,
      async () => {
        try {
          await ec2.authorizeSecurityGroupIngress({
            GroupId: groupId,
            IpPermissions: batch.map(permissionOf),
          });
          return true;
        } catch (error) {
          if (ctx.isAwsError(error, 'InvalidGroup.NotFound')) return undefined;
          throw error;
        }
      },
      { initialDelayMs: 500, maxDelayMs: 2000, timeoutMs: 60_000 },
    );
  };
  try {
    await call(rules);
  } catch (error) {
    if (!ctx.isAwsError(error, 'InvalidPermission.Duplicate')) throw error;
    if (rules.length === 1) return;
    // One of them exists already, and AWS then adds none: one at a time.
    for (const rule of rules) {
      try {
        await call([rule]);
      } catch (inner) {
        if (!ctx.isAwsError(inner, 'InvalidPermission.Duplicate')) throw inner;
      }
    }
  }
}

/** Take rules away; a rule already gone is fine. */
export async function revoke(ctx: ResourceContext, groupId: string, rules: Rule[]): Promise<void> {
  const ec2 = await ctx.aws.ec2();
  for (const rule of rules) {
    try {
      await ec2.revokeSecurityGroupIngress({
        GroupId: groupId,
        IpPermissions: [permissionOf({ ...rule, description: undefined })],
      });
    } catch (error) {
      if (!ctx.isAwsError(error, 'InvalidPermission.NotFound')) throw error;
    }
  }
}

/** One of the site's groups, as CreateSecurityGroup makes it. */
export interface GroupSpec {
  resourceId: string;
  groupName: string;
  description: string;
  vpcId: string;
}

/** Tagged at creation: ec2:CreateTags is part of the permission. */
function createGroupRequest(ctx: ResourceContext, spec: GroupSpec): CreateSecurityGroupCommandInput {
  return {
    GroupName: spec.groupName,
    Description: spec.description,
    VpcId: spec.vpcId,
    TagSpecifications: [
      { ResourceType: 'security-group', Tags: ctx.tags.forResource(spec.resourceId, spec.groupName) },
    ],
  };
}

/**
 * Preflight of a group (DryRun): creating it, tags and all; or the rule changes an update makes. A new group's
 * rules cannot be checked: AWS needs the group to exist to decide on AuthorizeSecurityGroupIngress.
 */
export async function preflightGroup(
  ctx: ResourceContext,
  spec: GroupSpec,
  wanted: (actual: Rule[]) => Rule[],
  step: { action: PreflightAction; found?: { groupId: string } },
): Promise<void> {
  const ec2 = await ctx.aws.ec2();
  if (step.action !== 'update' || !step.found) {
    try {
      await ctx.dryRun(['ec2:CreateSecurityGroup', 'ec2:CreateTags'], () =>
        ec2.createSecurityGroup({ ...createGroupRequest(ctx, spec), DryRun: true }),
      );
    } catch (error) {
      // The group exists though the plan did not see it (a stopped run's create AWS does not list yet):
      // create resumes it once its tags prove it ours, so it is no reason to stop the deploy here.
      if (!ctx.isAwsError(error, 'InvalidGroup.Duplicate')) throw error;
    }
    return;
  }
  const GroupId = step.found.groupId;
  const actual = rulesOf((await describeGroup(ctx, GroupId))?.IpPermissions);
  const { missing, extra } = compareRules(wanted(actual), actual);
  await Promise.all([
    missing.length > 0 &&
      ctx.dryRun('ec2:AuthorizeSecurityGroupIngress', () =>
        ec2.authorizeSecurityGroupIngress({
          GroupId,
          IpPermissions: missing.map(permissionOf),
          DryRun: true,
        }),
      ),
    extra.length > 0 &&
      ctx.dryRun('ec2:RevokeSecurityGroupIngress', () =>
        ec2.revokeSecurityGroupIngress({
          GroupId,
          IpPermissions: [permissionOf({ ...extra[0]!, description: undefined })],
          DryRun: true,
        }),
      ),
  ]);
}

/**
 * Create the group tagged at creation, or resume one an interrupted run left (when its tags prove it ours),
 * then make its ingress exactly `wanted` — authorizing before revoking, so nothing is ever unreachable.
 */
export async function createGroup(
  ctx: ResourceContext,
  options: GroupSpec & { wanted: Rule[] },
): Promise<string> {
  const ec2 = await ctx.aws.ec2();
  let groupId: string;
  let actual: Rule[] = [];
  try {
    const created = await ec2.createSecurityGroup(createGroupRequest(ctx, options));
    groupId = created.GroupId ?? '';
  } catch (error) {
    if (!ctx.isAwsError(error, 'InvalidGroup.Duplicate')) throw error;
    const existing = await waitListed(ctx, options.vpcId, options.groupName);
    if (!existing) throw error;
    if (!ctx.tags.isOwned(existing.Tags, options.resourceId))
      throw conflictError(ctx, options.resourceId, existing);
    groupId = existing.GroupId ?? '';
    actual = rulesOf(existing.IpPermissions);
  }
  await applyRules(ctx, groupId, options.wanted, actual);
  return groupId;
}

/**
 * The group AWS just called a duplicate, once describes list it: made a moment ago by an interrupted or
 * concurrent run, it can stay invisible for a few seconds (eventual consistency). Undefined at the deadline.
 */
async function waitListed(ctx: ResourceContext, vpcId: string, groupName: string) {
  const ec2 = await ctx.aws.ec2();
  try {
    return await ctx.poll(
      `security group ${groupName} to be listed`,
      async () => {
        const result = await ec2.describeSecurityGroups({
          Filters: [
            { Name: 'vpc-id', Values: [vpcId] },
            { Name: 'group-name', Values: [groupName] },
          ],
        });
        return result.SecurityGroups?.find((group) => group.GroupName === groupName);
      },
      { initialDelayMs: 500, maxDelayMs: 2000, timeoutMs: 30_000 },
    );
  } catch (error) {
    if (isWaitTimeout(error)) return undefined;
    throw error;
  }
}

export async function applyRules(
  ctx: ResourceContext,
  groupId: string,
  wanted: Rule[],
  actual: Rule[],
): Promise<void> {
  const { missing, extra } = compareRules(wanted, actual);
  await authorize(ctx, groupId, missing);
  await revoke(ctx, groupId, extra);
}

/**
 * `actual` without the rules another resource of this site added to the group and still holds: rules tagged
 * `site:resource=<its id>` (plus this site's tags) while that resource is part of the run. Such a rule is not
 * drift and never revoked here (e.g. a plugin opening 443 on the load balancer's group). Costs one
 * DescribeSecurityGroupRules, and only when there are rules we would otherwise call extra.
 */
export async function withoutClaimedRules(
  ctx: ResourceContext,
  groupId: string,
  wanted: Rule[],
  actual: Rule[],
): Promise<Rule[]> {
  if (compareRules(wanted, actual).extra.length === 0) return actual;
  const ec2 = await ctx.aws.ec2();
  const claimed = new Set<string>();
  let NextToken: string | undefined;
  do {
    const page = await ec2.describeSecurityGroupRules({
      Filters: [{ Name: 'group-id', Values: [groupId] }, ...ctx.tags.siteFilters()],
      NextToken,
    });
    for (const rule of page.SecurityGroupRules ?? []) {
      const owner = ctx.tags.toRecord(rule.Tags)['site:resource'];
      if (rule.IsEgress || !owner || !ctx.outputs.has(owner)) continue;
      const source = rule.CidrIpv4
        ? { kind: 'cidr' as const, value: rule.CidrIpv4 }
        : rule.CidrIpv6
          ? { kind: 'cidr6' as const, value: rule.CidrIpv6 }
          : { kind: 'group' as const, value: rule.ReferencedGroupInfo?.GroupId ?? rule.PrefixListId ?? '' };
      const base = {
        protocol: rule.IpProtocol ?? '-1',
        fromPort: rule.FromPort ?? -1,
        toPort: rule.ToPort ?? -1,
      };
      claimed.add(ruleKey({ ...base, source }));
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return actual.filter((rule) => !claimed.has(ruleKey(rule)));
}

/** What still uses a group, in words: network interfaces (instances, load balancers) and groups referencing it. */
export async function describeHolders(ctx: ResourceContext, groupId: string): Promise<string[]> {
  const ec2 = await ctx.aws.ec2();
  const holders: string[] = [];
  try {
    const interfaces = await ec2.describeNetworkInterfaces({
      Filters: [{ Name: 'group-id', Values: [groupId] }],
    });
    for (const eni of interfaces.NetworkInterfaces ?? []) {
      const attached = eni.Attachment?.InstanceId
        ? `, attached to instance ${eni.Attachment.InstanceId}`
        : '';
      const description = eni.Description ? ` "${eni.Description}"` : '';
      holders.push(`network interface ${eni.NetworkInterfaceId}${description}${attached}`);
    }
  } catch (error) {
    holders.push(
      `(could not list network interfaces: ${ctx.awsErrorCode(error) ?? (error as Error).message})`,
    );
  }
  try {
    const referencing = await ec2.describeSecurityGroups({
      Filters: [{ Name: 'ip-permission.group-id', Values: [groupId] }],
    });
    for (const group of referencing.SecurityGroups ?? []) {
      if (group.GroupId !== groupId)
        holders.push(
          `security group ${group.GroupId} (${group.GroupName}), whose inbound rules reference it`,
        );
    }
  } catch (error) {
    holders.push(
      `(could not list referencing security groups: ${ctx.awsErrorCode(error) ?? (error as Error).message})`,
    );
  }
  return holders;
}

/**
 * The delete retry schedule: AWS releases interfaces of terminated instances and deleted load balancers
 * slowly (about a minute), and that release ends destroy: a 3 s cap notices it at most 3 s late, for one
 * cheap call every 3 s (throttling slows it down further).
 */
export const DELETE_RETRY = { initialDelayMs: 1000, maxDelayMs: 3000, timeoutMs: 300_000 };

/** Delete a group, retrying while something still holds it; idempotent. On giving up, say what holds it. */
export async function deleteGroup(ctx: ResourceContext, groupId: string, groupName: string): Promise<void> {
  const ec2 = await ctx.aws.ec2();
  try {
    await ctx.poll(
      `security group ${groupName} (${groupId}) to be released`,
      async () => {
        try {
          await ec2.deleteSecurityGroup({ GroupId: groupId });
          return true;
        } catch (error) {
          if (ctx.isAwsError(error, 'InvalidGroup.NotFound')) return true;
          if (ctx.isAwsError(error, 'DependencyViolation')) {
            ctx.progress(`${groupName} is still in use; waiting for AWS to release it`);
            return undefined;
          }
          throw error;
        }
      },
      DELETE_RETRY,
    );
  } catch (error) {
    if (!isWaitTimeout(error)) throw error;
    const holders = await describeHolders(ctx, groupId);
    throw ctx.error({
      code: 'SECURITY_GROUP_IN_USE',
      message:
        `The security group ${groupName} (${groupId}) is still in use after ${DELETE_RETRY.timeoutMs / 60_000} minutes, so it cannot be deleted. ` +
        (holders.length > 0 ? `Still using it: ${holders.join('; ')}.` : 'AWS did not say what holds it.'),
      suggestions: [
        'Run `site destroy` again in a few minutes: interfaces of deleted load balancers and instances take a while to go.',
        `See what uses it: aws ec2 describe-network-interfaces --filters Name=group-id,Values=${groupId}`,
      ],
      details: { groupId, groupName, holders },
      cause: error,
    });
  }
}

/** `site status` rows of one of our groups: whether it is there, and its rules. */
export async function groupStatus(
  ctx: ResourceContext,
  found: { groupId: string; groupName: string },
): Promise<StatusRow[]> {
  const group = await describeGroup(ctx, found.groupId);
  return [
    {
      name: found.groupName,
      id: found.groupId,
      state: group ? 'available' : 'missing',
      detail: group ? summarizeRules(rulesOf(group.IpPermissions)) : undefined,
    },
  ];
}
