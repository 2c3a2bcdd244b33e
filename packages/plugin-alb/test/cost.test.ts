import { strict as assert } from 'node:assert';
import { createTestContext } from '@site-cli/core/testing';
import { loadBalancerResource } from '../src/resources/load-balancer.js';

const resource = loadBalancerResource();
const vpc = (zones: number) => ({
  vpcId: 'vpc-1',
  cidrBlock: '172.31.0.0/16',
  subnets: Array.from({ length: zones }, (_, i) => ({
    subnetId: `subnet-${i}`,
    availabilityZone: `us-east-1${'abcdef'[i]}`,
  })),
});

describe('alb.load-balancer cost lines', () => {
  it('its hours, an LCU said to be assumed, and a public IPv4 address per zone it is in', () => {
    const { ctx } = createTestContext({}, { outputs: [['network.vpc', vpc(6)]] });
    const found = {
      loadBalancerArn: 'arn',
      loadBalancerName: 'lb',
      dnsName: 'lb.example',
      state: 'active',
      zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    };
    const [hours, lcu, addresses] = resource.cost!(ctx, found);
    assert.deepEqual([hours.price, hours.units, hours.per], [{ kind: 'alb-hour' }, 1, 'hour']);
    assert.deepEqual([lcu.price, lcu.units], [{ kind: 'alb-lcu' }, 1]);
    assert.match(lcu.assumption ?? '', /on average/);
    assert.deepEqual([addresses.price, addresses.units], [{ kind: 'public-ipv4' }, 3]);
    assert.equal(addresses.assumption, undefined);
  });

  it("as configured: one zone per subnet of the VPC; without the VPC's look-up, two, said to be assumed", () => {
    const withVpc = createTestContext({}, { outputs: [['network.vpc', vpc(4)]] }).ctx;
    assert.equal(resource.cost!(withVpc, undefined)[2].units, 4);
    const [, , addresses] = resource.cost!(createTestContext().ctx, undefined);
    assert.equal(addresses.units, 2);
    assert.match(addresses.assumption ?? '', /two zones/);
  });
});
