import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  DescribeImagesCommand,
  DescribeSubnetsCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startSimulator, type SimState, type Simulator } from '@site-cli/aws-sim';
import { runSite, tempProject, type SiteRun } from './run-site.js';
import { liveResources, siteResources } from './sim-state.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Known fake secrets: none of them may ever show up in anything site prints.
const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETzKEY';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjSESSIONzTOKENzVALUEz0123456789abcdef';
const DETECTED_CIDR = '203.0.113.10/32'; // what the simulator's checkip answers

const json = (run: SiteRun) =>
  JSON.parse(run.stdout) as { status: number; result: any; error?: any; warnings: string[] };

describe('security defaults, end to end', function () {
  this.timeout(180_000);
  let sim: Simulator;
  let project: ReturnType<typeof tempProject>;
  let env: NodeJS.ProcessEnv;
  let ec2: EC2Client;
  let elbv2: ElasticLoadBalancingV2Client;
  /** Every run of the binary in this suite: all of it is searched for secrets. */
  const runs: { args: string[]; run: SiteRun }[] = [];
  const site = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const run = await runSite(args, { cwd: project.dir, env: { ...env, ...extraEnv } });
    runs.push({ args, run });
    return run;
  };

  before(async () => {
    sim = await startSimulator({ profile: 'fast', seed: 23 });
    project = tempProject();
    env = {
      ...project.env,
      AWS_ACCESS_KEY_ID: 'AKIDSECURITYSUITE',
      AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      AWS_SESSION_TOKEN: SESSION_TOKEN,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: sim.endpoint,
      SITE_CHECKIP_URL: `${sim.endpoint}/_sim/checkip`,
    };
    // Look-alikes are made as another user of the same account would: straight through the API.
    const config = {
      region: 'us-east-1',
      endpoint: sim.endpoint,
      credentials: { accessKeyId: 'AKIDSOMEONEELSE', secretAccessKey: 'other' },
    };
    ec2 = new EC2Client(config);
    elbv2 = new ElasticLoadBalancingV2Client(config);
  });
  after(async () => {
    await sim?.stop();
    if (project) rmSync(project.dir, { recursive: true, force: true });
  });

  const state = () => sim.snapshot() as SimState;
  const group = (name: string) => state().securityGroups.find((g) => g.name === name);

  it('deploys with the least exposure: SSH from your /32 only, HTTP to the instances only from the load balancer, IMDSv2, encrypted volumes, the key 0400', async () => {
    const deploy = await site(['deploy', '--yes', '--json']);
    assert.equal(deploy.code, 0, deploy.stderr);

    // IMDSv2 and encryption are asked for by site, not left to the image's defaults.
    const launches = sim.calls.filter((call) => call.action === 'RunInstances' && !call.error);
    assert.ok(launches.length >= 1);
    for (const launch of launches) {
      const params = launch.params as {
        MetadataOptions?: { HttpTokens?: string };
        BlockDeviceMappings?: { Ebs?: { Encrypted?: boolean } }[];
      };
      assert.equal(params.MetadataOptions?.HttpTokens, 'required');
      assert.ok(params.BlockDeviceMappings?.length, 'the root volume is specified');
      for (const mapping of params.BlockDeviceMappings!) assert.equal(mapping.Ebs?.Encrypted, true);
    }
    for (const instance of state().instances) {
      assert.equal(instance.metadataOptions.HttpTokens, 'required');
      assert.ok(instance.blockDevices.every((device) => device.encrypted));
    }

    // The instances' group: SSH from the detected address, HTTP from the load balancer's group, nothing else.
    const alb = group('barista-cafe-alb-sg')!;
    const instanceGroup = group('barista-cafe-instance-sg')!;
    const rules = instanceGroup.ingress.map(
      (rule) =>
        `${rule.protocol}/${rule.fromPort}-${rule.toPort} from ${rule.cidr ?? rule.ipv6 ?? rule.groupId}`,
    );
    assert.deepEqual(rules.sort(), [`tcp/22-22 from ${DETECTED_CIDR}`, `tcp/80-80 from ${alb.id}`].sort());
    // HTTP to the load balancer itself is what is open to the world, and only on the listener port.
    assert.deepEqual(
      alb.ingress.map((rule) => `${rule.protocol}/${rule.fromPort} from ${rule.cidr ?? rule.ipv6}`).sort(),
      ['tcp/80 from 0.0.0.0/0', 'tcp/80 from ::/0'],
    );

    // The private key: owner read-only.
    const pem = path.join(project.dir, 'barista-cafe-key.pem');
    assert.equal(statSync(pem).mode & 0o777, 0o400);
    assert.match(readFileSync(pem, 'utf8'), /^-----BEGIN [A-Z ]*PRIVATE KEY-----\n/);

    // It was made on this machine: AWS received only its public key (ImportKeyPair), never the private one.
    const imports = sim.calls.filter((call) => call.action === 'ImportKeyPair' && !call.error);
    assert.equal(imports.length, 1);
    const sent = Buffer.from(
      String((imports[0]!.params as { PublicKeyMaterial: string }).PublicKeyMaterial),
      'base64',
    );
    assert.match(sent.toString(), /^ssh-ed25519 AAAA[A-Za-z0-9+/]+=* site:barista-cafe\/barista-cafe-key$/);
    const secret = readFileSync(pem, 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('-----'));
    for (const call of sim.calls)
      for (const line of secret) assert.ok(!JSON.stringify(call.params).includes(line));
    assert.ok(
      !sim.calls.some((call) => call.action === 'CreateKeyPair'),
      'AWS never generated (or held) the private key',
    );
  });

  it('never prints a credential, session token or private key: not in output, logs, errors or --json', async () => {
    const pemBody = readFileSync(path.join(project.dir, 'barista-cafe-key.pem'), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('-----'));
    assert.ok(pemBody.length > 0);
    for (const args of [
      ['deploy', '--yes'],
      ['plan'],
      ['plan', '--json'],
      ['status'],
      ['status', '--json'],
      ['keypair', 'list', '--json'],
      ['keypair', 'create', '--json'],
      ['instance', 'status', '--json'],
      ['alb', 'status', '--json'],
      ['config', 'show', '--json'],
    ]) {
      const run = await site(args);
      assert.ok([0, 3].includes(run.code), `${args.join(' ')}: ${run.stderr}`);
    }
    // Debug output and a failure's error path are where secrets usually leak.
    await site(['status'], { DEBUG: '*' });
    const failed = await site(['deploy', '--yes', '--json', '--region', 'us-east-1'], {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });
    assert.equal(failed.code, 1);

    assert.ok(runs.length >= 13);
    for (const { args, run } of runs) {
      const printed = run.stdout + run.stderr;
      const where = `site ${args.join(' ')}`;
      assert.ok(!printed.includes(SECRET_ACCESS_KEY), `${where} printed the secret access key`);
      assert.ok(!printed.includes(SESSION_TOKEN), `${where} printed the session token`);
      assert.doesNotMatch(printed, /PRIVATE KEY/, `${where} printed private key material`);
      for (const line of pemBody) assert.ok(!printed.includes(line), `${where} printed the private key`);
    }
  });

  it("destroy deletes only what carries this site's tags: a same-named instance and half-tagged look-alikes survive", async () => {
    const ours = state().instances.find((i) => !i.terminateTime)!;
    const ourName = state().tags[ours.id]?.Name;
    assert.ok(ourName, 'our instance has a Name');
    const [image] = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images ?? [];
    const { Subnets = [] } = await ec2.send(new DescribeSubnetsCommand({}));
    const lookAlikes = [
      // Named exactly like our instance, without the site's tags.
      (
        await ec2.send(
          new RunInstancesCommand({
            ImageId: image.ImageId,
            InstanceType: 't3.micro',
            MinCount: 1,
            MaxCount: 1,
            TagSpecifications: [
              {
                ResourceType: 'instance',
                Tags: [{ Key: 'Name', Value: ourName }],
              },
            ],
          }),
        )
      ).Instances![0].InstanceId!,
      // The site's name tag, but not ManagedBy=site: not proven ours.
      (
        await ec2.send(
          new CreateSecurityGroupCommand({
            GroupName: 'barista-cafe-extra-sg',
            Description: 'made by hand',
            VpcId: Subnets[0].VpcId,
            TagSpecifications: [
              { ResourceType: 'security-group', Tags: [{ Key: 'site:name', Value: 'barista-cafe' }] },
            ],
          }),
        )
      ).GroupId!,
      (
        await elbv2.send(
          new CreateTargetGroupCommand({
            Name: 'barista-cafe-tg-copy',
            Protocol: 'HTTP',
            Port: 80,
            VpcId: Subnets[0].VpcId,
            Tags: [
              { Key: 'site:name', Value: 'barista-cafe' },
              { Key: 'site:resource', Value: 'alb.target-group' },
            ],
          }),
        )
      ).TargetGroups![0].TargetGroupArn!,
    ];

    const destroy = await site(['destroy', '--yes', '--json']);
    assert.equal(destroy.code, 0, destroy.stderr);
    assert.deepEqual(json(destroy).result.remaining, []);
    const left = liveResources(sim).map((resource) => resource.id);
    assert.deepEqual(left.sort(), [...lookAlikes].sort(), 'only the look-alikes are left');
    assert.ok(!state().instances.find((i) => i.id === ours.id && !i.terminateTime), 'ours is gone');
  });

  it("a same-named resource without the site's tags stops deploy before anything is created; destroy leaves it alone", async () => {
    const { Subnets = [] } = await ec2.send(new DescribeSubnetsCommand({}));
    const vpcId = Subnets[0].VpcId;
    await ec2.send(new CreateKeyPairCommand({ KeyName: 'barista-cafe-key' }));
    await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: 'barista-cafe-alb-sg',
        Description: 'another site',
        VpcId: vpcId,
        TagSpecifications: [
          {
            ResourceType: 'security-group',
            Tags: [
              { Key: 'site:name', Value: 'someone-else' },
              { Key: 'ManagedBy', Value: 'site' },
            ],
          },
        ],
      }),
    );
    await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: 'barista-cafe-instance-sg',
        Description: 'x',
        VpcId: vpcId,
      }),
    );
    await elbv2.send(
      new CreateTargetGroupCommand({ Name: 'barista-cafe-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId }),
    );
    await elbv2.send(
      new CreateLoadBalancerCommand({
        Name: 'barista-cafe-alb',
        Subnets: Subnets.slice(0, 2).map((s) => s.SubnetId!),
      }),
    );
    const before = liveResources(sim)
      .map((resource) => resource.id)
      .sort();
    const mutatingBefore = sim.mutatingCalls().length;

    const deploy = await site(['deploy', '--yes', '--json']);
    assert.equal(deploy.code, 2, deploy.stderr);
    const { error } = json(deploy);
    assert.match(error.code, /^(KEYPAIR|SECURITY_GROUP|TARGET_GROUP|LOAD_BALANCER)_CONFLICT$/);
    assert.match(error.message, /named "?barista-cafe-[a-z-]+"? .*already exists .*not created by this site/);
    assert.match(error.message, /will not (use|adopt) or delete it/);
    assert.ok(error.suggestions.some((s: string) => /another (site name|keyName)/.test(s)));
    assert.deepEqual(
      sim
        .mutatingCalls()
        .slice(mutatingBefore)
        .map((call) => call.action),
      [],
      'deploy created nothing',
    );

    const destroy = await site(['destroy', '--yes', '--json']);
    assert.equal(destroy.code, 0, destroy.stderr);
    const { warnings } = json(destroy);
    for (const name of [
      'barista-cafe-key',
      'barista-cafe-alb-sg',
      'barista-cafe-instance-sg',
      'barista-cafe-tg',
      'barista-cafe-alb',
    ])
      assert.ok(
        warnings.some((w) => w.startsWith("Left alone (not this site's)") && w.includes(name)),
        `${name} is named as left alone: ${warnings.join(' | ')}`,
      );
    assert.deepEqual(
      sim
        .mutatingCalls()
        .slice(mutatingBefore)
        .map((call) => call.action),
      [],
    );
    assert.deepEqual(
      liveResources(sim)
        .map((resource) => resource.id)
        .sort(),
      before,
    );
  });

  it('SSH from anywhere only when written, and then with a warning; a failed IP lookup means no SSH rule and a warning', async () => {
    writeFileSync(path.join(project.dir, 'open.yaml'), 'name: open-site\nssh:\n  cidr: 0.0.0.0/0\n');
    writeFileSync(path.join(project.dir, 'open6.yaml'), 'name: open-site\nssh:\n  cidr: "::/0"\n');
    writeFileSync(path.join(project.dir, 'noip.yaml'), 'name: noip-site\n');
    for (const [file, cidr] of [
      ['open.yaml', '0.0.0.0/0'],
      ['open6.yaml', '::/0'],
    ]) {
      const plan = await site(['plan', '--json', '--config', file]);
      assert.equal(plan.code, 3, plan.stderr);
      assert.ok(
        json(plan).warnings.some(
          (w) => w.includes(`ssh.cidr is ${cidr}`) && /open to the whole internet/.test(w),
        ),
        JSON.stringify(json(plan).warnings),
      );
    }
    const quiet = await site(['plan', '--json', '--config', 'noip.yaml']);
    assert.deepEqual(json(quiet).warnings, [], 'the default (your /32) needs no warning');

    const closed = 'http://127.0.0.1:9/checkip';
    const deploy = await site(['deploy', '--yes', '--no-wait', '--json', '--config', 'noip.yaml'], {
      SITE_CHECKIP_URL: closed,
    });
    assert.equal(deploy.code, 0, deploy.stderr);
    assert.ok(
      json(deploy).warnings.some(
        (w) => /Looking up your public IP address failed/.test(w) && /No SSH rule will be added/.test(w),
      ),
      JSON.stringify(json(deploy).warnings),
    );
    const rules = group('noip-site-instance-sg')!.ingress;
    assert.ok(!rules.some((rule) => rule.fromPort === 22), 'no SSH rule at all');
    assert.ok(!rules.some((rule) => rule.cidr === '0.0.0.0/0' || rule.ipv6 === '::/0'));
    assert.deepEqual(
      rules.map((rule) => `${rule.fromPort} from ${rule.groupId}`),
      [`80 from ${group('noip-site-alb-sg')!.id}`],
    );
    const destroy = await site(['destroy', '--yes', '--config', 'noip.yaml'], { SITE_CHECKIP_URL: closed });
    assert.equal(destroy.code, 0, destroy.stderr);
    assert.deepEqual(siteResources(sim, 'noip-site'), []);
  });
});

describe('a source.dir site keeps its content private (issue 13)', function () {
  this.timeout(180_000);
  let sim: Simulator;
  let project: ReturnType<typeof tempProject>;
  let env: NodeJS.ProcessEnv;
  const name = 'private-cafe';
  const bucket = `${name}-123456789012-us-east-1`;
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const clients = async () => {
    const { S3 } = await import('@aws-sdk/client-s3');
    const { IAM } = await import('@aws-sdk/client-iam');
    const common = { region: 'us-east-1', endpoint: sim.endpoint, credentials };
    return { s3: new S3({ ...common, forcePathStyle: true }), iam: new IAM(common) };
  };

  before(async () => {
    sim = await startSimulator({ profile: 'fast', seed: 31 });
    project = tempProject();
    env = {
      ...project.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: sim.endpoint,
      SITE_CHECKIP_URL: `${sim.endpoint}/_sim/checkip`,
      SITE_SIMULATOR_ENDPOINT: sim.endpoint,
    };
    mkdirSync(path.join(project.dir, 'public'));
    writeFileSync(path.join(project.dir, 'public', 'index.html'), '<h1>Not for direct download</h1>\n');
    writeFileSync(path.join(project.dir, 'site.config.yaml'), `name: ${name}\nsource: { dir: ./public }\n`);
    const deploy = await runSite(['deploy', '--yes', '--json'], { cwd: project.dir, env });
    assert.equal(deploy.code, 0, deploy.stderr);
  });
  after(async () => {
    await runSite(['destroy', '--yes'], { cwd: project.dir, env });
    await sim?.stop();
    if (project) rmSync(project.dir, { recursive: true, force: true });
  });

  it('refuses an unsigned GET of its objects, blocks public access and has no public policy', async () => {
    const { s3 } = await clients();
    // The pointer exists (a signed read gets it), yet nobody without credentials may read it or list the bucket.
    await s3.getObject({ Bucket: bucket, Key: 'current.json' });
    for (const url of [`${sim.endpoint}/${bucket}/current.json`, `${sim.endpoint}/${bucket}?list-type=2`]) {
      const unsigned = await fetch(url);
      assert.equal(unsigned.status, 403, url);
      assert.match(await unsigned.text(), /AccessDenied/);
    }
    const block = await s3.getPublicAccessBlock({ Bucket: bucket });
    assert.deepEqual(block.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    // No bucket policy at all (S3 then answers NoSuchBucketPolicy), or one S3 itself judges not public.
    const status = await s3.getBucketPolicyStatus({ Bucket: bucket }).then(
      (answer) => answer.PolicyStatus?.IsPublic ?? false,
      (error: { name?: string }) => {
        if (error.name !== 'NoSuchBucketPolicy') throw error;
        return false;
      },
    );
    assert.equal(status, false);
  });

  it("gives the instance role s3:GetObject on this bucket's objects and nothing else", async () => {
    // aws-sim does not evaluate IAM policies, so the documents are read back and checked as AWS would apply them.
    const { iam } = await clients();
    const role = `${name}-instance-role`;
    const { PolicyNames = [] } = await iam.listRolePolicies({ RoleName: role });
    assert.deepEqual(PolicyNames, ['site-content-read']);
    const { AttachedPolicies = [] } = await iam
      .listAttachedRolePolicies({ RoleName: role })
      .catch((error: { name?: string }) => {
        // An IAM without managed policies cannot have attached any.
        if (!/InvalidAction|UnknownOperation|NotImplemented/.test(error.name ?? '')) throw error;
        return { AttachedPolicies: [] };
      });
    assert.deepEqual(AttachedPolicies, []);
    const { PolicyDocument } = await iam.getRolePolicy({ RoleName: role, PolicyName: 'site-content-read' });
    const document = JSON.parse(decodeURIComponent(PolicyDocument!));
    const statements = [document.Statement].flat();
    assert.deepEqual(
      statements.map((s: any) => ({
        Effect: s.Effect,
        Action: [s.Action].flat(),
        Resource: [s.Resource].flat(),
      })),
      [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/*`] }],
    );
    for (const statement of statements) {
      assert.equal(statement.NotAction, undefined);
      assert.equal(statement.NotResource, undefined);
    }
    // Only EC2 may assume it.
    const { Role } = await iam.getRole({ RoleName: role });
    const trust = JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!));
    assert.deepEqual(
      [trust.Statement].flat().map((s: any) => [s.Effect, s.Principal, s.Action]),
      [['Allow', { Service: 'ec2.amazonaws.com' }, 'sts:AssumeRole']],
    );
  });
});
