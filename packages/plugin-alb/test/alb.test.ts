import { strict as assert } from 'node:assert';
import nock from 'nock';
import { healthTiming } from '../src/health.js';
import { listenerResource } from '../src/resources/listener.js';
import { loadBalancerResource } from '../src/resources/load-balancer.js';
import { siteHealthResource } from '../src/resources/site-health.js';
import { targetGroupResource } from '../src/resources/target-group.js';
import { targetsResource } from '../src/resources/targets.js';
import {
  DNS_NAME,
  ELB,
  elbResponse,
  LB_ARN,
  LISTENER_ARN,
  listenerXml,
  loadBalancerXml,
  makeContext,
  ourTags,
  TG_ARN,
  tagDescriptionsXml,
  tagsXml,
  targetGroupXml,
  targetHealthXml,
} from './fixtures.js';
import {
  elbError,
  fakeQueryService,
  paramsObject,
  paramsUnder,
  ec2Response,
  setUpNock,
  tagSet,
  tearDownNock,
} from '@site-cli/core/testing';

const TG_OUTPUT = { targetGroupArn: TG_ARN, targetGroupName: 'barista-cafe-tg' };
const LB_OUTPUT = {
  loadBalancerArn: LB_ARN,
  loadBalancerName: 'barista-cafe-alb',
  dnsName: DNS_NAME,
  state: 'active',
};

function tagsOf(params: URLSearchParams, prefix = 'Tags.member'): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let i = 1; params.get(`${prefix}.${i}.Key`); i++)
    tags[params.get(`${prefix}.${i}.Key`)!] = params.get(`${prefix}.${i}.Value`)!;
  return tags;
}

describe('alb.target-group (wire)', () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);

  it('creates an HTTP:80 instance target group with the health check from the config, tagged', async () => {
    const elb = fakeQueryService(ELB, {
      CreateTargetGroup: () =>
        elbResponse('CreateTargetGroup', `<TargetGroups>${targetGroupXml()}</TargetGroups>`),
      DescribeTags: () => tagsXml(TG_ARN, ourTags('alb.target-group', 'barista-cafe-tg')),
      ModifyTargetGroupAttributes: () =>
        elbResponse(
          'ModifyTargetGroupAttributes',
          '<Attributes><member><Key>deregistration_delay.timeout_seconds</Key><Value>30</Value></member></Attributes>',
        ),
      DescribeTargetGroupAttributes: () =>
        elbResponse(
          'DescribeTargetGroupAttributes',
          '<Attributes><member><Key>deregistration_delay.timeout_seconds</Key><Value>30</Value></member></Attributes>',
        ),
    });
    const out = await targetGroupResource().create(makeContext());
    const sent = elb.of('CreateTargetGroup')[0];
    const { Action, Version, ...rest } = paramsObject(sent);
    assert.equal(Action, 'CreateTargetGroup');
    assert.equal(Version, '2015-12-01');
    const nonTags = Object.fromEntries(Object.entries(rest).filter(([k]) => !k.startsWith('Tags.')));
    assert.deepEqual(nonTags, {
      Name: 'barista-cafe-tg',
      Protocol: 'HTTP',
      Port: '80',
      VpcId: 'vpc-1',
      TargetType: 'instance',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: 'traffic-port',
      HealthCheckPath: '/',
      HealthCheckIntervalSeconds: '10',
      HealthCheckTimeoutSeconds: '5',
      HealthyThresholdCount: '2',
      UnhealthyThresholdCount: '2',
      'Matcher.HttpCode': '200',
    });
    assert.deepEqual(tagsOf(sent), ourTags('alb.target-group', 'barista-cafe-tg'));
    assert.deepEqual(paramsUnder(elb.of('ModifyTargetGroupAttributes')[0], 'Attributes.'), {
      'Attributes.member.1.Key': 'deregistration_delay.timeout_seconds',
      'Attributes.member.1.Value': '30',
    });
    assert.equal(out.targetGroupArn, TG_ARN);
    assert.equal(out.targetGroupName, 'barista-cafe-tg');
  });

  it('treats TargetGroupNotFound as absent', async () => {
    const elb = fakeQueryService(ELB, {
      DescribeTargetGroups: () => elbError('TargetGroupNotFound', 'One or more target groups not found'),
      DescribeLoadBalancers: () => elbError('LoadBalancerNotFound', 'not found'),
    });
    assert.equal(await targetGroupResource().discover(makeContext()), undefined);
    assert.equal(elb.of('DescribeTargetGroups')[0].get('Names.member.1'), 'barista-cafe-tg');
  });

  it('refuses an untagged target group of the same name: a conflict, never adopted', async () => {
    const elb = fakeQueryService(ELB, {
      DescribeTargetGroups: () =>
        elbResponse('DescribeTargetGroups', `<TargetGroups>${targetGroupXml()}</TargetGroups>`),
      DescribeLoadBalancers: () => elbError('LoadBalancerNotFound', 'not found'),
      DescribeTags: () => tagsXml(TG_ARN, { Name: 'barista-cafe-tg', team: 'someone-else' }),
    });
    await assert.rejects(targetGroupResource().discover(makeContext()), (error: any) => {
      assert.equal(error.code, 'TARGET_GROUP_CONFLICT');
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /barista-cafe-tg/);
      assert.match(error.message, /not created by this site/);
      return true;
    });
    assert.equal(elb.of('DescribeTags')[0].get('ResourceArns.member.1'), TG_ARN);
    assert.ok(
      !elb.actions().some((a) => a.startsWith('Delete') || a.startsWith('Modify') || a.startsWith('Create')),
    );
  });

  it('refuses the untagged group CreateTargetGroup hands back for an identical request', async () => {
    const elb = fakeQueryService(ELB, {
      CreateTargetGroup: () =>
        elbResponse('CreateTargetGroup', `<TargetGroups>${targetGroupXml()}</TargetGroups>`),
      DescribeTags: () => tagsXml(TG_ARN, {}),
    });
    await assert.rejects(targetGroupResource().create(makeContext()), /not created by this site/);
    assert.ok(!elb.actions().includes('ModifyTargetGroupAttributes'));
  });

  it('diffs the health check and updates it with ModifyTargetGroup', async () => {
    const elb = fakeQueryService(ELB, {
      DescribeTargetGroups: () =>
        elbResponse(
          'DescribeTargetGroups',
          `<TargetGroups>${targetGroupXml({ path: '/old', interval: 30 })}</TargetGroups>`,
        ),
      DescribeLoadBalancers: () => elbError('LoadBalancerNotFound', 'not found'),
      DescribeTags: () => tagsXml(TG_ARN, ourTags('alb.target-group', 'barista-cafe-tg')),
      DescribeTargetGroupAttributes: () =>
        elbResponse(
          'DescribeTargetGroupAttributes',
          '<Attributes><member><Key>deregistration_delay.timeout_seconds</Key><Value>300</Value></member></Attributes>',
        ),
      ModifyTargetGroup: () =>
        elbResponse(
          'ModifyTargetGroup',
          `<TargetGroups>${targetGroupXml({ path: '/health' })}</TargetGroups>`,
        ),
      ModifyTargetGroupAttributes: () => elbResponse('ModifyTargetGroupAttributes', '<Attributes/>'),
    });
    const ctx = makeContext({ alb: { healthCheck: { path: '/health' } } });
    const resource = targetGroupResource();
    const found = await resource.discover(ctx);
    const changes = await resource.diff!(ctx, found!);
    assert.deepEqual(changes, [
      { field: 'health check path', from: '/old', to: '/health' },
      { field: 'health check interval', from: 30, to: 10 },
      { field: 'deregistration delay', from: 300, to: 30 },
    ]);
    await resource.update!(ctx, found!, changes);
    const sent = elb.of('ModifyTargetGroup')[0];
    assert.equal(sent.get('TargetGroupArn'), TG_ARN);
    assert.equal(sent.get('HealthCheckPath'), '/health');
    assert.equal(sent.get('HealthCheckIntervalSeconds'), '10');
  });

  it('destroy retries ResourceInUse while a listener goes away, and takes TargetGroupNotFound as gone', async () => {
    const elb = fakeQueryService(ELB, {
      DeleteTargetGroup: (_p, nth) =>
        nth === 1
          ? elbError('ResourceInUse', 'Target group is currently in use by a listener or a rule')
          : elbResponse('DeleteTargetGroup', ''),
    });
    await targetGroupResource().destroy(makeContext(), TG_OUTPUT);
    assert.equal(elb.of('DeleteTargetGroup').length, 2);
    tearDownNock();
    setUpNock();
    fakeQueryService(ELB, { DeleteTargetGroup: () => elbError('TargetGroupNotFound', 'gone') });
    await targetGroupResource().destroy(makeContext(), TG_OUTPUT);
  });
});

describe('alb.load-balancer (wire)', () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);

  it('creates an internet-facing ALB over both subnets with the ALB security group and tags, and does not wait for it to be active', async () => {
    const elb = fakeQueryService(ELB, {
      CreateLoadBalancer: () =>
        elbResponse(
          'CreateLoadBalancer',
          `<LoadBalancers>${loadBalancerXml('provisioning')}</LoadBalancers>`,
        ),
      DescribeTags: () => tagsXml(LB_ARN, ourTags('alb.load-balancer', 'barista-cafe-alb')),
    });
    const out = await loadBalancerResource().create(makeContext());
    const sent = elb.of('CreateLoadBalancer')[0];
    const { Action, Version: _v, ...rest } = paramsObject(sent);
    assert.equal(Action, 'CreateLoadBalancer');
    assert.deepEqual(Object.fromEntries(Object.entries(rest).filter(([k]) => !k.startsWith('Tags.'))), {
      Name: 'barista-cafe-alb',
      Type: 'application',
      Scheme: 'internet-facing',
      IpAddressType: 'ipv4',
      'Subnets.member.1': 'subnet-a',
      'Subnets.member.2': 'subnet-b',
      'SecurityGroups.member.1': 'sg-0alb',
    });
    assert.deepEqual(tagsOf(sent), ourTags('alb.load-balancer', 'barista-cafe-alb'));
    // The listener can be added while it provisions; alb.site-health waits for 'active'.
    assert.deepEqual(elb.actions(), ['CreateLoadBalancer', 'DescribeTags']);
    assert.deepEqual(out, {
      loadBalancerArn: LB_ARN,
      loadBalancerName: 'barista-cafe-alb',
      dnsName: DNS_NAME,
      state: 'provisioning',
      // The zones of its nodes, each with a public IPv4 address: what `site cost` counts.
      zones: ['us-east-1a', 'us-east-1b'],
    });
  });

  it('discovers the load balancer and the target group with one DescribeTags for both', async () => {
    const elb = fakeQueryService(ELB, {
      DescribeLoadBalancers: () =>
        elbResponse('DescribeLoadBalancers', `<LoadBalancers>${loadBalancerXml('active')}</LoadBalancers>`),
      DescribeTargetGroups: () =>
        elbResponse('DescribeTargetGroups', `<TargetGroups>${targetGroupXml()}</TargetGroups>`),
      DescribeTags: () =>
        tagDescriptionsXml([
          [LB_ARN, ourTags('alb.load-balancer', 'barista-cafe-alb')],
          [TG_ARN, ourTags('alb.target-group', 'barista-cafe-tg')],
        ]),
      DescribeTargetGroupAttributes: () =>
        elbResponse(
          'DescribeTargetGroupAttributes',
          '<Attributes><member><Key>deregistration_delay.timeout_seconds</Key><Value>30</Value></member></Attributes>',
        ),
    });
    const ctx = makeContext();
    const [loadBalancer, targetGroup] = await Promise.all([
      loadBalancerResource().discover(ctx),
      targetGroupResource().discover(ctx),
    ]);
    assert.equal(loadBalancer?.loadBalancerArn, LB_ARN);
    assert.equal(targetGroup?.targetGroupArn, TG_ARN);
    assert.equal(elb.of('DescribeTags').length, 1);
    assert.deepEqual(
      [
        elb.of('DescribeTags')[0].get('ResourceArns.member.1'),
        elb.of('DescribeTags')[0].get('ResourceArns.member.2'),
      ],
      [LB_ARN, TG_ARN],
    );
    assert.equal(elb.of('DescribeLoadBalancers').length, 1);
    assert.equal(elb.of('DescribeTargetGroups').length, 1);
  });

  it('a load balancer of the same name without our tags is a conflict, found with the shared lookup too', async () => {
    fakeQueryService(ELB, {
      DescribeLoadBalancers: () =>
        elbResponse('DescribeLoadBalancers', `<LoadBalancers>${loadBalancerXml('active')}</LoadBalancers>`),
      DescribeTargetGroups: () => elbError('TargetGroupNotFound', 'not found'),
      DescribeTags: () => tagsXml(LB_ARN, { Name: 'barista-cafe-alb' }),
    });
    await assert.rejects(
      loadBalancerResource().discover(makeContext()),
      (error: any) => error.code === 'LOAD_BALANCER_CONFLICT',
    );
  });

  it('resolves DuplicateLoadBalancerName to the existing one only when its tags prove it is ours', async () => {
    fakeQueryService(ELB, {
      CreateLoadBalancer: () =>
        elbError('DuplicateLoadBalancerName', 'A load balancer with the same name exists'),
      DescribeLoadBalancers: () =>
        elbResponse('DescribeLoadBalancers', `<LoadBalancers>${loadBalancerXml('active')}</LoadBalancers>`),
      DescribeTags: () => tagsXml(LB_ARN, { Name: 'barista-cafe-alb' }),
    });
    await assert.rejects(
      loadBalancerResource().create(makeContext()),
      (error: any) => error.code === 'LOAD_BALANCER_CONFLICT',
    );
  });

  it('destroy deletes and waits until DescribeLoadBalancers says LoadBalancerNotFound', async () => {
    const elb = fakeQueryService(ELB, {
      DeleteLoadBalancer: () => elbResponse('DeleteLoadBalancer', ''),
      DescribeLoadBalancers: (_p, nth) =>
        nth < 2
          ? elbResponse(
              'DescribeLoadBalancers',
              `<LoadBalancers>${loadBalancerXml('active')}</LoadBalancers>`,
            )
          : elbError('LoadBalancerNotFound', 'gone'),
    });
    await loadBalancerResource().destroy(makeContext(), LB_OUTPUT);
    assert.equal(elb.of('DeleteLoadBalancer')[0].get('LoadBalancerArn'), LB_ARN);
    assert.equal(elb.of('DescribeLoadBalancers').length, 2);
  });
});

describe('alb.listener (wire)', () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);
  const outputs: [string, unknown][] = [
    ['alb.load-balancer', LB_OUTPUT],
    ['alb.target-group', TG_OUTPUT],
  ];

  it('creates an HTTP listener on alb.port forwarding to the target group', async () => {
    const elb = fakeQueryService(ELB, {
      CreateListener: () => elbResponse('CreateListener', `<Listeners>${listenerXml(8080)}</Listeners>`),
    });
    const out = await listenerResource().create(makeContext({ alb: { port: 8080 } }, { outputs }));
    const sent = elb.of('CreateListener')[0];
    const { Action, Version: _v, ...rest } = paramsObject(sent);
    assert.equal(Action, 'CreateListener');
    assert.deepEqual(Object.fromEntries(Object.entries(rest).filter(([k]) => !k.startsWith('Tags.'))), {
      LoadBalancerArn: LB_ARN,
      Protocol: 'HTTP',
      Port: '8080',
      'DefaultActions.member.1.Type': 'forward',
      'DefaultActions.member.1.TargetGroupArn': TG_ARN,
    });
    assert.equal(tagsOf(sent)['site:resource'], 'alb.listener');
    assert.deepEqual(out, {
      listenerArn: LISTENER_ARN,
      port: 8080,
      protocol: 'HTTP',
      action: 'forward',
      targetGroupArn: TG_ARN,
    });
  });

  it('finds a listener that redirects instead of forwarding, diffs it and fixes it with ModifyListener', async () => {
    const redirect = `<member><Type>redirect</Type><RedirectConfig><Protocol>HTTPS</Protocol><Port>443</Port><StatusCode>HTTP_301</StatusCode></RedirectConfig></member>`;
    const elb = fakeQueryService(ELB, {
      DescribeListeners: () =>
        elbResponse('DescribeListeners', `<Listeners>${listenerXml(80, redirect)}</Listeners>`),
      // Ours, but no other resource claims the action: drift.
      DescribeTags: () => tagsXml(LISTENER_ARN, ourTags('alb.listener', 'barista-cafe-http-80')),
      ModifyListener: () => elbResponse('ModifyListener', `<Listeners>${listenerXml(80)}</Listeners>`),
    });
    const ctx = makeContext({}, { outputs });
    const resource = listenerResource();
    const found = await resource.discover(ctx);
    assert.equal(found?.defaultActionOwner, undefined);
    assert.equal(elb.of('DescribeListeners')[0].get('LoadBalancerArn'), LB_ARN);
    const changes = await resource.diff!(ctx, found!);
    assert.deepEqual(changes, [
      { field: 'listener action', from: 'redirect', to: 'forward to barista-cafe-tg' },
    ]);
    const out = await resource.update!(ctx, found!, changes);
    assert.deepEqual(paramsObject(elb.of('ModifyListener')[0]), {
      Action: 'ModifyListener',
      Version: '2015-12-01',
      ListenerArn: LISTENER_ARN,
      Port: '80',
      Protocol: 'HTTP',
      'DefaultActions.member.1.Type': 'forward',
      'DefaultActions.member.1.TargetGroupArn': TG_ARN,
    });
    assert.equal(out.action, 'forward');
  });

  it('leaves a default action another resource of the site took over, while that resource is in the run', async () => {
    const redirect = `<member><Type>redirect</Type><RedirectConfig><Protocol>HTTPS</Protocol><Port>443</Port><StatusCode>HTTP_301</StatusCode></RedirectConfig></member>`;
    const elb = fakeQueryService(ELB, {
      DescribeListeners: () =>
        elbResponse('DescribeListeners', `<Listeners>${listenerXml(80, redirect)}</Listeners>`),
      DescribeTags: () =>
        tagsXml(LISTENER_ARN, {
          ...ourTags('alb.listener', 'barista-cafe-http-80'),
          'site:default-action': 'https.redirect',
        }),
      ModifyListener: () =>
        elbResponse('ModifyListener', `<Listeners>${listenerXml(8080, redirect)}</Listeners>`),
    });
    const resource = listenerResource();
    const withRedirect = makeContext(
      {},
      { outputs: [...outputs, ['https.redirect', { listenerArn: LISTENER_ARN }]] },
    );
    const found = await resource.discover(withRedirect);
    assert.equal(found?.defaultActionOwner, 'https.redirect');
    assert.deepEqual(await resource.diff!(withRedirect, found!), [], 'a no-op redeploy changes nothing');

    // A port change moves the listener and keeps the redirect: no DefaultActions sent.
    const moved = makeContext(
      { alb: { port: 8080 } },
      { outputs: [...outputs, ['https.redirect', { listenerArn: LISTENER_ARN }]] },
    );
    const changes = await resource.diff!(moved, found!);
    assert.deepEqual(changes, [{ field: 'listener port', from: 80, to: 8080 }]);
    const out = await resource.update!(moved, found!, changes);
    assert.deepEqual(paramsObject(elb.of('ModifyListener')[0]), {
      Action: 'ModifyListener',
      Version: '2015-12-01',
      ListenerArn: LISTENER_ARN,
      Port: '8080',
      Protocol: 'HTTP',
    });
    assert.equal(out.defaultActionOwner, 'https.redirect');

    // The plugin gone or turned off: its redirect is drift, and forward comes back.
    const without = makeContext({}, { outputs });
    assert.deepEqual(await resource.diff!(without, found!), [
      { field: 'listener action', from: 'redirect', to: 'forward to barista-cafe-tg' },
    ]);
  });

  it('is absent when the load balancer is absent, and a kept listener has no diff', async () => {
    assert.equal(await listenerResource().discover(makeContext()), undefined);
    fakeQueryService(ELB, {
      DescribeListeners: () => elbResponse('DescribeListeners', `<Listeners>${listenerXml(80)}</Listeners>`),
    });
    const ctx = makeContext({}, { outputs });
    const found = await listenerResource().discover(ctx);
    assert.deepEqual(await listenerResource().diff!(ctx, found!), []);
  });
});

describe('alb.targets (wire)', () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);
  const instances = (ids: string[], retiring: string[] = []) =>
    [
      'compute.instances',
      {
        instances: ids.map((instanceId) => ({
          instanceId,
          availabilityZone: 'us-east-1a',
          subnetId: 'subnet-a',
          state: 'running',
        })),
        retiring,
      },
    ] as [string, unknown];

  it('registers the instances with their port', async () => {
    const elb = fakeQueryService(ELB, { RegisterTargets: () => elbResponse('RegisterTargets', '') });
    const ctx = makeContext(
      {},
      {
        outputs: [['alb.target-group', TG_OUTPUT], instances(['i-0000000000000000a', 'i-0000000000000000b'])],
      },
    );
    const out = await targetsResource().create(ctx);
    assert.deepEqual(paramsObject(elb.of('RegisterTargets')[0]), {
      Action: 'RegisterTargets',
      Version: '2015-12-01',
      TargetGroupArn: TG_ARN,
      'Targets.member.1.Id': 'i-0000000000000000a',
      'Targets.member.1.Port': '80',
      'Targets.member.2.Id': 'i-0000000000000000b',
      'Targets.member.2.Port': '80',
    });
    assert.deepEqual(out, {
      targetGroupArn: TG_ARN,
      instanceIds: ['i-0000000000000000a', 'i-0000000000000000b'],
    });
  });

  it('swaps without downtime: registers the new one, waits until healthy, then deregisters the retiring one', async () => {
    let phase = 0;
    const elb = fakeQueryService(ELB, {
      DescribeTargetHealth: () => {
        phase += 1;
        if (phase === 1) return targetHealthXml([{ id: 'i-0old', state: 'healthy' }]);
        if (phase === 2)
          return targetHealthXml([
            {
              id: 'i-0new',
              state: 'initial',
              reason: 'Elb.RegistrationInProgress',
              description: 'Target registration is in progress',
            },
          ]);
        if (phase === 3) return targetHealthXml([{ id: 'i-0new', state: 'healthy' }]);
        return targetHealthXml([
          { id: 'i-0old', state: 'healthy' },
          { id: 'i-0new', state: 'healthy' },
        ]);
      },
      RegisterTargets: () => elbResponse('RegisterTargets', ''),
      DeregisterTargets: () => elbResponse('DeregisterTargets', ''),
      // i-0old is one of ours, not an Auto Scaling group's.
      DescribeInstances: () => ec2Response('DescribeInstances', '<reservationSet/>'),
    });
    const progress: string[] = [];
    const ctx = makeContext(
      {},
      { outputs: [['alb.target-group', TG_OUTPUT], instances(['i-0new'], ['i-0old'])], progress },
    );
    const resource = targetsResource();
    const found = await resource.discover(ctx);
    assert.deepEqual(found?.instanceIds, ['i-0old']);
    assert.deepEqual(await resource.diff!(ctx, found!), [
      { field: 'registered instances', from: ['i-0old'], to: ['i-0new'] },
    ]);
    const out = await resource.update!(ctx, found!, []);
    assert.deepEqual(elb.actions(), [
      'DescribeTargetHealth',
      'RegisterTargets',
      'DescribeTargetHealth',
      'DescribeTargetHealth',
      'DescribeTargetHealth',
      'DescribeInstances',
      'DeregisterTargets',
    ]);
    assert.equal(elb.of('RegisterTargets')[0].get('Targets.member.1.Id'), 'i-0new');
    assert.equal(elb.of('DeregisterTargets')[0].get('Targets.member.1.Id'), 'i-0old');
    assert.deepEqual(out.instanceIds, ['i-0new']);
    assert.ok(progress.includes('0/1 healthy (Elb.RegistrationInProgress)'));
    assert.ok(progress.includes('1/1 healthy'));
  });

  it('leaves the targets an Auto Scaling group registered alone: no drift, never deregistered', async () => {
    const groupInstance = `<reservationSet><item><reservationId>r-1</reservationId><instancesSet><item><instanceId>i-0group</instanceId>${tagSet({ 'aws:autoscaling:groupName': 'barista-cafe-asg' })}</item></instancesSet></item></reservationSet>`;
    const elb = fakeQueryService(ELB, {
      DescribeTargetHealth: () =>
        targetHealthXml([
          { id: 'i-0mine', state: 'healthy' },
          { id: 'i-0group', state: 'healthy' },
        ]),
      DescribeInstances: () => ec2Response('DescribeInstances', groupInstance),
    });
    const ctx = makeContext({}, { outputs: [['alb.target-group', TG_OUTPUT], instances(['i-0mine'])] });
    const resource = targetsResource();
    const found = await resource.discover(ctx);
    assert.deepEqual(await resource.diff!(ctx, found!), []);
    const asked = elb.of('DescribeInstances')[0];
    assert.equal(asked.get('Filter.1.Name'), 'instance-id');
    assert.equal(asked.get('Filter.1.Value.1'), 'i-0group');
    await resource.update!(ctx, found!, []);
    assert.ok(!elb.actions().includes('DeregisterTargets'));
  });

  it('is absent when nothing is registered (draining targets do not count)', async () => {
    fakeQueryService(ELB, {
      DescribeTargetHealth: () =>
        targetHealthXml([{ id: 'i-0gone', state: 'draining', reason: 'Target.DeregistrationInProgress' }]),
    });
    assert.equal(
      await targetsResource().discover(makeContext({}, { outputs: [['alb.target-group', TG_OUTPUT]] })),
      undefined,
    );
  });
});

describe('alb.site-health', () => {
  beforeEach(setUpNock);
  // The sandbox's simulator: the only endpoint simulator routes (/_sim/*) may go to.
  const SANDBOX = { endpoint: ELB };
  afterEach(tearDownNock);
  const outputs: [string, unknown][] = [
    ['alb.load-balancer', { ...LB_OUTPUT, dnsName: 'barista-cafe-alb-1.invalid' }],
    ['alb.listener', { listenerArn: LISTENER_ARN, port: 80, protocol: 'HTTP' }],
    ['alb.targets', { targetGroupArn: TG_ARN, instanceIds: ['i-0000000000000000a'] }],
  ];

  it('waits for healthy targets, then GETs the site through the simulator data plane', async () => {
    const progress: string[] = [];
    fakeQueryService(ELB, {
      DescribeTargetHealth: (_p, nth) =>
        targetHealthXml([
          nth === 1
            ? { id: 'i-0000000000000000a', state: 'initial', reason: 'Elb.InitialHealthChecking' }
            : { id: 'i-0000000000000000a', state: 'healthy' },
        ]),
    });
    nock(ELB)
      .get('/_sim/data-plane')
      .query({ dnsName: 'barista-cafe-alb-1.invalid' })
      .reply(200, { url: 'http://site.test/' });
    nock('http://site.test').get('/').reply(503).get('/').reply(200, '<html>barista</html>');
    const out = await siteHealthResource().create(makeContext({}, { outputs, progress, simulator: SANDBOX }));
    assert.deepEqual(out, {
      url: 'http://barista-cafe-alb-1.invalid/',
      targets: [{ instanceId: 'i-0000000000000000a', state: 'healthy' }],
      http: { status: 200 },
    });
    assert.ok(progress.includes('0/1 healthy (Elb.InitialHealthChecking)'));
  });

  it('takes the redirect of a resource that took over the listener as the answer, and only then', async () => {
    const handedOver: [string, unknown][] = [
      ...outputs.filter(([id]) => id !== 'alb.listener'),
      [
        'alb.listener',
        {
          listenerArn: LISTENER_ARN,
          port: 80,
          protocol: 'HTTP',
          action: 'redirect',
          defaultActionOwner: 'https.redirect',
        },
      ],
      ['https.redirect', { listenerArn: LISTENER_ARN }],
    ];
    const location = 'https://barista-cafe-alb-1.invalid:443/';
    fakeQueryService(ELB, {
      DescribeTargetHealth: () => targetHealthXml([{ id: 'i-0000000000000000a', state: 'healthy' }]),
    });
    nock(ELB).get('/_sim/data-plane').query(true).times(2).reply(200, { url: 'http://site.test/' });
    nock('http://site.test').get('/').times(50).reply(301, '', { location });
    const out = await siteHealthResource().create(
      makeContext({}, { outputs: handedOver, simulator: SANDBOX }),
    );
    assert.deepEqual(out.http, { status: 301, location });

    // A redirect nobody in the run claims is not the site answering.
    await assert.rejects(
      siteHealthResource().create(makeContext({}, { outputs, simulator: SANDBOX })),
      /SITE_NOT_ANSWERING|does not answer 200/,
    );
    nock.cleanAll();
  });

  it('waits for a load balancer created in this run to turn active before looking at target health', async () => {
    const elb = fakeQueryService(ELB, {
      DescribeLoadBalancers: (_p, nth) =>
        elbResponse(
          'DescribeLoadBalancers',
          `<LoadBalancers>${loadBalancerXml(nth < 3 ? 'provisioning' : 'active')}</LoadBalancers>`,
        ),
      DescribeTargetHealth: () => targetHealthXml([{ id: 'i-0000000000000000a', state: 'healthy' }]),
    });
    nock(ELB).get('/_sim/data-plane').query(true).reply(200, { url: 'http://site.test/' });
    nock('http://site.test').get('/').reply(200, 'ok');
    const provisioning: [string, unknown][] = [
      ['alb.load-balancer', { ...LB_OUTPUT, dnsName: 'barista-cafe-alb-1.invalid', state: 'provisioning' }],
      ...outputs.slice(1),
    ];
    const out = await siteHealthResource().create(
      makeContext({}, { outputs: provisioning, simulator: SANDBOX }),
    );
    assert.equal(out.http.status, 200);
    assert.deepEqual(elb.actions(), [
      'DescribeLoadBalancers',
      'DescribeLoadBalancers',
      'DescribeLoadBalancers',
      'DescribeTargetHealth',
    ]);
  });

  it('takes targets that discovery found healthy moments ago as healthy, and proves it with the GET alone', async () => {
    const elb = fakeQueryService(ELB, {});
    nock(ELB).get('/_sim/data-plane').query(true).reply(200, { url: 'http://site.test/' });
    nock('http://site.test').get('/').reply(200, 'ok');
    const discovered: [string, unknown][] = [
      ...outputs.slice(0, 2),
      [
        'alb.targets',
        {
          targetGroupArn: TG_ARN,
          instanceIds: ['i-0000000000000000a'],
          health: [{ instanceId: 'i-0000000000000000a', state: 'healthy' }],
        },
      ],
    ];
    const out = await siteHealthResource().create(
      makeContext({}, { outputs: discovered, simulator: SANDBOX }),
    );
    assert.deepEqual(out.targets, [{ instanceId: 'i-0000000000000000a', state: 'healthy' }]);
    assert.equal(out.http.status, 200);
    assert.deepEqual(elb.actions(), []);
  });

  it('skips the HTTP check with a warning when the DNS name does not resolve and the endpoint is not the sandbox, asking it nothing of /_sim', async () => {
    const warnings: string[] = [];
    fakeQueryService(ELB, {
      DescribeTargetHealth: () => targetHealthXml([{ id: 'i-0000000000000000a', state: 'healthy' }]),
    });
    const asked: string[] = [];
    nock(ELB)
      .get(/^\/_sim\//)
      .optionally()
      .reply(200, (uri) => (asked.push(uri), { url: 'http://site.test/' }));
    const out = await siteHealthResource().create(makeContext({}, { outputs, warnings }));
    assert.match(out.http.skipped ?? '', /does not resolve from here/);
    assert.equal(warnings.length, 1);
    assert.deepEqual(asked, [], 'no simulator route was sent to an endpoint that is not the sandbox');
    nock.cleanAll();
  });

  it("fails at once, quoting the setup log, when an unhealthy target's instance says its setup failed", async () => {
    fakeQueryService(ELB, {
      DescribeTargetHealth: () =>
        targetHealthXml([
          {
            id: 'i-0000000000000000a',
            state: 'unhealthy',
            reason: 'Target.FailedHealthChecks',
            description: 'Health checks failed',
          },
        ]),
    });
    const failure =
      'SITE SETUP FAILED: could not download https://example.com/site.zip: the server answered HTTP 404';
    const asked: (readonly string[] | undefined)[] = [];
    // Stands for the plugin that owns instances: the alb plugin knows it only through ctx.logs().
    const instanceLogs = {
      id: 'test.instances',
      title: 'Instances',
      dependsOn: [],
      iam: [],
      discover: async () => undefined,
      create: async () => ({}),
      destroy: async () => {},
      logs: async (_ctx: unknown, _found: unknown, query: { sources?: readonly string[] }) => {
        asked.push(query.sources);
        return [
          {
            source: 'i-0000000000000000a',
            lines: ['site-setup: installing httpd and unzip', failure],
            failure,
          },
        ];
      },
    };
    const ctx = makeContext(
      {},
      { outputs: [...outputs, ['test.instances', {}]], logSources: [instanceLogs] },
    );
    await assert.rejects(siteHealthResource().create(ctx), (error: any) => {
      assert.equal(error.code, 'TARGET_UNHEALTHY');
      assert.match(error.message, /Target\.FailedHealthChecks/);
      assert.ok(error.message.includes(`i-0000000000000000a setup log: ${failure}`), error.message);
      assert.match(error.suggestions[0], /Fix what the setup log says/);
      return true;
    });
    assert.deepEqual(asked, [['i-0000000000000000a']], 'asked once, for the unhealthy instance only');
  });

  it('fails with AWS’s reason when a target stays unhealthy', async () => {
    const grace = healthTiming.unhealthyGraceMs;
    healthTiming.unhealthyGraceMs = 0;
    try {
      fakeQueryService(ELB, {
        DescribeTargetHealth: () =>
          targetHealthXml([
            {
              id: 'i-0000000000000000a',
              state: 'unhealthy',
              reason: 'Target.ResponseCodeMismatch',
              description: 'Health checks failed with these codes: [404]',
            },
          ]),
      });
      await assert.rejects(siteHealthResource().create(makeContext({}, { outputs })), (error: any) => {
        assert.equal(error.code, 'TARGET_UNHEALTHY');
        assert.match(error.message, /Target\.ResponseCodeMismatch/);
        assert.match(error.message, /\[404\]/);
        return true;
      });
    } finally {
      healthTiming.unhealthyGraceMs = grace;
    }
  });
});
