import { strict as assert } from 'node:assert';
import { createTestContext } from '@site-cli/core/testing';
import { instancesResource } from '../src/resources/instances.js';
import type { InstancesOutput } from '../src/outputs.js';

const resource = instancesResource();

describe('compute.instances cost lines', () => {
  it('as configured: instance.count instances of instance.type, their volumes and public addresses (assumed)', () => {
    const { ctx } = createTestContext({ instance: { type: 'm7i.large', count: 3, volumeSize: 12 } });
    const lines = resource.cost!(ctx, undefined);
    assert.deepEqual(
      lines.map(({ price, units, per }) => ({ price, units, per })),
      [
        { price: { kind: 'ec2-instance', instanceType: 'm7i.large' }, units: 3, per: 'hour' },
        { price: { kind: 'ebs-volume', volumeType: 'gp3' }, units: 36, per: 'month' },
        { price: { kind: 'public-ipv4' }, units: 3, per: 'hour' },
      ],
    );
    assert.match(lines[2].assumption ?? '', /default VPC/);
  });

  it('as found: running instances by their own type; a stopped one keeps its volume, not its hours or address', () => {
    const { ctx } = createTestContext({ instance: { type: 't3.micro', count: 3, volumeSize: 8 } });
    const instance = (id: string, state: string, instanceType: string, publicIpAddress?: string) => ({
      instanceId: id,
      availabilityZone: 'us-east-1a',
      subnetId: 'subnet-1',
      state,
      instanceType,
      publicIpAddress,
    });
    const found: InstancesOutput = {
      instances: [
        instance('i-1', 'running', 't3.micro', '198.51.100.1'),
        instance('i-2', 'running', 't3.small', '198.51.100.2'),
        instance('i-3', 'stopped', 't3.micro'),
      ],
      retiring: [],
      fingerprint: 'f',
      instanceType: 't3.micro',
      imageId: 'ami-1',
      sshUser: 'ec2-user',
    };
    const lines = resource.cost!(ctx, found);
    assert.deepEqual(
      lines.map(({ item, units }) => [item, units]),
      [
        ['1 instance, t3.micro (Linux, on demand)', 1],
        ['1 instance, t3.small (Linux, on demand)', 1],
        ['3 root volumes, gp3, 8 GB each', 24],
        ['2 public IPv4 addresses of the instances', 2],
      ],
    );
    assert.ok(
      lines.every((line) => line.assumption === undefined),
      'nothing assumed about what exists',
    );
  });
});
