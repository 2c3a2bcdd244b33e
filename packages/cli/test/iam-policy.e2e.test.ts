import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSimulator, type CallRecord, type SimState } from '@site-cli/aws-sim';
import type { IamPolicy } from '@site-cli/core';
import { denial, iamRequests } from './iam-check.js';
import { runSite, tempProject } from './run-site.js';

/**
 * Actions the policy grants that the scenario below cannot reach, each with the reason it is still needed.
 * Anything else granted and never used fails the test: the policy must stay least privilege.
 */
const RARELY_USED: Record<string, string> = {
  'ec2:DescribeNetworkInterfaces':
    'only when a security group is still in use after the delete retries: the error says what holds it',
  'iam:CreateServiceLinkedRole':
    'AWS creates the ELB service-linked role inside the first CreateLoadBalancer of an account, as the caller; it never reaches an EC2/ELB endpoint',
  // instance.scaling: this scenario keeps to fixed instances, whose runs make no Auto Scaling call at all.
  // scaling.e2e.test.ts checks that every call of a scaling site's life cycle is an action the policy grants.
  ...Object.fromEntries(
    [
      'autoscaling:AttachLoadBalancerTargetGroups',
      'autoscaling:CreateAutoScalingGroup',
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:DeleteAutoScalingGroup',
      'autoscaling:DeletePolicy',
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:DescribeInstanceRefreshes',
      'autoscaling:DescribePolicies',
      'autoscaling:DescribeScalingActivities',
      'autoscaling:PutScalingPolicy',
      'autoscaling:SetDesiredCapacity',
      'autoscaling:StartInstanceRefresh',
      'autoscaling:UpdateAutoScalingGroup',
      'ec2:CreateLaunchTemplate',
      'ec2:CreateLaunchTemplateVersion',
      'ec2:DeleteLaunchTemplate',
      'ec2:DescribeLaunchTemplateVersions',
      'ec2:DescribeLaunchTemplates',
    ].map((action) => [action, 'instance.scaling only (see scaling.e2e.test.ts)']),
  ),
  // domain: granted to every site, so one that drops its domain section may delete what the section made.
  // This scenario never has a domain; domain.e2e.test.ts runs a domain site's life cycle.
  ...Object.fromEntries(
    [
      'acm:DeleteCertificate',
      'acm:DescribeCertificate',
      'acm:ListCertificates',
      'acm:ListTagsForCertificate',
      'elasticloadbalancing:DeleteRule',
      'elasticloadbalancing:DescribeRules',
      'route53:ChangeResourceRecordSets',
      'route53:GetChange',
      'route53:ListResourceRecordSets',
    ].map((action) => [action, 'domain only (see domain.e2e.test.ts)']),
  ),
};

const json = (stdout: string) => JSON.parse(stdout) as { status: number; result: any; error?: any };
type Tags = Record<string, Record<string, string>>;

describe('site iam-policy', function () {
  this.timeout(240_000);

  it('prints the policy with no config file, no credentials and no AWS call', async () => {
    const project = tempProject();
    // Nothing listens on port 9: any AWS call would fail the command.
    const env = { ...project.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: '' };
    const text = await runSite(['iam-policy'], { cwd: project.dir, env });
    assert.equal(text.code, 0, text.stderr);
    const policy = JSON.parse(text.stdout);
    assert.equal(policy.Version, '2012-10-17');
    // IAM's limit for a customer managed policy: 6,144 characters, whitespace not counted.
    assert.ok(text.stdout.replace(/\s/g, '').length <= 6144, 'fits one managed policy');
    const runInstances = policy.Statement.find(
      (s: any) => s.Action.includes('ec2:RunInstances') && s.Condition,
    );
    assert.deepEqual(runInstances.Condition, {
      StringEquals: { 'aws:RequestTag/site:name': 'barista-cafe' },
    });
    assert.ok(runInstances.Resource.includes('arn:aws:ec2:us-east-1:*:instance/*'));

    // A domain site's policy fits too (ACM, Route 53 and the redirect rule on top).
    writeFileSync(path.join(project.dir, 'site.config.yaml'), 'domain: { name: www.example-cafe.com }\n');
    const withDomain = await runSite(['iam-policy'], { cwd: project.dir, env });
    assert.equal(withDomain.code, 0, withDomain.stderr);
    assert.ok(withDomain.stdout.replace(/\s/g, '').length <= 6144, 'a domain site’s fits one managed policy');

    writeFileSync(path.join(project.dir, 'site.config.yaml'), 'name: my-shop\nregion: eu-west-1\n');
    const configured = await runSite(['iam-policy', '--json'], { cwd: project.dir, env });
    assert.equal(configured.code, 0, configured.stderr);
    const result = json(configured.stdout).result as IamPolicy;
    assert.equal(result.site, 'my-shop');
    assert.equal(result.region, 'eu-west-1');
    const text2 = JSON.stringify(result.policy);
    assert.match(text2, /"aws:ResourceTag\/site:name":"my-shop"/);
    assert.match(text2, /loadbalancer\/app\/my-shop-alb\//);
    assert.doesNotMatch(text2, /us-east-1|barista-cafe/);
    // The group launches from its template as the caller: AWS checks that the caller may.
    assert.deepEqual(result.actions.find((a) => a.action === 'ec2:RunInstances')?.resources, [
      'compute.instances',
      'autoscaling.group',
    ]);
  });

  it('grants every action plan, deploy, status, a replacement and destroy use, and nothing else', async () => {
    const sim = await startSimulator({ profile: 'fast', seed: 21 });
    try {
      const project = tempProject();
      const env = {
        ...project.env,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: sim.endpoint,
        SITE_CHECKIP_URL: `${sim.endpoint}/_sim/checkip`,
      };
      const site = async (...args: string[]) => {
        const run = await runSite(args, { cwd: project.dir, env });
        assert.ok(
          run.code === 0 || (args[0] === 'plan' && run.code === 3),
          `${args.join(' ')}: ${run.stderr}`,
        );
        return run;
      };
      const tags: Tags = {};
      const remember = () => {
        const state = sim.snapshot() as { tags: Tags; keyPairs: { id: string; name: string }[] };
        Object.assign(tags, state.tags);
        // A key pair is also addressed by its name (DeleteKeyPair KeyName): IAM sees the same pair's tags.
        for (const pair of state.keyPairs) if (state.tags[pair.id]) tags[pair.name] = state.tags[pair.id]!;
      };
      const step = async (...args: string[]) => {
        remember();
        const run = await site(...args);
        remember();
        return run;
      };

      const { result: policy } = json((await site('iam-policy', '--json')).stdout) as { result: IamPolicy };
      await step('plan');
      await step('deploy', '--yes');
      await step('status');
      await step('logs');
      await step('doctor');
      const noOp = sim.calls.length;
      await step('deploy', '--yes');
      const noOpCalls = sim.calls.slice(noOp).map((c) => c.action);
      assert.ok(!noOpCalls.includes('DescribeAccountLimits'), 'a no-op deploy runs no preflight');
      // Every update path: new template and instance type (instances replaced, targets swapped), another
      // listener port (listener modified, the load balancer's group re-ruled), another health check.
      writeFileSync(
        path.join(project.dir, 'site.config.yaml'),
        [
          'template: { id: "2135", name: mini_finance }',
          'instance: { type: t3.micro }',
          'alb: { port: 8080, healthCheck: { path: /index.html } }',
        ].join('\n'),
      );
      await step('plan');
      await step('deploy', '--yes');
      await step('status');
      await step('destroy', '--yes');

      const calls = sim.calls as CallRecord[];
      const requests = calls.flatMap((call) => iamRequests(call, tags));
      const denied = requests.map((request) => denial(policy.policy, request)).filter(Boolean);
      assert.deepEqual(denied, [], 'the policy allows every request site made');
      // The check has teeth: the same policy for another site, or without its tagging statement, denies.
      const otherSite = JSON.parse(JSON.stringify(policy.policy).replaceAll('barista-cafe', 'other-site'));
      const launch = requests.find((r) => r.action === 'ec2:RunInstances' && !r.call.includes('DryRun'))!;
      assert.match(denial(otherSite, launch) ?? '', /instance\/i-new/);
      const terminate = requests.find((r) => r.action === 'ec2:TerminateInstances')!;
      assert.ok(denial(otherSite, terminate));
      const register = requests.find((r) => r.action === 'elasticloadbalancing:RegisterTargets')!;
      assert.ok(denial(otherSite, register), 'names of another site');
      const untagged = {
        ...policy.policy,
        Statement: policy.policy.Statement.filter((s) => !s.Sid.startsWith('Tag')),
      };
      assert.ok(requests.some((r) => r.action === 'ec2:CreateTags' && denial(untagged, r)));

      const used = new Set(requests.map((r) => r.action));
      const granted = new Set(policy.policy.Statement.flatMap((s) => s.Action));
      const unused = [...granted].filter((action) => !used.has(action)).sort();
      assert.deepEqual(unused, Object.keys(RARELY_USED).sort(), 'granted but never used');
      // The scenario reached the update paths it is there for, and the preflight ran.
      for (const action of [
        'ec2:RevokeSecurityGroupIngress',
        'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:DeregisterTargets',
        'elasticloadbalancing:DescribeAccountLimits',
      ])
        assert.ok(used.has(action), action);
      assert.ok(calls.some((c) => c.action === 'RunInstances' && c.error === 'DryRunOperation'));
    } finally {
      await sim.stop();
    }
  });

  it("a scaling site: every call's IAM request (group ARN, tags, iam:AWSServiceName) is allowed by the policy", async () => {
    const sim = await startSimulator({ profile: 'fast', seed: 22 });
    try {
      const project = tempProject();
      const env = {
        ...project.env,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: sim.endpoint,
        SITE_CHECKIP_URL: `${sim.endpoint}/_sim/checkip`,
        SITE_SIMULATOR_ENDPOINT: sim.endpoint,
      };
      const configure = (extra = '') =>
        writeFileSync(
          path.join(project.dir, 'site.config.yaml'),
          `name: scaling-cafe\ninstance:\n  scaling: { min: 2, max: 4, cpuTarget: 60 }\n${extra}`,
        );
      const tags: Tags = {};
      const launchTemplateIds: Record<string, string> = {};
      const remember = () => {
        const state = sim.snapshot() as SimState;
        Object.assign(tags, state.tags);
        for (const pair of state.keyPairs) if (state.tags[pair.id]) tags[pair.name] = state.tags[pair.id]!;
        for (const t of state.launchTemplates ?? []) launchTemplateIds[t.name] = t.id;
        // A group is addressed by its name; IAM sees its tags.
        for (const g of state.autoScaling?.groups ?? [])
          tags[g.name] = Object.fromEntries(g.tags.map((t) => [t.Key, t.Value]));
      };
      const step = async (...args: string[]) => {
        remember();
        const run = await runSite(args, { cwd: project.dir, env });
        assert.ok(
          run.code === 0 || (args[0] === 'plan' && run.code === 3),
          `${args.join(' ')}: ${run.stderr}`,
        );
        remember();
        return run;
      };

      configure();
      const { result: policy } = json((await step('iam-policy', '--json')).stdout) as { result: IamPolicy };
      await step('plan');
      await step('deploy', '--yes');
      await step('scale', '3');
      await step('status');
      await step('alb', 'status');
      configure('template: { id: "2135", name: mini_finance }\n');
      await step('deploy', '--yes');
      await step('destroy', '--yes');

      const calls = sim.calls.filter((c) => c.accessKeyId === 'test') as CallRecord[];
      const firstGroup = calls.find((c) => c.action === 'CreateAutoScalingGroup' && !c.error);
      const requests = calls.flatMap((call) =>
        iamRequests(call, tags, { launchTemplateIds, createsServiceLinkedRole: call === firstGroup }),
      );
      const denied = requests.map((request) => denial(policy.policy, request)).filter(Boolean);
      assert.deepEqual(denied, [], 'the policy allows every request the scaling site made');
      const used = new Set(requests.map((r) => r.action));
      for (const action of [
        'autoscaling:CreateAutoScalingGroup',
        'autoscaling:CreateOrUpdateTags',
        'autoscaling:SetDesiredCapacity',
        'autoscaling:StartInstanceRefresh',
        'autoscaling:PutScalingPolicy',
        'autoscaling:DeleteAutoScalingGroup',
        'ec2:CreateLaunchTemplate',
        'ec2:CreateLaunchTemplateVersion',
        'ec2:DeleteLaunchTemplate',
        'iam:CreateServiceLinkedRole',
      ])
        assert.ok(used.has(action), `${action} was requested`);

      // The check has teeth: another site's policy denies changing this group; the service-linked role
      // statement allows Auto Scaling's role only, for Auto Scaling only.
      const otherSite = JSON.parse(JSON.stringify(policy.policy).replaceAll('scaling-cafe', 'other-site'));
      const scale = requests.find((r) => r.action === 'autoscaling:SetDesiredCapacity')!;
      assert.match(denial(otherSite, scale) ?? '', /autoScalingGroupName\/scaling-cafe-asg/);
      const create = requests.find((r) => r.action === 'autoscaling:CreateAutoScalingGroup')!;
      assert.ok(denial(otherSite, create), 'a group without the site tag of the policy');
      const role = requests.find((r) => r.action === 'iam:CreateServiceLinkedRole')!;
      assert.ok(
        denial(policy.policy, {
          ...role,
          context: { ...role.context, 'iam:AWSServiceName': 'ec2.amazonaws.com' },
        }),
        'another service name is denied',
      );
      assert.ok(
        denial(policy.policy, {
          ...role,
          resources: [{ arn: 'arn:aws:iam::123456789012:role/admin', tags: {} }],
        }),
        'another role is denied',
      );
    } finally {
      await sim.stop();
    }
  });
});

describe('site iam-policy, a domain site', function () {
  this.timeout(300_000);

  it('grants every call of a domain site’s life cycle: deploy, status, new aliases, dropping the domain, destroy', async () => {
    const sim = await startSimulator({ profile: 'fast', seed: 22, hostedZones: ['example-cafe.com'] });
    try {
      const project = tempProject();
      const env = {
        ...project.env,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: sim.endpoint,
        SITE_CHECKIP_URL: `${sim.endpoint}/_sim/checkip`,
        SITE_SIMULATOR_ENDPOINT: sim.endpoint,
      };
      const configure = (domain: string) =>
        writeFileSync(path.join(project.dir, 'site.config.yaml'), `name: dom-iam\n${domain}`);
      const tags: Tags = {};
      const remember = () => {
        const state = sim.snapshot() as { tags: Tags; keyPairs: { id: string; name: string }[] };
        Object.assign(tags, state.tags);
        // A key pair is also addressed by its name (DeleteKeyPair KeyName): IAM sees the same pair's tags.
        for (const pair of state.keyPairs) if (state.tags[pair.id]) tags[pair.name] = state.tags[pair.id]!;
      };
      const step = async (...args: string[]) => {
        remember();
        const run = await runSite(args, { cwd: project.dir, env });
        remember();
        assert.ok(
          run.code === 0 || (args[0] === 'plan' && run.code === 3),
          `${args.join(' ')}: ${run.stderr}`,
        );
        return run;
      };

      configure('domain: { name: www.example-cafe.com }\n');
      const { result: policy } = json((await step('iam-policy', '--json')).stdout) as { result: IamPolicy };
      await step('plan');
      await step('deploy', '--yes');
      await step('status');
      await step('deploy', '--yes');
      // Another alias: a new certificate, the listener moved to it, the redirect rule modified, the old one deleted.
      configure('domain: { name: www.example-cafe.com, aliases: [example-cafe.com] }\n');
      await step('deploy', '--yes');
      // The section taken out: everything it made is deleted by the deploy.
      configure('');
      await step('deploy', '--yes');
      await step('destroy', '--yes');

      const requests = (sim.calls as CallRecord[]).flatMap((call) => iamRequests(call, tags));
      const denied = requests.map((request) => denial(policy.policy, request)).filter(Boolean);
      assert.deepEqual(denied, [], 'the policy allows every request site made');
      const used = new Set(requests.map((r) => r.action));
      const granted = policy.policy.Statement.flatMap((s) => s.Action);
      const domainActions = granted.filter((a) => /^(acm|route53):|Rule$/.test(a));
      assert.deepEqual(
        domainActions.filter((a) => !used.has(a)),
        [],
        'every domain action granted is used',
      );
      // The check has teeth: another site's policy may not delete this site's certificate.
      const otherSite = JSON.parse(JSON.stringify(policy.policy).replaceAll('dom-iam', 'other-site'));
      const deleteCertificate = requests.find((r) => r.action === 'acm:DeleteCertificate')!;
      assert.ok(denial(otherSite, deleteCertificate));
    } finally {
      await sim.stop();
    }
  });
});

describe('deploy preflight', function () {
  this.timeout(120_000);

  async function deployAgainst(options: Parameters<typeof startSimulator>[0]) {
    const sim = await startSimulator({ profile: 'fast', seed: 5, ...options });
    try {
      const project = tempProject();
      const run = await runSite(['deploy', '--yes', '--json'], {
        cwd: project.dir,
        env: {
          ...project.env,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_REGION: 'us-east-1',
          AWS_ENDPOINT_URL: sim.endpoint,
          SITE_CHECKIP_URL: `${sim.endpoint}/_sim/checkip`,
        },
      });
      return { run, mutating: sim.mutatingCalls(), calls: [...sim.calls] };
    } finally {
      await sim.stop();
    }
  }

  it('stops a deploy the identity may not launch, naming the action, before anything is created', async () => {
    const { run, mutating, calls } = await deployAgainst({
      faults: { deny: { 'ec2:RunInstances': 'UnauthorizedOperation' } },
    });
    assert.equal(run.code, 1, run.stderr);
    const { error } = json(run.stdout);
    assert.equal(error.code, 'PREFLIGHT_DENIED');
    assert.equal(error.details.action, 'ec2:RunInstances');
    assert.match(error.message, /ec2:RunInstances/);
    assert.match(error.suggestions.join('\n'), /site iam-policy/);
    assert.deepEqual(mutating, [], 'no mutating call');
    // The checks ran side by side: every DryRun was sent before the first answer could stop the run.
    assert.ok(calls.some((c) => c.action === 'ImportKeyPair' && c.error === 'DryRunOperation'));
  });

  it('stops a deploy whose load balancer would exceed the account quota', async () => {
    const { run, mutating } = await deployAgainst({ limits: { 'application-load-balancers': 0 } });
    assert.equal(run.code, 1, run.stderr);
    const { error } = json(run.stdout);
    assert.equal(error.code, 'QUOTA_REACHED');
    assert.equal(error.details.quota, 'application-load-balancers');
    assert.deepEqual(mutating, []);
  });

  it('reports every failed check at once', async () => {
    const { run, mutating } = await deployAgainst({
      faults: { deny: { 'ec2:CreateTags': 'UnauthorizedOperation' } },
      limits: { 'target-groups': 0 },
    });
    assert.equal(run.code, 1, run.stderr);
    const { error } = json(run.stdout);
    assert.equal(error.code, 'PREFLIGHT_FAILED');
    const failures = error.details.failures.map(
      (f: any) => `${f.resourceId} ${f.code} ${f.details.action ?? f.details.quota}`,
    );
    assert.deepEqual(failures.sort(), [
      'alb.target-group QUOTA_REACHED target-groups',
      'compute.instances PREFLIGHT_DENIED ec2:RunInstances',
      'keypair.key-pair PREFLIGHT_DENIED ec2:ImportKeyPair',
      'network.alb-security-group PREFLIGHT_DENIED ec2:CreateSecurityGroup',
      'network.instance-security-group PREFLIGHT_DENIED ec2:CreateSecurityGroup',
    ]);
    for (const failure of error.details.failures.filter((f: any) => f.code === 'PREFLIGHT_DENIED'))
      assert.match(failure.message, /ec2:CreateTags/);
    assert.deepEqual(mutating, []);
  });
});
