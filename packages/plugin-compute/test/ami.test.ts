import { strict as assert } from 'node:assert';
import { amiResource } from '../src/resources/ami.js';
import { describeImagesXml, EC2, makeContext } from './fixtures.js';
import { ec2Error, fakeQueryService, paramsObject, setUpNock, tearDownNock } from '@site-cli/core/testing';

describe('compute.ami (wire)', () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);

  it('asks for available images by name and owner, and picks the newest by CreationDate', async () => {
    const ec2 = fakeQueryService(EC2, {
      DescribeImages: () =>
        describeImagesXml([
          {
            id: 'ami-0000000000000000a',
            name: 'al2023-ami-2023.5.20240601.0-kernel-6.1-x86_64',
            created: '2024-06-01T10:00:00.000Z',
          },
          {
            id: 'ami-0000000000000000c',
            name: 'al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64',
            created: '2025-01-15T08:00:00.000Z',
          },
          {
            id: 'ami-0000000000000000b',
            name: 'al2023-ami-2023.6.20241201.0-kernel-6.1-x86_64',
            created: '2024-12-01T09:00:00.000Z',
          },
        ]),
    });
    const found = await amiResource().discover(makeContext());
    assert.deepEqual(found, {
      imageId: 'ami-0000000000000000c',
      name: 'al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64',
      creationDate: '2025-01-15T08:00:00.000Z',
      rootDeviceName: '/dev/xvda',
    });
    const sent = paramsObject(ec2.of('DescribeImages')[0]);
    assert.deepEqual(sent, {
      Action: 'DescribeImages',
      Version: '2016-11-15',
      'Owner.1': 'amazon',
      'Filter.1.Name': 'name',
      'Filter.1.Value.1': 'al2023-ami-2023.*-x86_64',
      'Filter.2.Name': 'state',
      'Filter.2.Value.1': 'available',
    });
  });

  it('names the filter, owner and region when nothing matches', async () => {
    fakeQueryService(EC2, { DescribeImages: () => describeImagesXml([]) });
    const ctx = makeContext({ instance: { ami: { filter: 'nope-*', owner: '123456789012' } } });
    await assert.rejects(amiResource().discover(ctx), (error: any) => {
      assert.equal(error.code, 'AMI_NOT_FOUND');
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /nope-\*/);
      assert.match(error.message, /123456789012/);
      assert.match(error.message, /us-east-1/);
      return true;
    });
  });

  it('validates a fixed AMI id with ImageIds and turns InvalidAMIID.NotFound into a clear error', async () => {
    const ec2 = fakeQueryService(EC2, {
      DescribeImages: () =>
        ec2Error('InvalidAMIID.NotFound', "The image id '[ami-0123456789abcdef0]' does not exist"),
    });
    const ctx = makeContext({ instance: { ami: 'ami-0123456789abcdef0' } });
    await assert.rejects(amiResource().discover(ctx), (error: any) => {
      assert.equal(error.code, 'AMI_NOT_FOUND');
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /ami-0123456789abcdef0/);
      return true;
    });
    assert.equal(ec2.of('DescribeImages')[0].get('ImageId.1'), 'ami-0123456789abcdef0');
  });

  it('returns a valid fixed AMI', async () => {
    fakeQueryService(EC2, {
      DescribeImages: () =>
        describeImagesXml([
          { id: 'ami-0123456789abcdef0', name: 'my-image', created: '2024-01-01T00:00:00.000Z' },
        ]),
    });
    const found = await amiResource().discover(makeContext({ instance: { ami: 'ami-0123456789abcdef0' } }));
    assert.equal(found?.imageId, 'ami-0123456789abcdef0');
  });
});
