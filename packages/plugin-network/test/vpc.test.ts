import { strict as assert } from 'node:assert';
import { vpcResource } from '../src/resources/vpc.js';
import {
  interceptEc2,
  createTestContext,
  paramsUnder,
  setUpNock,
  tearDownNockExpectingAllCalls,
} from '@site-cli/core/testing';

function subnet(id: string, zone: string, extra = ''): string {
  return `<item><subnetId>${id}</subnetId><state>available</state><vpcId>vpc-0def</vpcId><availabilityZone>${zone}</availabilityZone><cidrBlock>172.31.0.0/20</cidrBlock><availableIpAddressCount>4000</availableIpAddressCount>${extra}</item>`;
}

describe('network.vpc', () => {
  beforeEach(setUpNock);
  afterEach(tearDownNockExpectingAllCalls);
  const resource = vpcResource();

  it('finds the default VPC and one default-for-az subnet per zone, with one describe each per run', async () => {
    const vpcs = interceptEc2(
      'DescribeVpcs',
      '<vpcSet><item><vpcId>vpc-0def</vpcId><state>available</state><cidrBlock>172.31.0.0/16</cidrBlock><isDefault>true</isDefault></item></vpcSet>',
    );
    const subnets = interceptEc2(
      'DescribeSubnets',
      `<subnetSet>${subnet('subnet-b2', 'us-east-1b', '<defaultForAz>false</defaultForAz>')}${subnet('subnet-a', 'us-east-1a', '<defaultForAz>true</defaultForAz>')}${subnet('subnet-b1', 'us-east-1b', '<defaultForAz>true</defaultForAz>')}</subnetSet>`,
    );
    const { ctx } = createTestContext({ name: 'demo' });
    const out = await resource.discover(ctx);
    assert.deepEqual(out, {
      vpcId: 'vpc-0def',
      cidrBlock: '172.31.0.0/16',
      subnets: [
        { subnetId: 'subnet-a', availabilityZone: 'us-east-1a' },
        { subnetId: 'subnet-b1', availabilityZone: 'us-east-1b' },
      ],
    });
    assert.deepEqual(paramsUnder(vpcs[0].params, 'Filter.'), {
      'Filter.1.Name': 'isDefault',
      'Filter.1.Value.1': 'true',
    });
    assert.deepEqual(paramsUnder(subnets[0].params, 'Filter.'), {
      'Filter.1.Name': 'vpc-id',
      'Filter.1.Value.1': 'vpc-0def',
    });
    // Memoised for the run: a second discovery makes no call (nock would refuse it).
    assert.deepEqual(await resource.discover(ctx), out);
  });

  it('uses vpc.id from the config', async () => {
    const vpcs = interceptEc2(
      'DescribeVpcs',
      '<vpcSet><item><vpcId>vpc-0abc1234</vpcId><cidrBlock>10.0.0.0/16</cidrBlock></item></vpcSet>',
    );
    interceptEc2(
      'DescribeSubnets',
      `<subnetSet>${subnet('subnet-1', 'us-east-1a')}${subnet('subnet-2', 'us-east-1c')}</subnetSet>`,
    );
    const { ctx } = createTestContext({ name: 'demo', vpc: { id: 'vpc-0abc1234' } });
    const out = await resource.discover(ctx);
    assert.equal(vpcs[0].params['VpcId.1'], 'vpc-0abc1234');
    assert.equal(vpcs[0].params['Filter.1.Name'], undefined);
    assert.equal(out?.subnets.length, 2);
  });

  it('reads every page of subnets (NextToken), so a zone on the second page counts', async () => {
    interceptEc2(
      'DescribeVpcs',
      '<vpcSet><item><vpcId>vpc-0def</vpcId><cidrBlock>172.31.0.0/16</cidrBlock></item></vpcSet>',
    );
    const pages = interceptEc2(
      'DescribeSubnets',
      (params) =>
        params.NextToken === 'page-2'
          ? `<subnetSet>${subnet('subnet-c', 'us-east-1c')}</subnetSet>`
          : `<subnetSet>${subnet('subnet-a', 'us-east-1a')}</subnetSet><nextToken>page-2</nextToken>`,
      2,
    );
    const { ctx } = createTestContext({ name: 'demo' });
    const out = await resource.discover(ctx);
    assert.deepEqual(
      out?.subnets.map((s) => s.subnetId),
      ['subnet-a', 'subnet-c'],
    );
    assert.deepEqual(
      pages.map((page) => [page.params.NextToken, page.params['Filter.1.Value.1']]),
      [
        [undefined, 'vpc-0def'],
        ['page-2', 'vpc-0def'],
      ],
    );
  });

  it('says how to get a default VPC when there is none (NO_DEFAULT_VPC, exit 2)', async () => {
    interceptEc2('DescribeVpcs', '<vpcSet/>');
    const { ctx } = createTestContext({ name: 'demo' });
    await assert.rejects(resource.discover(ctx), (error: any) => {
      assert.equal(error.code, 'NO_DEFAULT_VPC');
      assert.equal(error.exitCode, 2);
      assert.ok(error.suggestions.some((s: string) => s.includes('aws ec2 create-default-vpc')));
      assert.ok(error.suggestions.some((s: string) => s.includes('vpc.id')));
      return true;
    });
  });

  it('refuses a VPC with subnets in fewer than two zones (TOO_FEW_AZS), naming the zone found', async () => {
    interceptEc2(
      'DescribeVpcs',
      '<vpcSet><item><vpcId>vpc-0def</vpcId><cidrBlock>172.31.0.0/16</cidrBlock></item></vpcSet>',
    );
    interceptEc2(
      'DescribeSubnets',
      `<subnetSet>${subnet('subnet-a', 'us-east-1a')}${subnet('subnet-a2', 'us-east-1a')}</subnetSet>`,
    );
    const { ctx } = createTestContext({ name: 'demo' });
    await assert.rejects(resource.discover(ctx), (error: any) => {
      assert.equal(error.code, 'TOO_FEW_AZS');
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /us-east-1a/);
      assert.match(error.message, /at least 2/);
      return true;
    });
  });
});
