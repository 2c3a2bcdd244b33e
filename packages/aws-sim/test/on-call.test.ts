import assert from 'node:assert/strict';
import * as ec2 from '@aws-sdk/client-ec2';
import { startSimulator, type CallRecord, type Simulator } from '../src/index.js';
import { clients } from './helpers.js';

describe('onCall: acting at an exact point of a client run', () => {
  let sim: Simulator;
  beforeEach(async () => (sim = await startSimulator({ profile: 'fast', seed: 5 })));
  afterEach(() => sim.stop());

  it('tells a listener of each call once handled, with its outcome, before the client has the answer', async () => {
    const { ec2: e } = clients(sim);
    const seen: CallRecord[] = [];
    let answered = false;
    sim.onCall(async (call) => {
      // The response waits for the listener: the client has not seen it yet.
      assert.equal(answered, false);
      seen.push({ ...call });
      await new Promise((r) => setTimeout(r, 20));
    });
    const created = await e.send(
      new ec2.CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web' }),
    );
    answered = true;
    assert.deepEqual(
      seen.map((c) => [c.action, c.mutating, c.error]),
      [['CreateSecurityGroup', true, undefined]],
    );
    answered = false;
    await assert.rejects(
      e.send(new ec2.CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web' })),
      /already exists/,
    );
    assert.equal(seen[1]?.error, 'InvalidGroup.Duplicate');
    assert.ok(created.GroupId);
  });

  it('records which access key signed each call', async () => {
    const { ec2: e } = clients(sim);
    await e.send(new ec2.DescribeVpcsCommand({}));
    assert.equal(sim.calls[0]?.accessKeyId, 'test');
  });

  it('stops telling a listener once unsubscribed', async () => {
    const { ec2: e } = clients(sim);
    let count = 0;
    const off = sim.onCall(() => void count++);
    await e.send(new ec2.DescribeVpcsCommand({}));
    off();
    await e.send(new ec2.DescribeVpcsCommand({}));
    assert.equal(count, 1);
  });
});
