/**
 * The rule model of a security group, pure: AWS's shapes in and out, what to add and take away, and how to say
 * it. No AWS calls here (the SDK is imported for its types only), so all of it is tested without a network.
 */
import type { Change } from '@site-cli/core/plugin';
import type { IpPermission, SecurityGroupRule } from '@aws-sdk/client-ec2';

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

/** What makes two rules the same to AWS: protocol, ports and source (a description is not part of it). */
export function ruleKey(rule: Rule): string {
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
  return (permissions ?? []).flatMap((permission) => {
    const base = {
      protocol: permission.IpProtocol ?? '-1',
      fromPort: permission.FromPort ?? -1,
      toPort: permission.ToPort ?? -1,
    };
    const sources: (readonly [Rule['source']['kind'], string | undefined, string | undefined])[] = [
      ...(permission.IpRanges ?? []).map((range) => ['cidr', range.CidrIp, range.Description] as const),
      ...(permission.Ipv6Ranges ?? []).map((range) => ['cidr6', range.CidrIpv6, range.Description] as const),
      ...(permission.UserIdGroupPairs ?? []).map(
        (pair) => ['group', pair.GroupId, pair.Description] as const,
      ),
      // A prefix list stands where a CIDR would: compared and shown by its id.
      ...(permission.PrefixListIds ?? []).map((list) => ['cidr', list.PrefixListId, undefined] as const),
    ];
    return sources
      .filter(([, value]) => value)
      .map(([kind, value, description]) => ({ ...base, source: { kind, value: value! }, description }));
  });
}

/** One rule of DescribeSecurityGroupRules (one source each already) as a Rule. */
export function ruleOfGroupRule(rule: SecurityGroupRule): Rule {
  const source = rule.CidrIpv4
    ? { kind: 'cidr' as const, value: rule.CidrIpv4 }
    : rule.CidrIpv6
      ? { kind: 'cidr6' as const, value: rule.CidrIpv6 }
      : { kind: 'group' as const, value: rule.ReferencedGroupInfo?.GroupId ?? rule.PrefixListId ?? '' };
  return {
    protocol: rule.IpProtocol ?? '-1',
    fromPort: rule.FromPort ?? -1,
    toPort: rule.ToPort ?? -1,
    source,
    description: rule.Description,
  };
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

/** The rules in a line, per port: what `site status` shows. */
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
