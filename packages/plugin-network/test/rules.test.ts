import { strict as assert } from 'node:assert';
import {
  compareRules,
  permissionOf,
  portLabel,
  ruleOfGroupRule,
  rulesOf,
  summarizeRules,
  type Rule,
} from '../src/security-groups/rules.js';

/** The pure rule model: no AWS, no nock; AWS's shapes in and out. */
describe('security group rules (the model)', () => {
  const http = (value: string, kind: Rule['source']['kind'] = 'group'): Rule => ({
    protocol: 'tcp',
    fromPort: 80,
    toPort: 80,
    source: { kind, value },
  });
  const ssh = (cidr: string): Rule => ({
    protocol: 'tcp',
    fromPort: 22,
    toPort: 22,
    source: { kind: 'cidr', value: cidr },
  });

  it('flattens IpPermissions into one rule per source: IPv4, IPv6, groups and prefix lists', () => {
    const rules = rulesOf([
      {
        IpProtocol: 'tcp',
        FromPort: 80,
        ToPort: 80,
        IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'web' }],
        Ipv6Ranges: [{ CidrIpv6: '::/0' }],
        UserIdGroupPairs: [{ GroupId: 'sg-0alb' }],
        PrefixListIds: [{ PrefixListId: 'pl-123' }],
      },
      { IpProtocol: '-1' },
    ]);
    assert.deepEqual(
      rules.map((rule) => [portLabel(rule), rule.source.kind, rule.source.value, rule.description]),
      [
        ['tcp/80', 'cidr', '0.0.0.0/0', 'web'],
        ['tcp/80', 'cidr6', '::/0', undefined],
        ['tcp/80', 'group', 'sg-0alb', undefined],
        ['tcp/80', 'cidr', 'pl-123', undefined],
      ],
    );
    assert.deepEqual(rulesOf(undefined), []);
  });

  it('turns a rule back into the IpPermission AuthorizeSecurityGroupIngress takes, whatever its source', () => {
    assert.deepEqual(permissionOf({ ...http('sg-0alb'), description: 'from the ALB' }), {
      IpProtocol: 'tcp',
      FromPort: 80,
      ToPort: 80,
      UserIdGroupPairs: [{ GroupId: 'sg-0alb', Description: 'from the ALB' }],
    });
    assert.deepEqual(permissionOf(http('::/0', 'cidr6')).Ipv6Ranges, [
      { CidrIpv6: '::/0', Description: undefined },
    ]);
    const rule = ssh('203.0.113.7/32');
    assert.deepEqual(rulesOf([permissionOf(rule)]), [{ ...rule, description: undefined }]);
  });

  it('reads a DescribeSecurityGroupRules entry as the same rule as its IpPermission', () => {
    const fromRules = ruleOfGroupRule({
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      ReferencedGroupInfo: { GroupId: 'sg-0other' },
    });
    const fromPermissions = rulesOf([
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: 'sg-0other' }] },
    ]);
    assert.deepEqual(compareRules(fromPermissions, [fromRules]).changes, []);
    assert.equal(
      ruleOfGroupRule({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv6: '::/0' }).source.kind,
      'cidr6',
    );
  });

  it('compares by protocol, ports and source, descriptions aside, and names the change per port', () => {
    const wanted = [http('sg-0alb'), ssh('203.0.113.7/32')];
    const actual = [{ ...http('sg-0alb'), description: 'old words' }, ssh('198.51.100.1/32')];
    const { missing, extra, changes } = compareRules(wanted, actual);
    assert.deepEqual(missing, [ssh('203.0.113.7/32')]);
    assert.deepEqual(extra, [ssh('198.51.100.1/32')]);
    assert.deepEqual(changes, [
      { field: 'SSH ingress (tcp/22)', from: ['198.51.100.1/32'], to: ['203.0.113.7/32'] },
    ]);
    assert.deepEqual(compareRules(wanted, wanted), { missing: [], extra: [], changes: [] });
  });

  it('names other ports by protocol and range, and "all traffic" for protocol -1', () => {
    const wide: Rule = {
      protocol: 'udp',
      fromPort: 1000,
      toPort: 2000,
      source: { kind: 'cidr', value: '10.0.0.0/8' },
    };
    const all: Rule = {
      protocol: '-1',
      fromPort: -1,
      toPort: -1,
      source: { kind: 'cidr', value: '0.0.0.0/0' },
    };
    assert.deepEqual(
      compareRules([], [wide, all]).changes.map((change) => change.field),
      ['ingress udp/1000-2000', 'ingress all traffic'],
    );
  });

  it('summarizes rules per port for site status', () => {
    assert.equal(summarizeRules([]), 'no inbound rules');
    assert.equal(
      summarizeRules([http('0.0.0.0/0', 'cidr'), http('::/0', 'cidr6'), ssh('203.0.113.7/32')]),
      'tcp/80 from 0.0.0.0/0, ::/0; tcp/22 from 203.0.113.7/32',
    );
  });
});
