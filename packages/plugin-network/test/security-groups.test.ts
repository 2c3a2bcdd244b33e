import { strict as assert } from 'node:assert';
import nock from 'nock';
import { albSecurityGroupResource } from '../src/resources/alb-security-group.js';
import { instanceSecurityGroupResource } from '../src/resources/instance-security-group.js';
import { publicIpResource } from '../src/resources/public-ip.js';
import hook from '../src/hooks/resources.js';
import {
  interceptEc2,
  createTestContext,
  paramsUnder,
  sentActions,
  setUpNock,
  tagSet,
  tearDownNockExpectingAllCalls,
  type Params,
} from '@site-cli/core/testing';

const VPC_OUT = {
  vpcId: 'vpc-0def',
  cidrBlock: '172.31.0.0/16',
  subnets: [
    { subnetId: 'subnet-a', availabilityZone: 'us-east-1a' },
    { subnetId: 'subnet-b', availabilityZone: 'us-east-1b' },
  ],
};
const ALB_OUT = { groupId: 'sg-0alb', groupName: 'demo-alb-sg', vpcId: 'vpc-0def' };

function ourTags(resource: string, name: string): Record<string, string> {
  return {
    Environment: 'Demo',
    Name: name,
    'site:name': 'demo',
    'site:resource': resource,
    ManagedBy: 'site',
  };
}

function tagsSent(params: Params): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let i = 1; params[`TagSpecification.1.Tag.${i}.Key`]; i++) {
    tags[params[`TagSpecification.1.Tag.${i}.Key`]] = params[`TagSpecification.1.Tag.${i}.Value`];
  }
  return tags;
}

/** An IpPermission item as DescribeSecurityGroups returns it. */
function permission(port: number, sources: { cidr?: string[]; cidr6?: string[]; groups?: string[] }): string {
  return (
    `<item><ipProtocol>tcp</ipProtocol><fromPort>${port}</fromPort><toPort>${port}</toPort>` +
    `<groups>${(sources.groups ?? []).map((g) => `<item><userId>123456789012</userId><groupId>${g}</groupId></item>`).join('')}</groups>` +
    `<ipRanges>${(sources.cidr ?? []).map((c) => `<item><cidrIp>${c}</cidrIp></item>`).join('')}</ipRanges>` +
    `<ipv6Ranges>${(sources.cidr6 ?? []).map((c) => `<item><cidrIpv6>${c}</cidrIpv6></item>`).join('')}</ipv6Ranges>` +
    '<prefixListIds/></item>'
  );
}

function group(id: string, name: string, tags: Record<string, string>, permissions: string[] = []): string {
  return `<item><ownerId>123456789012</ownerId><groupId>${id}</groupId><groupName>${name}</groupName><groupDescription>d</groupDescription><vpcId>vpc-0def</vpcId><ipPermissions>${permissions.join('')}</ipPermissions><ipPermissionsEgress/>${tagSet(tags)}</item>`;
}

const describeReply = (...groups: string[]) => `<securityGroupInfo>${groups.join('')}</securityGroupInfo>`;

function context(config: Record<string, unknown> = {}, outputs: Record<string, unknown> = {}) {
  return createTestContext(
    { name: 'demo', tags: { Environment: 'Demo' }, ...config },
    { outputs: new Map<string, unknown>(Object.entries({ 'network.vpc': VPC_OUT, ...outputs })) },
  );
}

describe('security groups', () => {
  beforeEach(setUpNock);
  afterEach(() => {
    delete process.env.SITE_CHECKIP_URL;
    tearDownNockExpectingAllCalls();
  });
  const alb = albSecurityGroupResource();
  const instance = instanceSecurityGroupResource();

  it('the hook contributes the four network resources with the documented dependencies', async () => {
    const resources = await hook({} as never);
    assert.deepEqual(Object.fromEntries(resources.map((r) => [r.id, [...r.dependsOn]])), {
      'network.vpc': [],
      'network.public-ip': [],
      'network.alb-security-group': ['network.vpc'],
      'network.instance-security-group': ['network.vpc', 'network.alb-security-group', 'network.public-ip'],
    });
    const groupIam = resources.find((r) => r.id === 'network.instance-security-group')!.iam;
    for (const action of [
      'ec2:CreateSecurityGroup',
      'ec2:CreateTags',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DeleteSecurityGroup',
    ]) {
      assert.ok(groupIam.includes(action), action);
    }
  });

  describe('network.alb-security-group', () => {
    it('creates the group in the VPC tagged at creation, open on the listener port to IPv4 and IPv6', async () => {
      const create = interceptEc2('CreateSecurityGroup', `<return>true</return><groupId>sg-0alb</groupId>`);
      const authorize = interceptEc2('AuthorizeSecurityGroupIngress', '<return>true</return>');
      const { ctx } = context({ alb: { port: 8080 } });
      const out = await alb.create(ctx);
      assert.deepEqual(out, { groupId: 'sg-0alb', groupName: 'demo-alb-sg', vpcId: 'vpc-0def' });

      const params = create[0].params;
      assert.equal(params.GroupName, 'demo-alb-sg');
      assert.equal(params.VpcId, 'vpc-0def');
      assert.match(params.GroupDescription, /demo/);
      assert.equal(params['TagSpecification.1.ResourceType'], 'security-group');
      assert.deepEqual(tagsSent(params), ourTags('network.alb-security-group', 'demo-alb-sg'));

      const { Action: _a, Version: _v, ...rules } = authorize[0].params;
      assert.deepEqual(rules, {
        GroupId: 'sg-0alb',
        'IpPermissions.1.IpProtocol': 'tcp',
        'IpPermissions.1.FromPort': '8080',
        'IpPermissions.1.ToPort': '8080',
        'IpPermissions.1.IpRanges.1.CidrIp': '0.0.0.0/0',
        'IpPermissions.1.IpRanges.1.Description': 'Port 8080 from anywhere to the load balancer of site demo',
        'IpPermissions.2.IpProtocol': 'tcp',
        'IpPermissions.2.FromPort': '8080',
        'IpPermissions.2.ToPort': '8080',
        'IpPermissions.2.Ipv6Ranges.1.CidrIpv6': '::/0',
        'IpPermissions.2.Ipv6Ranges.1.Description':
          'Port 8080 from anywhere to the load balancer of site demo',
      });
    });

    it('waits out eventual consistency: a just-created group that is NotFound to AuthorizeSecurityGroupIngress', async () => {
      interceptEc2('CreateSecurityGroup', `<groupId>sg-0alb</groupId>`);
      interceptEc2('AuthorizeSecurityGroupIngress', {
        error: 'InvalidGroup.NotFound',
        message: "The security group 'sg-0alb' does not exist",
      });
      const authorize = interceptEc2('AuthorizeSecurityGroupIngress', '<return>true</return>');
      const { ctx } = context();
      await alb.create(ctx);
      assert.equal(authorize.length, 1);
    });

    it('discovers both groups with one DescribeSecurityGroups filtered by the site tags', async () => {
      const describe = interceptEc2(
        'DescribeSecurityGroups',
        describeReply(
          group('sg-0alb', 'demo-alb-sg', ourTags('network.alb-security-group', 'demo-alb-sg'), [
            permission(80, { cidr: ['0.0.0.0/0'], cidr6: ['::/0'] }),
          ]),
          group(
            'sg-0ins',
            'demo-instance-sg',
            ourTags('network.instance-security-group', 'demo-instance-sg'),
            [permission(80, { groups: ['sg-0alb'] }), permission(22, { cidr: ['203.0.113.7/32'] })],
          ),
        ),
      );
      const { ctx } = context({}, { 'network.public-ip': { sshCidr: '203.0.113.7/32', source: 'detected' } });
      const albOut = await alb.discover(ctx);
      assert.deepEqual(albOut, ALB_OUT);
      const instanceOut = await instance.discover(ctx);
      assert.deepEqual(instanceOut, {
        groupId: 'sg-0ins',
        groupName: 'demo-instance-sg',
        vpcId: 'vpc-0def',
        sshCidr: '203.0.113.7/32',
      });
      assert.equal(describe.length, 1);
      assert.deepEqual(paramsUnder(describe[0].params, 'Filter.'), {
        'Filter.1.Name': 'tag:site:name',
        'Filter.1.Value.1': 'demo',
        'Filter.2.Name': 'tag:ManagedBy',
        'Filter.2.Value.1': 'site',
      });
      // In sync: no drift (the memoised describe is reused, no further call).
      assert.deepEqual(await alb.diff!(ctx, albOut!), []);
      // The instance group's HTTP rule is compared with the ALB group's id once that output is known.
      const withAlb = context(
        {},
        {
          'network.alb-security-group': ALB_OUT,
          'network.public-ip': { sshCidr: '203.0.113.7/32', source: 'detected' },
        },
      );
      interceptEc2(
        'DescribeSecurityGroups',
        describeReply(
          group(
            'sg-0ins',
            'demo-instance-sg',
            ourTags('network.instance-security-group', 'demo-instance-sg'),
            [permission(80, { groups: ['sg-0alb'] }), permission(22, { cidr: ['203.0.113.7/32'] })],
          ),
        ),
      );
      assert.deepEqual(await instance.diff!(withAlb.ctx, instanceOut!), []);
    });

    it('reads every page of the site-tagged groups (NextToken): a group on the second page is found', async () => {
      const pages = interceptEc2(
        'DescribeSecurityGroups',
        (params) =>
          params.NextToken === 'page-2'
            ? describeReply(
                group('sg-0alb', 'demo-alb-sg', ourTags('network.alb-security-group', 'demo-alb-sg')),
              )
            : `${describeReply(group('sg-0other', 'other-sg', ourTags('other.resource', 'other-sg')))}<nextToken>page-2</nextToken>`,
        2,
      );
      const { ctx } = context();
      assert.deepEqual(await alb.discover(ctx), ALB_OUT);
      assert.deepEqual(
        pages.map((page) => [page.params.NextToken, page.params['Filter.1.Name']]),
        [
          [undefined, 'tag:site:name'],
          ['page-2', 'tag:site:name'],
        ],
      );
    });

    it('refuses a same-named group without our tags (conflict) and changes nothing', async () => {
      interceptEc2('DescribeSecurityGroups', describeReply());
      const byName = interceptEc2(
        'DescribeSecurityGroups',
        describeReply(group('sg-0theirs', 'demo-alb-sg', { Team: 'web' })),
      );
      const { ctx } = context();
      await assert.rejects(alb.discover(ctx), (error: any) => {
        assert.equal(error.code, 'SECURITY_GROUP_CONFLICT');
        assert.equal(error.exitCode, 2);
        assert.match(error.message, /sg-0theirs/);
        assert.match(error.message, /demo-alb-sg/);
        return true;
      });
      assert.deepEqual(paramsUnder(byName[0].params, 'Filter.'), {
        'Filter.1.Name': 'vpc-id',
        'Filter.1.Value.1': 'vpc-0def',
        'Filter.2.Name': 'group-name',
        'Filter.2.Value.1': 'demo-alb-sg',
        'Filter.2.Value.2': 'demo-instance-sg',
      });
    });

    it('refuses "already exists" on create when the existing group is not ours', async () => {
      interceptEc2('CreateSecurityGroup', {
        error: 'InvalidGroup.Duplicate',
        message: "The security group 'demo-alb-sg' already exists for VPC 'vpc-0def'",
      });
      interceptEc2('DescribeSecurityGroups', describeReply(group('sg-0theirs', 'demo-alb-sg', {})));
      const { ctx } = context();
      await assert.rejects(alb.create(ctx), { code: 'SECURITY_GROUP_CONFLICT' });
    });

    it('a changed listener port is an update: the new rule is authorized before the old one is revoked', async () => {
      const { ctx } = context({ alb: { port: 443 } });
      interceptEc2(
        'DescribeSecurityGroups',
        describeReply(
          group('sg-0alb', 'demo-alb-sg', ourTags('network.alb-security-group', 'demo-alb-sg'), [
            permission(80, { cidr: ['0.0.0.0/0'], cidr6: ['::/0'] }),
          ]),
        ),
        2,
      );
      // The port-80 rules are extra: is another resource of the site holding them? (No one is.)
      const rulesAsked = interceptEc2('DescribeSecurityGroupRules', '<securityGroupRuleSet/>', 2);
      const changes = await alb.diff!(ctx, ALB_OUT);
      assert.deepEqual(rulesAsked[0].params, {
        Action: 'DescribeSecurityGroupRules',
        Version: '2016-11-15',
        'Filter.1.Name': 'group-id',
        'Filter.1.Value.1': 'sg-0alb',
        'Filter.2.Name': 'tag:site:name',
        'Filter.2.Value.1': 'demo',
        'Filter.3.Name': 'tag:ManagedBy',
        'Filter.3.Value.1': 'site',
      });
      assert.deepEqual(changes, [
        { field: 'ingress tcp/443', from: [], to: ['0.0.0.0/0', '::/0'] },
        { field: 'HTTP ingress (tcp/80)', from: ['0.0.0.0/0', '::/0'], to: [] },
      ]);
      const authorize = interceptEc2('AuthorizeSecurityGroupIngress', '<return>true</return>');
      const revoke = interceptEc2('RevokeSecurityGroupIngress', '<return>true</return>', 2);
      await alb.update!(ctx, ALB_OUT, changes);
      assert.equal(authorize[0].params['IpPermissions.1.FromPort'], '443');
      assert.deepEqual(
        revoke.map((call) => [
          call.params['IpPermissions.1.FromPort'],
          call.params['IpPermissions.1.IpRanges.1.CidrIp'] ??
            call.params['IpPermissions.1.Ipv6Ranges.1.CidrIpv6'],
        ]),
        [
          ['80', '0.0.0.0/0'],
          ['80', '::/0'],
        ],
      );
      assert.deepEqual(sentActions.slice(-3), [
        'AuthorizeSecurityGroupIngress',
        'RevokeSecurityGroupIngress',
        'RevokeSecurityGroupIngress',
      ]);
    });
    it('leaves rules another resource of the site added and holds (tagged with its id), while it is in the run', async () => {
      const groupWithHttps = describeReply(
        group('sg-0alb', 'demo-alb-sg', ourTags('network.alb-security-group', 'demo-alb-sg'), [
          permission(80, { cidr: ['0.0.0.0/0'], cidr6: ['::/0'] }),
          permission(443, { cidr: ['0.0.0.0/0'], cidr6: ['::/0'] }),
        ]),
      );
      const claimedRule = (id: string, source: string) =>
        `<item><securityGroupRuleId>${id}</securityGroupRuleId><groupId>sg-0alb</groupId><isEgress>false</isEgress>` +
        `<ipProtocol>tcp</ipProtocol><fromPort>443</fromPort><toPort>443</toPort>${source}` +
        `${tagSet(ourTags('https.ingress', 'demo-https'))}</item>`;
      const rules = `<securityGroupRuleSet>${claimedRule('sgr-01', '<cidrIpv4>0.0.0.0/0</cidrIpv4>')}${claimedRule('sgr-02', '<cidrIpv6>::/0</cidrIpv6>')}</securityGroupRuleSet>`;

      interceptEc2('DescribeSecurityGroups', groupWithHttps);
      interceptEc2('DescribeSecurityGroupRules', rules);
      const withHttps = context(
        {},
        { 'https.ingress': { groupId: 'sg-0alb', ruleIds: ['sgr-01', 'sgr-02'] } },
      );
      assert.deepEqual(await alb.diff!(withHttps.ctx, ALB_OUT), [], 'a no-op redeploy changes nothing');

      // The plugin is gone (or turned off): its rules are extra, as any other.
      interceptEc2('DescribeSecurityGroups', groupWithHttps);
      interceptEc2('DescribeSecurityGroupRules', rules);
      assert.deepEqual(await alb.diff!(context().ctx, ALB_OUT), [
        { field: 'ingress tcp/443', from: ['0.0.0.0/0', '::/0'], to: [] },
      ]);
    });
  });

  describe('network.instance-security-group', () => {
    it('SSH is exactly <your ip>/32 from the lookup, and HTTP comes only from the ALB group', async () => {
      process.env.SITE_CHECKIP_URL = 'http://checkip.test/';
      nock('http://checkip.test').get('/').reply(200, '198.51.100.23\n');
      const { ctx } = context();
      const publicIp = await publicIpResource().discover(ctx);
      const { ctx: withInputs } = context(
        {},
        { 'network.alb-security-group': ALB_OUT, 'network.public-ip': publicIp },
      );

      const create = interceptEc2('CreateSecurityGroup', `<groupId>sg-0ins</groupId>`);
      const authorize = interceptEc2('AuthorizeSecurityGroupIngress', '<return>true</return>');
      const out = await instance.create(withInputs);
      assert.deepEqual(out, {
        groupId: 'sg-0ins',
        groupName: 'demo-instance-sg',
        vpcId: 'vpc-0def',
        sshCidr: '198.51.100.23/32',
      });
      assert.deepEqual(
        tagsSent(create[0].params),
        ourTags('network.instance-security-group', 'demo-instance-sg'),
      );
      assert.equal(create[0].params.VpcId, 'vpc-0def');

      const { Action: _a, Version: _v, ...rules } = authorize[0].params;
      assert.deepEqual(rules, {
        GroupId: 'sg-0ins',
        'IpPermissions.1.IpProtocol': 'tcp',
        'IpPermissions.1.FromPort': '80',
        'IpPermissions.1.ToPort': '80',
        'IpPermissions.1.Groups.1.GroupId': 'sg-0alb',
        'IpPermissions.1.Groups.1.Description': 'HTTP from the load balancer of site demo only',
        'IpPermissions.2.IpProtocol': 'tcp',
        'IpPermissions.2.FromPort': '22',
        'IpPermissions.2.ToPort': '22',
        'IpPermissions.2.IpRanges.1.CidrIp': '198.51.100.23/32',
        'IpPermissions.2.IpRanges.1.Description': 'SSH from your public IP 198.51.100.23/32',
      });
    });

    it('no SSH rule at all when the lookup failed (and never 0.0.0.0/0)', async () => {
      process.env.SITE_CHECKIP_URL = 'http://checkip.test/';
      nock('http://checkip.test').get('/').reply(500);
      const { ctx, log } = context();
      const publicIp = await publicIpResource().discover(ctx);
      assert.equal(log.warnings.length, 1);
      const { ctx: withInputs } = context(
        {},
        { 'network.alb-security-group': ALB_OUT, 'network.public-ip': publicIp },
      );
      interceptEc2('CreateSecurityGroup', `<groupId>sg-0ins</groupId>`);
      const authorize = interceptEc2('AuthorizeSecurityGroupIngress', '<return>true</return>');
      const out = await instance.create(withInputs);
      assert.equal(out.sshCidr, null);
      const params = authorize[0].params;
      assert.equal(params['IpPermissions.1.Groups.1.GroupId'], 'sg-0alb');
      assert.equal(params['IpPermissions.2.IpProtocol'], undefined);
      assert.ok(
        !Object.values(params).some((value) => value === '0.0.0.0/0' || value === '::/0' || value === '22'),
      );
    });

    it('resumes an interrupted create: our group exists with HTTP only, so only SSH is added', async () => {
      interceptEc2('CreateSecurityGroup', { error: 'InvalidGroup.Duplicate' });
      interceptEc2(
        'DescribeSecurityGroups',
        describeReply(
          group(
            'sg-0ins',
            'demo-instance-sg',
            ourTags('network.instance-security-group', 'demo-instance-sg'),
            [permission(80, { groups: ['sg-0alb'] })],
          ),
        ),
      );
      const authorize = interceptEc2('AuthorizeSecurityGroupIngress', '<return>true</return>');
      const { ctx } = context(
        {},
        {
          'network.alb-security-group': ALB_OUT,
          'network.public-ip': { sshCidr: '203.0.113.7/32', source: 'detected' },
        },
      );
      const out = await instance.create(ctx);
      assert.equal(out.groupId, 'sg-0ins');
      const { Action: _a, Version: _v, GroupId, ...rules } = authorize[0].params;
      assert.equal(GroupId, 'sg-0ins');
      assert.deepEqual(
        Object.keys(rules)
          .filter((k) => k.endsWith('FromPort'))
          .map((k) => rules[k]),
        ['22'],
      );
    });

    it('a rule that already exists (InvalidPermission.Duplicate) is fine: rules are then added one at a time', async () => {
      interceptEc2('CreateSecurityGroup', `<groupId>sg-0ins</groupId>`);
      interceptEc2('AuthorizeSecurityGroupIngress', { error: 'InvalidPermission.Duplicate' });
      interceptEc2('AuthorizeSecurityGroupIngress', { error: 'InvalidPermission.Duplicate' });
      const second = interceptEc2('AuthorizeSecurityGroupIngress', '<return>true</return>');
      const { ctx } = context(
        {},
        {
          'network.alb-security-group': ALB_OUT,
          'network.public-ip': { sshCidr: '203.0.113.7/32', source: 'detected' },
        },
      );
      await instance.create(ctx);
      assert.equal(second[0].params['IpPermissions.1.FromPort'], '22');
    });

    it('a changed SSH address is an update: authorize the new /32, then revoke the old one', async () => {
      const existing = describeReply(
        group('sg-0ins', 'demo-instance-sg', ourTags('network.instance-security-group', 'demo-instance-sg'), [
          permission(80, { groups: ['sg-0alb'] }),
          permission(22, { cidr: ['203.0.113.7/32'] }),
        ]),
      );
      interceptEc2('DescribeSecurityGroups', existing, 2);
      const { ctx } = context(
        {},
        {
          'network.alb-security-group': ALB_OUT,
          'network.public-ip': { sshCidr: '198.51.100.23/32', source: 'detected' },
        },
      );
      const found = {
        groupId: 'sg-0ins',
        groupName: 'demo-instance-sg',
        vpcId: 'vpc-0def',
        sshCidr: '203.0.113.7/32',
      };
      const changes = await instance.diff!(ctx, found);
      assert.deepEqual(changes, [
        { field: 'SSH ingress (tcp/22)', from: ['203.0.113.7/32'], to: ['198.51.100.23/32'] },
      ]);
      const authorize = interceptEc2('AuthorizeSecurityGroupIngress', '<return>true</return>');
      const revoke = interceptEc2('RevokeSecurityGroupIngress', '<return>true</return>');
      const out = await instance.update!(ctx, found, changes);
      assert.equal(out.sshCidr, '198.51.100.23/32');
      assert.equal(authorize[0].params['IpPermissions.1.IpRanges.1.CidrIp'], '198.51.100.23/32');
      assert.equal(revoke[0].params['IpPermissions.1.IpRanges.1.CidrIp'], '203.0.113.7/32');
      assert.equal(revoke[0].params['IpPermissions.1.FromPort'], '22');
      assert.deepEqual(sentActions.slice(-2), [
        'AuthorizeSecurityGroupIngress',
        'RevokeSecurityGroupIngress',
      ]);
    });

    it('a failed lookup keeps an existing SSH rule instead of locking you out; ssh.cidr none removes it', async () => {
      const existing = describeReply(
        group('sg-0ins', 'demo-instance-sg', ourTags('network.instance-security-group', 'demo-instance-sg'), [
          permission(80, { groups: ['sg-0alb'] }),
          permission(22, { cidr: ['203.0.113.7/32'] }),
        ]),
      );
      const found = {
        groupId: 'sg-0ins',
        groupName: 'demo-instance-sg',
        vpcId: 'vpc-0def',
        sshCidr: '203.0.113.7/32',
      };
      interceptEc2('DescribeSecurityGroups', existing);
      const failed = context(
        {},
        {
          'network.alb-security-group': ALB_OUT,
          'network.public-ip': { sshCidr: null, source: 'lookup-failed' },
        },
      );
      assert.deepEqual(await instance.diff!(failed.ctx, found), []);
      interceptEc2('DescribeSecurityGroups', existing);
      const none = context(
        { ssh: { cidr: 'none' } },
        { 'network.alb-security-group': ALB_OUT, 'network.public-ip': { sshCidr: null, source: 'none' } },
      );
      assert.deepEqual(await instance.diff!(none.ctx, found), [
        { field: 'SSH ingress (tcp/22)', from: ['203.0.113.7/32'], to: [] },
      ]);
    });

    it('HTTP from anything but the ALB group is drift', async () => {
      interceptEc2(
        'DescribeSecurityGroups',
        describeReply(
          group(
            'sg-0ins',
            'demo-instance-sg',
            ourTags('network.instance-security-group', 'demo-instance-sg'),
            [permission(80, { cidr: ['0.0.0.0/0'] })],
          ),
        ),
      );
      const { ctx } = context(
        {},
        { 'network.alb-security-group': ALB_OUT, 'network.public-ip': { sshCidr: null, source: 'none' } },
      );
      const changes = await instance.diff!(ctx, {
        groupId: 'sg-0ins',
        groupName: 'demo-instance-sg',
        vpcId: 'vpc-0def',
        sshCidr: null,
      });
      assert.deepEqual(changes, [{ field: 'HTTP ingress (tcp/80)', from: ['0.0.0.0/0'], to: ['sg-0alb'] }]);
    });
  });

  describe('destroy', () => {
    it('retries DependencyViolation with growing delays, then deletes', async () => {
      const busy = interceptEc2(
        'DeleteSecurityGroup',
        { error: 'DependencyViolation', message: 'resource sg-0ins has a dependent object' },
        2,
      );
      const done = interceptEc2('DeleteSecurityGroup', '<return>true</return>');
      const { ctx } = context();
      await instance.destroy(ctx, {
        groupId: 'sg-0ins',
        groupName: 'demo-instance-sg',
        vpcId: 'vpc-0def',
        sshCidr: null,
      });
      assert.equal(busy.length, 2);
      assert.equal(done[0].params.GroupId, 'sg-0ins');
    });

    it('is idempotent: InvalidGroup.NotFound means gone', async () => {
      interceptEc2('DeleteSecurityGroup', { error: 'InvalidGroup.NotFound' });
      const { ctx } = context();
      await alb.destroy(ctx, ALB_OUT);
    });

    it('gives up after the deadline naming what still holds the group', async () => {
      interceptEc2('DeleteSecurityGroup', { error: 'DependencyViolation' }, Infinity);
      const enis = interceptEc2(
        'DescribeNetworkInterfaces',
        '<networkInterfaceSet><item><networkInterfaceId>eni-0abc</networkInterfaceId><description>ELB app/demo-alb/123</description></item><item><networkInterfaceId>eni-0def</networkInterfaceId><description>Primary network interface</description><attachment><instanceId>i-0123</instanceId><status>attached</status></attachment></item></networkInterfaceSet>',
      );
      const referencing = interceptEc2(
        'DescribeSecurityGroups',
        describeReply(group('sg-0ins', 'demo-instance-sg', {})),
      );
      const { ctx } = context();
      await assert.rejects(alb.destroy(ctx, ALB_OUT), (error: any) => {
        assert.equal(error.code, 'SECURITY_GROUP_IN_USE');
        assert.match(error.message, /eni-0abc "ELB app\/demo-alb\/123"/);
        assert.match(error.message, /attached to instance i-0123/);
        assert.match(error.message, /sg-0ins \(demo-instance-sg\)/);
        return true;
      });
      assert.deepEqual(paramsUnder(enis[0].params, 'Filter.'), {
        'Filter.1.Name': 'group-id',
        'Filter.1.Value.1': 'sg-0alb',
      });
      assert.equal(referencing[0].params['Filter.1.Name'], 'ip-permission.group-id');
    });
  });
});
