import { strict as assert } from 'node:assert';
import { fakeQueryService, setUpNock, tearDownNock } from '@site-cli/core/testing';
import { runInstancesRequest, launchInputs } from '../src/instances/launch.js';
import { launchSpecResource } from '../src/resources/launch-spec.js';
import { desiredSpec } from '../src/spec.js';
import { EC2, makeContext } from './fixtures.js';

const offerings = (zones: string[]) => () =>
  `<DescribeInstanceTypeOfferingsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><instanceTypeOfferingSet>${zones
    .map(
      (zone) =>
        `<item><instanceType>t3.micro</instanceType><locationType>availability-zone</locationType><location>${zone}</location></item>`,
    )
    .join('')}</instanceTypeOfferingSet></DescribeInstanceTypeOfferingsResponse>`;

describe('compute.launch-spec', () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);

  it('is nothing without instance.scaling, and asks AWS nothing', async () => {
    const ec2 = fakeQueryService(EC2, {});
    assert.equal(await launchSpecResource().discover(makeContext()), undefined);
    assert.deepEqual(ec2.actions(), []);
  });

  it('with scaling: the RunInstances request itself — image, type, user data, IMDSv2, encrypted volume, spec tags — and the zones offering the type', async () => {
    fakeQueryService(EC2, { DescribeInstanceTypeOfferings: offerings(['us-east-1b']) });
    const ctx = makeContext({ instance: { type: 't3.micro', volumeSize: 16, scaling: { min: 2, max: 4 } } });
    const spec = await launchSpecResource().discover(ctx);
    const request = runInstancesRequest(ctx, await launchInputs(ctx, await desiredSpec(ctx)), 0);
    assert.ok(spec);
    assert.equal(spec.imageId, request.ImageId);
    assert.equal(spec.instanceType, 't3.micro');
    assert.equal(spec.userData, request.UserData);
    assert.deepEqual(spec.metadataOptions, {
      httpTokens: 'required',
      httpEndpoint: 'enabled',
      httpPutResponseHopLimit: 2,
    });
    assert.deepEqual(spec.blockDeviceMappings, [
      {
        deviceName: '/dev/xvda',
        ebs: { volumeSize: 16, volumeType: 'gp3', encrypted: true, deleteOnTermination: true },
      },
    ]);
    assert.deepEqual(spec.subnetIds, ['subnet-b'], 'only the zone that offers t3.micro');
    assert.equal(spec.tags['site:fingerprint'], spec.fingerprint);
    // The group's instances belong to the group: no ownership tag of compute.instances, no index.
    for (const key of ['site:name', 'site:resource', 'ManagedBy', 'Name', 'site:index'])
      assert.ok(!(key in spec.tags), key);
  });
});
