import { strict as assert } from 'node:assert';
import {
  buildIamPolicy,
  MANAGED_POLICY_MAX,
  partitionOf,
  policySize,
  type PolicyStatement,
} from '../src/index.js';

const plugin = (name: string) => ({ name, version: '1.0.0' });
const config = { name: 'barista-cafe', region: 'us-east-1' };

/** The built-in resources' shape, reduced to what the policy needs. */
const builtIn = [
  {
    id: 'keypair.key-pair',
    plugin: plugin('@site-cli/plugin-keypair'),
    iam: ['ec2:DescribeKeyPairs', 'ec2:ImportKeyPair', 'ec2:CreateTags', 'ec2:DeleteKeyPair'],
  },
  {
    id: 'network.vpc',
    plugin: plugin('@site-cli/plugin-network'),
    iam: ['ec2:DescribeVpcs', 'ec2:DescribeSubnets'],
  },
  {
    id: 'network.alb-security-group',
    plugin: plugin('@site-cli/plugin-network'),
    iam: [
      'ec2:DescribeSecurityGroups',
      'ec2:CreateSecurityGroup',
      'ec2:CreateTags',
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:RevokeSecurityGroupIngress',
      'ec2:DeleteSecurityGroup',
    ],
  },
  {
    id: 'compute.instances',
    plugin: plugin('@site-cli/plugin-compute'),
    iam: ['ec2:DescribeInstances', 'ec2:RunInstances', 'ec2:CreateTags', 'ec2:TerminateInstances'],
  },
  {
    id: 'alb.load-balancer',
    plugin: plugin('@site-cli/plugin-alb'),
    iam: [
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:CreateLoadBalancer',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:DeleteLoadBalancer',
      'iam:CreateServiceLinkedRole',
    ],
  },
  {
    id: 'alb.target-group',
    plugin: plugin('@site-cli/plugin-alb'),
    iam: [
      'elasticloadbalancing:CreateTargetGroup',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:ModifyTargetGroup',
      'elasticloadbalancing:RegisterTargets',
    ],
  },
  {
    id: 'alb.listener',
    plugin: plugin('@site-cli/plugin-alb'),
    iam: [
      'elasticloadbalancing:CreateListener',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:DeleteListener',
    ],
  },
];

function statement(statements: PolicyStatement[], action: string): PolicyStatement[] {
  return statements.filter((s) => s.Action.includes(action));
}

describe('the IAM policy builder', () => {
  it('grants every declared action, each where AWS lets it be narrowed', () => {
    const { policy, actions } = buildIamPolicy(config, builtIn);
    const { Statement } = policy;
    assert.equal(policy.Version, '2012-10-17');
    const granted = new Set(Statement.flatMap((s) => s.Action));
    assert.deepEqual([...granted].sort(), [...new Set(builtIn.flatMap((r) => r.iam))].sort());
    assert.deepEqual(actions.find((a) => a.action === 'ec2:CreateTags')?.resources, [
      'keypair.key-pair',
      'network.alb-security-group',
      'compute.instances',
    ]);

    // Look-ups: no resource-level permissions exist; the region is the only limit.
    const [lookups] = statement(Statement, 'ec2:DescribeVpcs');
    assert.equal(lookups!.Resource, '*');
    assert.deepEqual(lookups!.Condition, { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } });
    assert.ok(lookups!.Action.every((a) => /^(ec2|elasticloadbalancing):Describe/.test(a)));

    // Creates: the new resources only with the site tag; what they use (AMI, subnet…) as is.
    const runs = statement(Statement, 'ec2:RunInstances');
    const tagged = runs.find((s) => s.Condition)!;
    assert.deepEqual(tagged.Condition, { StringEquals: { 'aws:RequestTag/site:name': 'barista-cafe' } });
    assert.ok((tagged.Resource as string[]).includes('arn:aws:ec2:us-east-1:*:instance/*'));
    assert.ok((tagged.Resource as string[]).includes('arn:aws:ec2:us-east-1:*:volume/*'));
    const uses = runs.find((s) => !s.Condition)!;
    assert.deepEqual(uses.Action, ['ec2:RunInstances']);
    assert.ok((uses.Resource as string[]).includes('arn:aws:ec2:us-east-1::image/*'));
    assert.ok(!(uses.Resource as string[]).some((r) => /instance\/|volume\//.test(r)));
    const groupInVpc = statement(Statement, 'ec2:CreateSecurityGroup').find((s) => !s.Condition)!;
    assert.deepEqual(groupInVpc.Resource, ['arn:aws:ec2:us-east-1:*:vpc/*']);

    // Tags only while creating, and only with the site tag.
    const [createTags] = statement(Statement, 'ec2:CreateTags');
    assert.deepEqual(createTags!.Condition, {
      StringEquals: {
        'ec2:CreateAction': ['CreateSecurityGroup', 'ImportKeyPair', 'RunInstances'],
        'aws:RequestTag/site:name': 'barista-cafe',
      },
    });
    const [addTags] = statement(Statement, 'elasticloadbalancing:AddTags');
    assert.deepEqual(addTags!.Condition!.StringEquals!['elasticloadbalancing:CreateAction'], [
      'CreateListener',
      'CreateLoadBalancer',
      'CreateTargetGroup',
    ]);

    // Changes to what exists: only what carries the site tag…
    for (const action of [
      'ec2:TerminateInstances',
      'ec2:DeleteSecurityGroup',
      'ec2:DeleteKeyPair',
      'elasticloadbalancing:DeleteLoadBalancer',
    ]) {
      const [owned] = statement(Statement, action);
      assert.deepEqual(
        owned!.Condition,
        { StringEquals: { 'aws:ResourceTag/site:name': 'barista-cafe' } },
        action,
      );
    }
    // …or, where tag conditions are not documented, only the site's load balancer and target group by name.
    const [named] = statement(Statement, 'elasticloadbalancing:RegisterTargets');
    assert.equal(named!.Condition, undefined);
    assert.deepEqual(named!.Resource, [
      'arn:aws:elasticloadbalancing:us-east-1:*:loadbalancer/app/barista-cafe-alb/*',
      'arn:aws:elasticloadbalancing:us-east-1:*:listener/app/barista-cafe-alb/*/*',
      'arn:aws:elasticloadbalancing:us-east-1:*:targetgroup/barista-cafe-tg/*',
    ]);
    assert.deepEqual(statement(Statement, 'elasticloadbalancing:CreateListener'), [named]);

    // The service-linked role AWS makes with an account's first load balancer, and no other role.
    const [role] = statement(Statement, 'iam:CreateServiceLinkedRole');
    assert.equal(
      role!.Resource,
      'arn:aws:iam::*:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing',
    );
    assert.deepEqual(role!.Condition, {
      StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' },
    });
  });

  it('lets a resource that tags the rules it authorizes (plugin-domain’s 443) tag them, and narrows ACM by the site tag', () => {
    const domain = [
      {
        id: 'domain.ingress',
        plugin: plugin('@site-cli/plugin-domain'),
        iam: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:CreateTags', 'ec2:RevokeSecurityGroupIngress'],
      },
      {
        id: 'domain.certificate',
        plugin: plugin('@site-cli/plugin-domain'),
        iam: [
          'acm:ListCertificates',
          'acm:RequestCertificate',
          'acm:AddTagsToCertificate',
          'acm:DeleteCertificate',
        ],
      },
    ];
    const { Statement } = buildIamPolicy(config, [...builtIn, ...domain]).policy;
    const [createTags] = statement(Statement, 'ec2:CreateTags');
    assert.deepEqual(createTags!.Condition!.StringEquals!['ec2:CreateAction'], [
      'AuthorizeSecurityGroupIngress',
      'CreateSecurityGroup',
      'ImportKeyPair',
      'RunInstances',
    ]);
    const [request] = statement(Statement, 'acm:RequestCertificate');
    assert.deepEqual(request!.Condition, { StringEquals: { 'aws:RequestTag/site:name': 'barista-cafe' } });
    // One statement for every service whose creates name their resource types: certificates among them, never "*".
    assert.ok((request!.Resource as string[]).includes('arn:aws:acm:us-east-1:*:certificate/*'));
    assert.ok(!(request!.Resource as string[]).includes('*'));
    const [remove] = statement(Statement, 'acm:DeleteCertificate');
    assert.deepEqual(remove!.Condition, { StringEquals: { 'aws:ResourceTag/site:name': 'barista-cafe' } });
  });

  it('names each statement uniquely, in letters and digits as IAM requires', () => {
    const sids = buildIamPolicy(config, builtIn).policy.Statement.map((s) => s.Sid);
    assert.equal(new Set(sids).size, sids.length);
    for (const sid of sids) assert.match(sid, /^[A-Za-z0-9]+$/);
  });

  it('includes a third-party plugin’s actions, on "*" where it knows nothing of them', () => {
    const extra = {
      id: 'backup.snapshots',
      plugin: plugin('site-plugin-backup'),
      iam: ['ec2:CreateSnapshot', 'ec2:DescribeSnapshots', 's3:PutObject'],
    };
    const { Statement } = buildIamPolicy(config, [...builtIn, extra]).policy;
    assert.ok(statement(Statement, 'ec2:DescribeSnapshots')[0]!.Sid.startsWith('LookUp'));
    const [other] = statement(Statement, 's3:PutObject');
    assert.equal(other!.Sid, 'OtherPluginActionsSiteCannotNarrow');
    assert.equal(other!.Resource, '*');
    assert.deepEqual(statement(Statement, 'ec2:CreateSnapshot'), [other]);
    // Its creates may tag at creation like ours.
    const [createTags] = statement(Statement, 'ec2:CreateTags');
    assert.ok(
      (createTags!.Condition!.StringEquals!['ec2:CreateAction'] as string[]).includes('CreateSnapshot'),
    );
  });

  it('follows the site name (clipped as the resources are), the region and its partition', () => {
    const name = 'a-rather-long-site-name-abcde';
    const { Statement } = buildIamPolicy({ name, region: 'cn-north-1' }, builtIn).policy;
    const [named] = statement(Statement, 'elasticloadbalancing:RegisterTargets');
    assert.ok(
      (named!.Resource as string[]).includes(
        `arn:aws-cn:elasticloadbalancing:cn-north-1:*:loadbalancer/app/${name}-al/*`,
      ),
    );
    assert.deepEqual(statement(Statement, 'ec2:TerminateInstances')[0]!.Condition, {
      StringEquals: { 'aws:ResourceTag/site:name': name },
    });
    assert.equal(partitionOf('us-gov-west-1'), 'aws-us-gov');
    assert.equal(partitionOf('eu-west-1'), 'aws');
  });

  it('refuses a malformed action, naming the plugin', () => {
    assert.throws(
      () => buildIamPolicy(config, [{ id: 'x.y', plugin: plugin('site-plugin-x'), iam: ['RunInstances'] }]),
      (error: { code?: string; message: string }) =>
        error.code === 'IAM_ACTION_INVALID' && /site-plugin-x@1\.0\.0/.test(error.message),
    );
  });
});

describe('the IAM policy of a source.dir site (plugin-storage)', () => {
  const storage = [
    {
      id: 'storage.bucket',
      plugin: plugin('@site-cli/plugin-storage'),
      iam: ['s3:CreateBucket', 's3:ListBucket', 's3:DeleteBucket'],
    },
    {
      id: 'storage.content',
      plugin: plugin('@site-cli/plugin-storage'),
      iam: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
    },
    {
      id: 'storage.instance-role',
      plugin: plugin('@site-cli/plugin-storage'),
      iam: ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:PassRole'],
    },
    {
      id: 'storage.instance-profile',
      plugin: plugin('@site-cli/plugin-storage'),
      iam: ['iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile'],
    },
  ];
  const byAction = (statements: PolicyStatement[], action: string) =>
    statements.filter((s) => s.Action.includes(action));

  it('scopes S3 to the site bucket and its objects, IAM to its role and profile, iam:PassRole to the role', () => {
    const { Statement } = buildIamPolicy({ name: 'barista-cafe', region: 'eu-west-1' }, storage).policy;
    assert.deepEqual(
      byAction(Statement, 's3:CreateBucket').map((s) => s.Resource),
      ['arn:aws:s3:::barista-cafe-????????????-eu-west-1'],
    );
    assert.deepEqual(
      byAction(Statement, 's3:PutObject').map((s) => s.Resource),
      ['arn:aws:s3:::barista-cafe-????????????-eu-west-1/*'],
    );
    assert.deepEqual(
      byAction(Statement, 'iam:PassRole').map((s) => s.Resource),
      ['arn:aws:iam::*:role/barista-cafe-instance-role'],
    );
    assert.deepEqual(
      byAction(Statement, 'iam:AddRoleToInstanceProfile').map((s) => s.Resource),
      ['arn:aws:iam::*:instance-profile/barista-cafe-instance-profile'],
    );
    assert.ok(Statement.every((s) => s.Resource !== '*' || !s.Action.some((a) => /^(s3|iam):/.test(a))));
  });

  it('leaves another plugin’s S3 calls on "*" beside the site bucket’s', () => {
    const extra = { id: 'backup.copies', plugin: plugin('site-plugin-backup'), iam: ['s3:PutObject'] };
    const { Statement } = buildIamPolicy(config, [...storage, extra]).policy;
    assert.deepEqual(
      byAction(Statement, 's3:PutObject')
        .map((s) => s.Resource)
        .sort(),
      ['*', 'arn:aws:s3:::barista-cafe-????????????-us-east-1/*'],
    );
  });
});

describe('a policy larger than one managed policy', () => {
  // A third-party plugin with many actions site cannot narrow: one long statement each.
  const many = Array.from({ length: 12 }, (_, i) => ({
    id: `big.thing-${i}`,
    plugin: plugin('site-plugin-big'),
    iam: Array.from({ length: 20 }, (_, j) => `bigservice${i}:DoSomethingRatherLongNumber${j}`),
  }));

  it('is split into parts that each fit, and together grant exactly the whole', () => {
    const result = buildIamPolicy(config, [...builtIn, ...many]);
    assert.ok(result.size > MANAGED_POLICY_MAX, `the test policy is only ${result.size} characters`);
    assert.ok(result.parts && result.parts.length > 1);
    for (const part of result.parts) assert.ok(policySize(part) <= MANAGED_POLICY_MAX);
    // The same grants: every (action, resource, condition) of the whole is in exactly one part.
    const grants = (statements: PolicyStatement[]) =>
      statements
        .flatMap(({ Action, Resource, Condition }) =>
          Action.map((action) => JSON.stringify([action, Resource, Condition ?? null])),
        )
        .sort();
    assert.deepEqual(grants(result.parts.flatMap((part) => part.Statement)), grants(result.policy.Statement));
  });

  it('has no parts when it fits', () => {
    const result = buildIamPolicy(config, builtIn);
    assert.ok(result.size <= MANAGED_POLICY_MAX);
    assert.equal(result.parts, undefined);
  });
});
