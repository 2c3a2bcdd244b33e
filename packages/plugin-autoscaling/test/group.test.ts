import { strict as assert } from 'node:assert';
import { fakeQueryService, setUpNock, tearDownNock } from '@site-cli/core/testing';
import { groupResource } from '../src/resources/group.js';
import { checkBounds, scale } from '../src/scale.js';
import {
  asError,
  asResponse,
  groupOutputOf,
  groupXml,
  healthXml,
  HOST,
  instance,
  makeContext,
  noGroupXml,
  refreshXml,
  TG_ARN,
} from './fixtures.js';

const mutating = (actions: string[]) => actions.filter((a) => !/^Describe/.test(a));

describe('autoscaling.group (wire)', () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);

  it('creates the group over the subnets, in the target group, on ELB health, tags propagated; waits until healthy', async () => {
    const aws = fakeQueryService(HOST, {
      CreateAutoScalingGroup: () => asResponse('CreateAutoScalingGroup'),
      DescribeAutoScalingGroups: (_p, nth) =>
        nth === 1
          ? groupXml({
              version: '2',
              instances: [instance('i-1', '2', 'Pending'), instance('i-2', '2', 'Pending')],
            })
          : groupXml({ version: '2', instances: [instance('i-1', '2'), instance('i-2', '2')] }),
      DescribeTargetHealth: () => healthXml(['i-1', 'i-2']),
    });
    const out = await groupResource().create(makeContext({ min: 2, max: 4, desired: 2 }));
    const request = aws.of('CreateAutoScalingGroup')[0];
    assert.equal(request.get('AutoScalingGroupName'), 'barista-cafe-asg');
    assert.equal(request.get('LaunchTemplate.LaunchTemplateId'), 'lt-0123');
    assert.equal(request.get('LaunchTemplate.Version'), '2');
    assert.equal(request.get('MinSize'), '2');
    assert.equal(request.get('MaxSize'), '4');
    assert.equal(request.get('DesiredCapacity'), '2');
    assert.equal(request.get('VPCZoneIdentifier'), 'subnet-b,subnet-a');
    assert.equal(request.get('TargetGroupARNs.member.1'), TG_ARN);
    assert.equal(request.get('HealthCheckType'), 'ELB');
    assert.equal(request.get('HealthCheckGracePeriod'), '300');
    const tags = new Map<string, string>();
    for (let i = 1; request.get(`Tags.member.${i}.Key`); i++) {
      assert.equal(request.get(`Tags.member.${i}.PropagateAtLaunch`), 'true');
      tags.set(request.get(`Tags.member.${i}.Key`)!, request.get(`Tags.member.${i}.Value`)!);
    }
    assert.equal(tags.get('site:name'), 'barista-cafe');
    assert.equal(tags.get('site:resource'), 'autoscaling.group');
    assert.equal(tags.get('ManagedBy'), 'site');
    assert.deepEqual(
      out.instances.map((i) => [i.instanceId, i.lifecycleState]),
      [
        ['i-1', 'InService'],
        ['i-2', 'InService'],
      ],
    );
    assert.ok(aws.of('DescribeTargetHealth').length >= 1, 'waited for the load balancer’s view too');
  });

  it('a same-named group without the site’s tags is a conflict, never adopted', async () => {
    fakeQueryService(HOST, { DescribeAutoScalingGroups: () => groupXml({ tags: { Team: 'other' } }) });
    await assert.rejects(groupResource().discover(makeContext()), { code: 'AUTO_SCALING_GROUP_CONFLICT' });
  });

  it('a new template version: updates the group, then one instance refresh at 100–200% healthy, and waits for it', async () => {
    let refreshed = false;
    const aws = fakeQueryService(HOST, {
      UpdateAutoScalingGroup: () => asResponse('UpdateAutoScalingGroup'),
      DescribeAutoScalingGroups: () =>
        refreshed
          ? groupXml({ version: '2', instances: [instance('i-3', '2'), instance('i-4', '2')] })
          : groupXml({ version: '2', instances: [instance('i-1', '1'), instance('i-2', '1')] }),
      DescribeInstanceRefreshes: (_p, nth) => {
        if (nth === 1) return asResponse('DescribeInstanceRefreshes', '<InstanceRefreshes/>');
        if (nth === 2) return refreshXml('r-1', 'InProgress', 50);
        refreshed = true;
        return refreshXml('r-1', 'Successful', 100);
      },
      StartInstanceRefresh: () =>
        asResponse('StartInstanceRefresh', '<InstanceRefreshId>r-1</InstanceRefreshId>'),
      DescribeTargetHealth: () => healthXml(['i-3', 'i-4']),
    });
    const found = groupOutputOf({
      launchTemplateVersion: '1',
      instances: [instance('i-1', '1'), instance('i-2', '1')],
    });
    const ctx = makeContext();
    const changes = await groupResource().diff!(ctx, found);
    const out = await groupResource().update!(ctx, found, changes);
    assert.deepEqual(mutating(aws.actions()), ['UpdateAutoScalingGroup', 'StartInstanceRefresh']);
    assert.equal(aws.of('UpdateAutoScalingGroup')[0].get('LaunchTemplate.Version'), '2');
    const start = aws.of('StartInstanceRefresh')[0];
    assert.equal(start.get('Preferences.MinHealthyPercentage'), '100');
    assert.equal(start.get('Preferences.MaxHealthyPercentage'), '200');
    assert.equal(start.get('Preferences.SkipMatching'), 'true');
    assert.deepEqual(
      out.instances.map((i) => i.instanceId),
      ['i-3', 'i-4'],
    );
  });

  it('a re-run that finds a refresh in progress waits for that one and starts none', async () => {
    const aws = fakeQueryService(HOST, {
      DescribeAutoScalingGroups: (_p, nth) =>
        nth === 1
          ? groupXml({ version: '2', instances: [instance('i-1', '1'), instance('i-3', '2')] })
          : groupXml({ version: '2', instances: [instance('i-3', '2'), instance('i-4', '2')] }),
      DescribeInstanceRefreshes: (_p, nth) =>
        nth < 3 ? refreshXml('r-1', 'InProgress', 50) : refreshXml('r-1', 'Successful', 100),
      DescribeTargetHealth: () => healthXml(['i-3', 'i-4']),
    });
    const ctx = makeContext();
    const found = await groupResource().discover(ctx);
    assert.equal(found?.refresh?.instanceRefreshId, 'r-1');
    const changes = await groupResource().diff!(ctx, found!);
    assert.deepEqual(
      changes.map((c) => c.field),
      ['instance refresh'],
    );
    await groupResource().update!(ctx, found!, changes);
    assert.deepEqual(mutating(aws.actions()), [], 'no second refresh, no update');
  });

  it('a refresh that fails says why, in AWS’s words', async () => {
    fakeQueryService(HOST, {
      DescribeAutoScalingGroups: () => groupXml({ version: '2', instances: [instance('i-1', '1')] }),
      DescribeInstanceRefreshes: () =>
        asResponse(
          'DescribeInstanceRefreshes',
          '<InstanceRefreshes><member><InstanceRefreshId>r-1</InstanceRefreshId><Status>Failed</Status><StatusReason>Instances failed to pass health checks</StatusReason></member></InstanceRefreshes>',
        ),
    });
    const found = groupOutputOf({
      instances: [instance('i-1', '1')],
      refresh: { instanceRefreshId: 'r-1', status: 'InProgress' },
    });
    await assert.rejects(
      groupResource().update!(makeContext(), found, []),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'INSTANCE_REFRESH_FAILED');
        assert.match(error.message, /Instances failed to pass health checks/);
        return true;
      },
    );
  });

  it('destroy force-deletes, then waits until the group and its instances are gone; gone already is done', async () => {
    const aws = fakeQueryService(HOST, {
      DeleteAutoScalingGroup: () => asResponse('DeleteAutoScalingGroup'),
      DescribeAutoScalingGroups: (_p, nth) =>
        nth === 1 ? groupXml({ instances: [instance('i-1', '1', 'Terminating')] }) : noGroupXml(),
      DescribeInstances: () =>
        `<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><reservationSet/></DescribeInstancesResponse>`,
    });
    await groupResource().destroy(makeContext(), groupOutputOf());
    assert.equal(aws.of('DeleteAutoScalingGroup')[0].get('ForceDelete'), 'true');
    assert.equal(aws.of('DescribeInstances')[0].get('Filter.1.Name'), 'tag:aws:autoscaling:groupName');

    fakeQueryService(HOST, {
      DeleteAutoScalingGroup: () =>
        asError('ValidationError', 'AutoScalingGroup name not found - barista-cafe-asg'),
      DescribeAutoScalingGroups: () => noGroupXml(),
      DescribeInstances: () =>
        `<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><reservationSet/></DescribeInstancesResponse>`,
    });
    await groupResource().destroy(makeContext(), groupOutputOf());
  });
});

describe('site scale', () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);

  it('refuses a capacity outside the bounds before any call (exit 2), and says how to move them', () => {
    const ctx = makeContext();
    assert.throws(
      () => checkBounds(ctx, groupOutputOf(), { desired: 5, wait: true }),
      (error: Error & { code?: string; exitCode?: number; suggestions?: string[] }) => {
        assert.equal(error.code, 'SCALE_OUT_OF_BOUNDS');
        assert.equal(error.exitCode, 2);
        assert.match(error.message, /5 is outside the group's bounds 2–4/);
        assert.match(error.suggestions!.join('\n'), /--max 5/);
        return true;
      },
    );
    assert.throws(() => checkBounds(ctx, groupOutputOf(), { desired: 3, min: 4, max: 3, wait: true }), {
      code: 'SCALE_OUT_OF_BOUNDS',
    });
    assert.throws(() => checkBounds(ctx, groupOutputOf(), { desired: 21, max: 21, wait: true }), {
      code: 'SCALE_OUT_OF_BOUNDS',
    });
  });

  it('within the bounds: one SetDesiredCapacity, then waits for that many healthy targets', async () => {
    const aws = fakeQueryService(HOST, {
      SetDesiredCapacity: () => asResponse('SetDesiredCapacity'),
      DescribeAutoScalingGroups: (_p, nth) =>
        nth === 1
          ? groupXml({
              desired: 4,
              instances: [
                instance('i-1'),
                instance('i-2'),
                instance('i-3', '1', 'Pending'),
                instance('i-4', '1', 'Pending'),
              ],
            })
          : groupXml({ desired: 4, instances: ['i-1', 'i-2', 'i-3', 'i-4'].map((id) => instance(id)) }),
      DescribeTargetHealth: (_p, nth) =>
        nth === 1
          ? healthXml(['i-1', 'i-2', 'i-3', 'i-4'], 'initial')
          : healthXml(['i-1', 'i-2', 'i-3', 'i-4']),
    });
    const result = await scale(makeContext(), groupOutputOf(), { desired: 4, wait: true });
    assert.deepEqual(mutating(aws.actions()), ['SetDesiredCapacity']);
    assert.equal(aws.of('SetDesiredCapacity')[0].get('DesiredCapacity'), '4');
    assert.equal(aws.of('DescribeTargetHealth').length, 2, 'waited for healthy targets, not just InService');
    assert.deepEqual(result.after, { min: 2, desired: 4, max: 4 });
    assert.equal(result.instances.length, 4);
  });

  it('with --max: one UpdateAutoScalingGroup moving the bound and the capacity together', async () => {
    const aws = fakeQueryService(HOST, {
      UpdateAutoScalingGroup: () => asResponse('UpdateAutoScalingGroup'),
      DescribeAutoScalingGroups: () => groupXml({ desired: 6, max: 6 }),
    });
    await scale(makeContext(), groupOutputOf(), { desired: 6, max: 6, wait: false });
    const update = aws.of('UpdateAutoScalingGroup')[0];
    assert.deepEqual(
      [update.get('MinSize'), update.get('MaxSize'), update.get('DesiredCapacity')],
      ['2', '6', '6'],
    );
  });
});
