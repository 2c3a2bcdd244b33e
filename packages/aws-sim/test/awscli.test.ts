import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { startSimulator, type Simulator } from '../src/index.js';
import { until } from './helpers.js';

const AWS = '/usr/bin/aws';
const run = promisify(execFile);

describe('AWS CLI v2 against the simulator', function () {
  // Every call starts a Python process: generous for a loaded 2-core machine.
  this.timeout(180_000);
  let sim: Simulator;
  before(async function () {
    if (!existsSync(AWS)) this.skip(); // CI installs Debian's awscli; skip only where it is missing
    sim = await startSimulator();
  });
  after(() => sim?.stop());

  /** create-listener: HTTP on port 80, forwarding to the target group. */
  const forwardListener = async (loadBalancerArn: string, targetGroupArn: string) =>
    (
      await aws(
        'elbv2',
        'create-listener',
        '--load-balancer-arn',
        loadBalancerArn,
        '--protocol',
        'HTTP',
        '--port',
        '80',
        '--default-actions',
        `Type=forward,TargetGroupArn=${targetGroupArn}`,
      )
    ).Listeners[0];

  async function aws(...args: string[]): Promise<any> {
    const { stdout } = await run(AWS, [...args, '--endpoint-url', sim.endpoint, '--output', 'json'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_PAGER: '',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    });
    return stdout.trim() ? JSON.parse(stdout) : {};
  }

  it('deploys and tears down a site', async () => {
    const vpcs = await aws('ec2', 'describe-vpcs', '--filters', 'Name=isDefault,Values=true');
    const vpcId = vpcs.Vpcs[0].VpcId;
    assert.equal(vpcs.Vpcs[0].CidrBlock, '172.31.0.0/16');
    const subnets = (await aws('ec2', 'describe-subnets', '--filters', `Name=vpc-id,Values=${vpcId}`))
      .Subnets;
    assert.equal(subnets.length, 6);

    const key = await aws('ec2', 'create-key-pair', '--key-name', 'cli-key', '--key-type', 'ed25519');
    assert.match(key.KeyMaterial, /BEGIN OPENSSH PRIVATE KEY/);
    const sg = await aws(
      'ec2',
      'create-security-group',
      '--group-name',
      'cli-sg',
      '--description',
      'cli',
      '--vpc-id',
      vpcId,
    );
    await aws(
      'ec2',
      'authorize-security-group-ingress',
      '--group-id',
      sg.GroupId,
      '--protocol',
      'tcp',
      '--port',
      '80',
      '--cidr',
      '0.0.0.0/0',
    );
    const sgs = await aws('ec2', 'describe-security-groups', '--group-ids', sg.GroupId);
    assert.equal(sgs.SecurityGroups[0].IpPermissions[0].FromPort, 80);

    const images = await aws(
      'ec2',
      'describe-images',
      '--owners',
      'amazon',
      '--filters',
      'Name=name,Values=al2023-ami-2023.*-x86_64',
    );
    const ami = images.Images.sort((a: any, b: any) => b.CreationDate.localeCompare(a.CreationDate))[0]
      .ImageId;
    const res = await aws(
      'ec2',
      'run-instances',
      '--image-id',
      ami,
      '--instance-type',
      't3.micro',
      '--count',
      '1',
      '--key-name',
      'cli-key',
      '--security-group-ids',
      sg.GroupId,
      '--subnet-id',
      subnets[0].SubnetId,
      '--user-data',
      '#!/bin/bash\ndnf install -y httpd\ncurl -O https://www.tooplate.com/zip-templates/2137_barista_cafe.zip\n',
      '--metadata-options',
      'HttpTokens=required',
      '--tag-specifications',
      'ResourceType=instance,Tags=[{Key=Name,Value=cli}]',
    );
    const id = res.Instances[0].InstanceId;
    assert.equal(res.Instances[0].MetadataOptions.HttpTokens, 'required');

    const tg = (
      await aws(
        'elbv2',
        'create-target-group',
        '--name',
        'cli-tg',
        '--protocol',
        'HTTP',
        '--port',
        '80',
        '--vpc-id',
        vpcId,
        '--health-check-interval-seconds',
        '10',
        '--healthy-threshold-count',
        '2',
      )
    ).TargetGroups[0];
    const lb = (
      await aws(
        'elbv2',
        'create-load-balancer',
        '--name',
        'cli-alb',
        '--subnets',
        subnets[0].SubnetId,
        subnets[1].SubnetId,
        '--security-groups',
        sg.GroupId,
        '--tags',
        'Key=app,Value=site',
      )
    ).LoadBalancers[0];
    assert.match(lb.DNSName, /^cli-alb-\d+\.us-east-1\.elb\.aws-sim\.invalid$/);
    await until(
      () => aws('ec2', 'describe-instances', '--instance-ids', id),
      (r) => r.Reservations[0].Instances[0].State.Name === 'running',
      10_000,
      100,
    );
    await aws('elbv2', 'register-targets', '--target-group-arn', tg.TargetGroupArn, '--targets', `Id=${id}`);
    const listener = await forwardListener(lb.LoadBalancerArn, tg.TargetGroupArn);
    const health = await until(
      () => aws('elbv2', 'describe-target-health', '--target-group-arn', tg.TargetGroupArn),
      (r) => r.TargetHealthDescriptions[0].TargetHealth.State === 'healthy',
      10_000,
      100,
    );
    assert.equal(health.TargetHealthDescriptions[0].Target.Id, id);
    const page = await fetch(sim.dataPlaneUrl(lb.DNSName)!);
    assert.match(await page.text(), /2137_barista_cafe/);

    await aws('elbv2', 'delete-listener', '--listener-arn', listener.ListenerArn);
    await aws('elbv2', 'delete-load-balancer', '--load-balancer-arn', lb.LoadBalancerArn);
    await aws('elbv2', 'delete-target-group', '--target-group-arn', tg.TargetGroupArn);
    const term = await aws('ec2', 'terminate-instances', '--instance-ids', id);
    assert.equal(term.TerminatingInstances[0].CurrentState.Name, 'shutting-down');
    await until(
      () =>
        aws('ec2', 'delete-security-group', '--group-id', sg.GroupId).then(
          () => true,
          (e) => (assert.match(String(e.stderr), /DependencyViolation/), false),
        ),
      (ok) => ok,
      10_000,
      100,
    );
    await aws('ec2', 'delete-key-pair', '--key-name', 'cli-key');
    assert.equal((await aws('ec2', 'describe-key-pairs')).KeyPairs.length, 0);
    const err = await aws('ec2', 'describe-security-groups', '--group-ids', sg.GroupId).catch((e) => e);
    assert.match(String(err.stderr), /InvalidGroup\.NotFound/);
  });
  it('get-console-output tells the setup outcome of a loopback source URL, and refuses --latest on Xen types', async () => {
    // A site zip URL answering 404, served where the sandbox may fetch it (loopback).
    const server = createServer((_req, res) => res.writeHead(404).end('not here'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/site.zip`;
    try {
      const images = await aws('ec2', 'describe-images', '--owners', 'amazon');
      const res = await aws(
        'ec2',
        'run-instances',
        '--image-id',
        images.Images[0].ImageId,
        '--instance-type',
        't2.micro',
        '--user-data',
        `#!/bin/bash\nSITE_URL='${url}'\ndnf install -y httpd\necho "SITE SETUP DONE: httpd serves $SITE_URL"\n`,
      );
      const id = res.Instances[0].InstanceId;
      const out = await until(
        () => aws('ec2', 'get-console-output', '--instance-id', id),
        (r) => /SITE SETUP/.test(r.Output ?? ''),
        10_000,
        100,
      );
      // The CLI decodes the base64 Output for us.
      assert.equal(out.InstanceId, id);
      assert.match(
        out.Output,
        new RegExp(`^SITE SETUP FAILED: could not download ${url}: the server answered HTTP 404\\r?$`, 'm'),
      );
      const latest = await aws('ec2', 'get-console-output', '--instance-id', id, '--latest').catch((e) => e);
      assert.match(String(latest.stderr), /UnsupportedOperation/);
      const missing = await aws('ec2', 'get-console-output', '--instance-id', 'i-0123456789abcdef0').catch(
        (e) => e,
      );
      assert.match(String(missing.stderr), /InvalidInstanceID\.NotFound/);
      await aws('ec2', 'terminate-instances', '--instance-ids', id);
    } finally {
      server.close();
    }
  });
  it('reads HTTPS listeners, redirects, SSL policies and tagged security group rules', async () => {
    const vpcId = (await aws('ec2', 'describe-vpcs')).Vpcs[0].VpcId;
    const subnets = (await aws('ec2', 'describe-subnets')).Subnets.map((s: any) => s.SubnetId);
    const sg = await aws('ec2', 'create-security-group', '--group-name', 'tls-sg', '--description', 'tls');
    await aws(
      'ec2',
      'authorize-security-group-ingress',
      '--group-id',
      sg.GroupId,
      '--ip-permissions',
      'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]',
      '--tag-specifications',
      'ResourceType=security-group-rule,Tags=[{Key=site:resource,Value=https.ingress}]',
    );
    const rules = await aws(
      'ec2',
      'describe-security-group-rules',
      '--filters',
      `Name=group-id,Values=${sg.GroupId}`,
      'Name=tag:site:resource,Values=https.ingress',
    );
    assert.equal(rules.SecurityGroupRules.length, 1);
    assert.equal(rules.SecurityGroupRules[0].FromPort, 443);
    assert.deepEqual(rules.SecurityGroupRules[0].Tags, [{ Key: 'site:resource', Value: 'https.ingress' }]);

    const tg = (
      await aws(
        'elbv2',
        'create-target-group',
        '--name',
        'tls-tg',
        '--protocol',
        'HTTP',
        '--port',
        '80',
        '--vpc-id',
        vpcId,
      )
    ).TargetGroups[0];
    const lb = (
      await aws(
        'elbv2',
        'create-load-balancer',
        '--name',
        'tls-alb',
        '--subnets',
        ...subnets.slice(0, 2),
        '--security-groups',
        sg.GroupId,
      )
    ).LoadBalancers[0];
    const cert = 'arn:aws:acm:us-east-1:123456789012:certificate/3dcb0a41-bd72-4774-9ad9-756919c40557';
    const noCert = await aws(
      'elbv2',
      'create-listener',
      '--load-balancer-arn',
      lb.LoadBalancerArn,
      '--protocol',
      'HTTPS',
      '--port',
      '443',
      '--default-actions',
      `Type=forward,TargetGroupArn=${tg.TargetGroupArn}`,
    ).catch((e) => e);
    assert.match(
      String(noCert.stderr),
      /\(ValidationError\).*A certificate must be specified for HTTPS listeners/,
    );
    const secure = (
      await aws(
        'elbv2',
        'create-listener',
        '--load-balancer-arn',
        lb.LoadBalancerArn,
        '--protocol',
        'HTTPS',
        '--port',
        '443',
        '--certificates',
        `CertificateArn=${cert}`,
        '--default-actions',
        `Type=forward,TargetGroupArn=${tg.TargetGroupArn}`,
      )
    ).Listeners[0];
    assert.equal(secure.SslPolicy, 'ELBSecurityPolicy-2016-08');
    const plain = await forwardListener(lb.LoadBalancerArn, tg.TargetGroupArn);
    const redirected = await aws(
      'elbv2',
      'modify-listener',
      '--listener-arn',
      plain.ListenerArn,
      '--default-actions',
      'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}',
    );
    assert.deepEqual(redirected.Listeners[0].DefaultActions[0].RedirectConfig, {
      Protocol: 'HTTPS',
      Port: '443',
      Host: '#{host}',
      Path: '/#{path}',
      Query: '#{query}',
      StatusCode: 'HTTP_301',
    });
    await aws(
      'elbv2',
      'modify-listener',
      '--listener-arn',
      secure.ListenerArn,
      '--ssl-policy',
      'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
    );
    const listeners = (await aws('elbv2', 'describe-listeners', '--load-balancer-arn', lb.LoadBalancerArn))
      .Listeners;
    const https = listeners.find((l: any) => l.Port === 443);
    assert.deepEqual(https.Certificates, [{ CertificateArn: cert }]);
    assert.equal(https.SslPolicy, 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06');
    assert.equal(listeners.find((l: any) => l.Port === 80).DefaultActions[0].Type, 'redirect');

    const policies = await aws(
      'elbv2',
      'describe-ssl-policies',
      '--names',
      'ELBSecurityPolicy-TLS13-1-2-2021-06',
    );
    assert.deepEqual(policies.SslPolicies[0].SslProtocols, ['TLSv1.2', 'TLSv1.3']);
    const unknown = await aws('elbv2', 'describe-ssl-policies', '--names', 'ELBSecurityPolicy-Nope').catch(
      (e) => e,
    );
    assert.match(String(unknown.stderr), /SSLPolicyNotFound/);

    await aws('elbv2', 'delete-listener', '--listener-arn', secure.ListenerArn);
    await aws('elbv2', 'delete-listener', '--listener-arn', plain.ListenerArn);
    assert.equal(
      (await aws('elbv2', 'describe-listeners', '--load-balancer-arn', lb.LoadBalancerArn)).Listeners.length,
      0,
    );
    await aws('elbv2', 'delete-load-balancer', '--load-balancer-arn', lb.LoadBalancerArn);
    await aws('elbv2', 'delete-target-group', '--target-group-arn', tg.TargetGroupArn);
  });

  it('reads the account limits and a DryRun answer', async () => {
    const { Limits } = await aws('elbv2', 'describe-account-limits');
    assert.ok(Limits.some((l: any) => l.Name === 'application-load-balancers' && l.Max === '50'));
    const dry = await aws('ec2', 'describe-vpcs', '--dry-run').catch((e) => e);
    assert.match(String(dry.stderr), /DryRunOperation.*Request would have succeeded, but DryRun flag is set/);
  });
});
