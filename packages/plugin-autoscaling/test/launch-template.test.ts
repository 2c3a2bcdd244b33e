import { strict as assert } from 'node:assert';
import { createTestContext, fakeQueryService, setUpNock, tearDownNock } from '@site-cli/core/testing';
import { launchTemplateResource } from '../src/resources/launch-template.js';
import { HOST } from './fixtures.js';

const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const ec2Response = (action: string, inner: string) =>
  `<${action}Response xmlns="${EC2_NS}"><requestId>r</requestId>${inner}</${action}Response>`;

const SPEC = {
  imageId: 'ami-0123456789abcdef0',
  instanceType: 't3.micro',
  userData: Buffer.from('#!/bin/bash\necho hi\n').toString('base64'),
  blockDeviceMappings: [
    {
      deviceName: '/dev/xvda',
      ebs: { volumeSize: 8, volumeType: 'gp3', encrypted: true, deleteOnTermination: true },
    },
  ],
  metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled', httpPutResponseHopLimit: 2 },
  subnetIds: ['subnet-a'],
  tags: { 'site:fingerprint': 'f1' },
  fingerprint: 'f1',
};
const OWNED: [string, unknown][] = [
  ['keypair.key-pair', { keyName: 'barista-cafe-key' }],
  ['network.instance-security-group', { groupId: 'sg-0instance' }],
];

const context = (outputs: [string, unknown][], spec = SPEC) =>
  createTestContext(
    { instance: { scaling: { min: 2, max: 4 } } },
    { endpoint: HOST, outputs: [['compute.launch-spec', spec], ...outputs] },
  ).ctx;

describe('autoscaling.launch-template (wire)', () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);

  it('creates the template from compute’s launch spec: IMDSv2, encrypted volume, key, group, tags, fingerprint', async () => {
    const ec2 = fakeQueryService(HOST, {
      CreateLaunchTemplate: () =>
        ec2Response(
          'CreateLaunchTemplate',
          '<launchTemplate><launchTemplateId>lt-0123</launchTemplateId><launchTemplateName>barista-cafe-lt</launchTemplateName><latestVersionNumber>1</latestVersionNumber></launchTemplate>',
        ),
    });
    const out = await launchTemplateResource().create(context(OWNED));
    const p = ec2.of('CreateLaunchTemplate')[0];
    assert.equal(p.get('LaunchTemplateName'), 'barista-cafe-lt');
    assert.equal(p.get('LaunchTemplateData.ImageId'), SPEC.imageId);
    assert.equal(p.get('LaunchTemplateData.MetadataOptions.HttpTokens'), 'required');
    assert.equal(p.get('LaunchTemplateData.BlockDeviceMapping.1.Ebs.Encrypted'), 'true');
    assert.equal(p.get('LaunchTemplateData.KeyName'), 'barista-cafe-key');
    assert.equal(p.get('LaunchTemplateData.SecurityGroupId.1'), 'sg-0instance');
    assert.equal(p.get('TagSpecification.1.ResourceType'), 'launch-template');
    assert.match(p.get('VersionDescription') ?? '', /^site fingerprint [0-9a-f]{16}$/);
    assert.deepEqual([out.launchTemplateId, out.version], ['lt-0123', 1]);
    // The same configuration is no change; another launch spec is a new version.
    const resource = launchTemplateResource();
    assert.deepEqual(resource.diff!(context(OWNED), out), []);
    const changed = resource.diff!(context(OWNED, { ...SPEC, fingerprint: 'f2' }), out) as {
      field: string;
    }[];
    assert.deepEqual(
      changed.map((c) => c.field),
      ['launch template'],
    );
  });

  it('preflight dry-runs the create before the key pair and the group exist (left out of the request)', async () => {
    const ec2 = fakeQueryService(HOST, {
      CreateLaunchTemplate: () => [
        412,
        `<Response><Errors><Error><Code>DryRunOperation</Code><Message>Request would have succeeded, but DryRun flag is set.</Message></Error></Errors><RequestID>r</RequestID></Response>`,
      ],
    });
    await launchTemplateResource().preflight!(context([]), { action: 'create' });
    const p = ec2.of('CreateLaunchTemplate')[0];
    assert.equal(p.get('DryRun'), 'true');
    assert.equal(p.get('LaunchTemplateData.KeyName'), null);
    assert.equal(p.get('LaunchTemplateData.InstanceType'), 't3.micro');
  });
});
