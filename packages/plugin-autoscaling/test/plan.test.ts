import { strict as assert } from 'node:assert';
import { groupChanges, rollout, type DesiredGroup } from '../src/group/plan.js';
import { groupResource } from '../src/resources/group.js';
import { instancesResource } from '@site-cli/plugin-compute/lib/resources/instances.js';
import { createTestContext } from '@site-cli/core/testing';
import { groupOutputOf, instance, makeContext, TG_ARN } from './fixtures.js';

const desired = (overrides: Partial<DesiredGroup> = {}): DesiredGroup => ({
  minSize: 2,
  maxSize: 4,
  desiredCapacity: 2,
  launchTemplateId: 'lt-0123',
  launchTemplateVersion: '2',
  targetGroupArn: TG_ARN,
  subnetIds: ['subnet-b', 'subnet-a'],
  ...overrides,
});

describe('planning the group', () => {
  it('a group as configured has no changes (subnet order and desired capacity do not count)', () => {
    assert.deepEqual(groupChanges(groupOutputOf({ desiredCapacity: 4 }), desired()), []);
  });

  it('new bounds are an update of the size, in the user’s words', () => {
    assert.deepEqual(groupChanges(groupOutputOf(), desired({ minSize: 3, maxSize: 6 })), [
      { field: 'group size (min–max)', from: '2–4', to: '3–6' },
    ]);
  });

  it('a new launch template version is one change, and rolls out with a refresh', () => {
    const found = groupOutputOf({
      launchTemplateVersion: '1',
      instances: [instance('i-1', '1'), instance('i-2', '1')],
    });
    assert.deepEqual(groupChanges(found, desired()), [
      { field: 'launch template version', from: '1', to: '2' },
    ]);
    assert.equal(rollout(found, '2'), 'start');
  });

  it('a refresh in progress is waited for, never a second one started', () => {
    const found = groupOutputOf({
      instances: [instance('i-1', '1'), instance('i-3', '2')],
      refresh: { instanceRefreshId: 'r-1', status: 'InProgress', percentageComplete: 50 },
    });
    assert.equal(rollout(found, '2'), 'wait');
    assert.deepEqual(groupChanges(found, desired()), [
      { field: 'instance refresh', from: 'InProgress (50%)', to: 'Successful' },
    ]);
  });

  it('instances left on an older version by a run stopped before its refresh: a refresh is due', () => {
    const found = groupOutputOf({ instances: [instance('i-1', '1'), instance('i-2', '2')] });
    assert.equal(rollout(found, '2'), 'start');
    assert.deepEqual(groupChanges(found, desired()), [
      { field: 'instances on an older launch template', from: 'some', to: '2' },
    ]);
  });

  it('terminating instances of an older version need no refresh', () => {
    assert.equal(
      rollout(groupOutputOf({ instances: [instance('i-1', '1', 'Terminating'), instance('i-2', '2')] }), '2'),
      'none',
    );
  });

  it('a target group the group lost is attached again', () => {
    assert.deepEqual(groupChanges(groupOutputOf({ targetGroupArns: [] }), desired()), [
      { field: 'target groups', from: [], to: [TG_ARN] },
    ]);
  });
});

describe('count ↔ scaling in the graph', () => {
  it('the group follows the fixed instances, which are unwanted with instance.scaling and wanted without', () => {
    // The runner destroys an unwanted resource only after every step and check (core's runner tests): the
    // group (a step) is healthy before the fixed instances go; back to count, the group goes after the instances.
    assert.ok(groupResource().dependsOn.includes('compute.instances'));
    const withScaling = makeContext({ min: 2, max: 4 });
    const withCount = createTestContext({ instance: { count: 2 } }).ctx;
    assert.equal(instancesResource().wanted?.(withScaling), false);
    assert.equal(groupResource().wanted?.(withScaling), true);
    assert.equal(instancesResource().wanted?.(withCount), true);
    assert.equal(groupResource().wanted?.(withCount), false);
  });
});
