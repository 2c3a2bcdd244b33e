import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { DescribeInstancesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListInstanceProfilesForRoleCommand,
  ListInstanceProfileTagsCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagInstanceProfileCommand,
  TagRoleCommand,
  UntagRoleCommand,
} from '@aws-sdk/client-iam';
import { ManualClock, startSimulator, type Simulator } from '../src/index.js';
import { al2023Image, clients, failure } from './helpers.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const READ_SITE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site-cafe/*' }],
});

/** The wire code and status a call ends in (the SDK names the model's error shape: the code + `Exception`). */
async function refusal(fn: () => Promise<unknown>): Promise<[string, number | undefined]> {
  const e = await failure(fn);
  return [String(e.name).replace(/Exception$/, ''), e.$metadata?.httpStatusCode];
}

describe('IAM', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let iam: IAMClient;
  const start = async (opts: Parameters<typeof startSimulator>[0] = {}) => {
    sim = await startSimulator({ profile: 'fast', seed: 1, accountId: '210987654321', ...opts });
    iam = new IAMClient({
      endpoint: sim.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  };
  beforeEach(() => start());
  afterEach(() => sim.stop());

  describe('roles', () => {
    it('creates a role with the account in its ARN, reads it back with its trust policy URL-encoded, tags it', async () => {
      const created = await iam.send(
        new CreateRoleCommand({
          RoleName: 'site-cafe-instance',
          Path: '/site/',
          AssumeRolePolicyDocument: TRUST,
          Tags: [{ Key: 'site:name', Value: 'cafe' }],
        }),
      );
      assert.equal(created.Role?.Arn, 'arn:aws:iam::210987654321:role/site/site-cafe-instance');
      assert.match(created.Role?.RoleId ?? '', /^AROA[A-Z2-7]{17}$/);
      const got = await iam.send(new GetRoleCommand({ RoleName: 'site-cafe-instance' }));
      assert.equal(got.Role?.AssumeRolePolicyDocument, encodeURIComponent(TRUST));
      assert.equal(got.Role?.MaxSessionDuration, 3600);
      await iam.send(
        new TagRoleCommand({ RoleName: 'site-cafe-instance', Tags: [{ Key: 'ManagedBy', Value: 'site' }] }),
      );
      await iam.send(new UntagRoleCommand({ RoleName: 'site-cafe-instance', TagKeys: ['site:name'] }));
      const tags = await iam.send(new ListRoleTagsCommand({ RoleName: 'site-cafe-instance' }));
      assert.deepEqual(tags.Tags, [{ Key: 'ManagedBy', Value: 'site' }]);
    });

    it('refuses bad names, bad trust policies, a name taken in any case, and unknown roles', async () => {
      const create =
        (RoleName: string, doc = TRUST, Path?: string) =>
        () =>
          iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: doc, Path }));
      assert.deepEqual(await refusal(create('has space')), ['ValidationError', 400]);
      assert.deepEqual(await refusal(create('x'.repeat(65))), ['ValidationError', 400]);
      assert.deepEqual(await refusal(create('ok', TRUST, 'no-slashes')), ['ValidationError', 400]);
      assert.deepEqual(await refusal(create('ok', '{not json')), ['MalformedPolicyDocument', 400]);
      assert.deepEqual(await refusal(create('ok', READ_SITE)), ['MalformedPolicyDocument', 400]);
      await create('site-role')();
      assert.deepEqual(await refusal(create('SITE-ROLE')), ['EntityAlreadyExists', 409]);
      assert.deepEqual(await refusal(() => iam.send(new GetRoleCommand({ RoleName: 'nobody' }))), [
        'NoSuchEntity',
        404,
      ]);
      const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
      assert.deepEqual(
        await refusal(() => iam.send(new TagRoleCommand({ RoleName: 'site-role', Tags: many }))),
        ['ValidationError', 400],
      );
      assert.deepEqual(
        await refusal(() =>
          iam.send(new TagRoleCommand({ RoleName: 'site-role', Tags: [{ Key: 'aws:x', Value: 'v' }] })),
        ),
        ['InvalidInput', 400],
      );
    });

    it('inline policies: put, read back URL-encoded, list, delete; refuses what is not JSON', async () => {
      await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST }));
      await iam.send(
        new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'read-site', PolicyDocument: READ_SITE }),
      );
      const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'r', PolicyName: 'read-site' }));
      assert.equal(got.PolicyDocument, encodeURIComponent(READ_SITE));
      assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'r' }))).PolicyNames, [
        'read-site',
      ]);
      assert.deepEqual(
        await refusal(() =>
          iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'bad', PolicyDocument: 'nope' })),
        ),
        ['MalformedPolicyDocument', 400],
      );
      // A trust policy is no identity policy: it names a principal and no resource.
      assert.deepEqual(
        await refusal(() =>
          iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'bad', PolicyDocument: TRUST })),
        ),
        ['MalformedPolicyDocument', 400],
      );
      assert.deepEqual(
        await refusal(() => iam.send(new GetRolePolicyCommand({ RoleName: 'r', PolicyName: 'other' }))),
        ['NoSuchEntity', 404],
      );
      // Not while a policy is attached.
      assert.deepEqual(await refusal(() => iam.send(new DeleteRoleCommand({ RoleName: 'r' }))), [
        'DeleteConflict',
        409,
      ]);
      await iam.send(new DeleteRolePolicyCommand({ RoleName: 'r', PolicyName: 'read-site' }));
      await iam.send(new DeleteRoleCommand({ RoleName: 'r' }));
    });

    it('creates the Auto Scaling service-linked role once, and AWS alone may delete it', async () => {
      const made = await iam.send(
        new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com' }),
      );
      assert.equal(made.Role?.RoleName, 'AWSServiceRoleForAutoScaling');
      assert.equal(made.Role?.Path, '/aws-service-role/autoscaling.amazonaws.com/');
      assert.equal(
        (await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForAutoScaling' }))).Role?.Arn,
        'arn:aws:iam::210987654321:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
      );
      assert.deepEqual(
        await refusal(() =>
          iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com' })),
        ),
        ['InvalidInput', 400],
      );
      assert.deepEqual(
        await refusal(() => iam.send(new DeleteRoleCommand({ RoleName: 'AWSServiceRoleForAutoScaling' }))),
        ['UnmodifiableEntity', 400],
      );
      assert.deepEqual(
        await refusal(() =>
          iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'nothing.amazonaws.com' })),
        ),
        ['InvalidInput', 400],
      );
    });
  });

  describe('instance profiles', () => {
    beforeEach(async () => {
      await iam.send(new CreateRoleCommand({ RoleName: 'site-role', AssumeRolePolicyDocument: TRUST }));
      await iam.send(new CreateRoleCommand({ RoleName: 'other-role', AssumeRolePolicyDocument: TRUST }));
    });

    it('holds one role; neither goes while they are joined', async () => {
      const made = await iam.send(
        new CreateInstanceProfileCommand({
          InstanceProfileName: 'site-profile',
          Tags: [{ Key: 'site:name', Value: 'cafe' }],
        }),
      );
      assert.equal(made.InstanceProfile?.Arn, 'arn:aws:iam::210987654321:instance-profile/site-profile');
      assert.match(made.InstanceProfile?.InstanceProfileId ?? '', /^AIPA[A-Z2-7]{17}$/);
      await iam.send(
        new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'site-profile', RoleName: 'site-role' }),
      );
      assert.deepEqual(
        await refusal(() =>
          iam.send(
            new AddRoleToInstanceProfileCommand({
              InstanceProfileName: 'site-profile',
              RoleName: 'other-role',
            }),
          ),
        ),
        ['LimitExceeded', 409],
      );
      const got = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'site-profile' }));
      assert.deepEqual(
        got.InstanceProfile?.Roles?.map((r) => r.RoleName),
        ['site-role'],
      );
      const forRole = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'site-role' }));
      assert.deepEqual(
        forRole.InstanceProfiles?.map((p) => p.InstanceProfileName),
        ['site-profile'],
      );
      await iam.send(
        new TagInstanceProfileCommand({
          InstanceProfileName: 'site-profile',
          Tags: [{ Key: 'ManagedBy', Value: 'site' }],
        }),
      );
      const tags = await iam.send(
        new ListInstanceProfileTagsCommand({ InstanceProfileName: 'site-profile' }),
      );
      assert.deepEqual(
        tags.Tags?.map((t) => t.Key),
        ['site:name', 'ManagedBy'],
      );
      assert.deepEqual(
        await refusal(() =>
          iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'site-profile' })),
        ),
        ['DeleteConflict', 409],
      );
      assert.deepEqual(await refusal(() => iam.send(new DeleteRoleCommand({ RoleName: 'site-role' }))), [
        'DeleteConflict',
        409,
      ]);
      await iam.send(
        new RemoveRoleFromInstanceProfileCommand({
          InstanceProfileName: 'site-profile',
          RoleName: 'site-role',
        }),
      );
      assert.deepEqual(
        await refusal(() =>
          iam.send(
            new RemoveRoleFromInstanceProfileCommand({
              InstanceProfileName: 'site-profile',
              RoleName: 'site-role',
            }),
          ),
        ),
        ['NoSuchEntity', 404],
      );
      await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'site-profile' }));
      await iam.send(new DeleteRoleCommand({ RoleName: 'site-role' }));
      assert.deepEqual(
        await refusal(() => iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'site-profile' }))),
        ['NoSuchEntity', 404],
      );
      assert.deepEqual(
        await refusal(() => iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'bad name' }))),
        ['ValidationError', 400],
      );
    });
  });

  describe('EC2 instances with an instance profile', () => {
    const launch = async (IamInstanceProfile: { Name?: string; Arn?: string }) => {
      const { ec2 } = clients(sim);
      const image = await al2023Image(ec2);
      return ec2.send(
        new RunInstancesCommand({
          ImageId: image.ImageId,
          InstanceType: 't3.micro',
          MinCount: 1,
          MaxCount: 1,
          IamInstanceProfile,
        }),
      );
    };

    it('launch with a profile by name or ARN, and describe it with its ARN and id', async () => {
      const made = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'site-profile' }));
      const byName = await launch({ Name: 'site-profile' });
      const byArn = await launch({ Arn: made.InstanceProfile!.Arn });
      const ids = [byName, byArn].map((r) => r.Instances![0]!.InstanceId!);
      const described = await clients(sim).ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
      for (const r of described.Reservations!)
        assert.deepEqual(r.Instances![0]!.IamInstanceProfile, {
          Arn: made.InstanceProfile!.Arn,
          Id: made.InstanceProfile!.InstanceProfileId,
        });
    });

    it('refuses a profile that does not exist, with AWS’s words', async () => {
      const e = await failure(() => launch({ Name: 'no-such-profile' }));
      assert.equal(e.name, 'InvalidParameterValue');
      assert.equal(
        e.message,
        'Value (no-such-profile) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name',
      );
      const byArn = await failure(() => launch({ Arn: 'arn:aws:iam::210987654321:instance-profile/none' }));
      assert.equal(byArn.name, 'InvalidParameterValue');
    });

    it('in the realistic profile, refuses a profile until IAM has propagated it', async () => {
      await sim.stop();
      const clock = new ManualClock();
      await start({ profile: 'realistic', clock });
      await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'fresh-profile' }));
      const early = await failure(() => launch({ Name: 'fresh-profile' }));
      assert.equal(early.name, 'InvalidParameterValue');
      clock.advance(10_000);
      assert.ok((await launch({ Name: 'fresh-profile' })).Instances?.[0]?.InstanceId);
    });
  });

  describe('with the AWS CLI', function () {
    const AWS = '/usr/bin/aws';
    this.timeout(120_000);
    before(function () {
      if (!existsSync(AWS)) this.skip();
    });
    it('reads a role back with aws iam get-role', async () => {
      await iam.send(new CreateRoleCommand({ RoleName: 'cli-role', AssumeRolePolicyDocument: TRUST }));
      const { stdout } = await promisify(execFile)(
        AWS,
        ['iam', 'get-role', '--role-name', 'cli-role', '--endpoint-url', sim.endpoint, '--output', 'json'],
        {
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            AWS_ACCESS_KEY_ID: 'test',
            AWS_SECRET_ACCESS_KEY: 'test',
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          },
        },
      );
      const role = JSON.parse(stdout).Role;
      assert.equal(role.Arn, 'arn:aws:iam::210987654321:role/cli-role');
      // The CLI decodes the URL-encoded document into JSON, as it does against AWS.
      assert.deepEqual(role.AssumeRolePolicyDocument, JSON.parse(TRUST));
    });
  });
});
