import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { awsErrorCode, createAwsClients, ExitCode, SiteError, translateError } from '../src/index.js';

const awsError = (name: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400, attempts: 5 }, ...extra });

const translated = (error: unknown) => {
  const result = translateError(error);
  assert.ok(result instanceof SiteError, `translated ${String(error)}`);
  return result;
};

describe('AWS error translation', () => {
  it('reads the wire code, whether the SDK names the error after it or after its shape', () => {
    assert.equal(awsErrorCode(awsError('InvalidGroup.NotFound', 'x')), 'InvalidGroup.NotFound');
    assert.equal(
      awsErrorCode(awsError('TargetGroupNotFoundException', 'x', { Code: 'TargetGroupNotFound' })),
      'TargetGroupNotFound',
    );
    assert.equal(awsErrorCode(awsError('TargetGroupNotFoundException', 'x')), 'TargetGroupNotFound');
    assert.equal(awsErrorCode(new SiteError({ code: 'X', message: 'ours' })), undefined);
  });

  it('no credentials: says how to configure them, exit 2', () => {
    const error = translated(
      awsError('CredentialsProviderError', 'Could not load credentials from any providers'),
    );
    assert.equal(error.code, 'AWS_NO_CREDENTIALS');
    assert.equal(error.exitCode, ExitCode.usage);
    assert.ok(error.suggestions.some((s) => /aws configure/.test(s)));
    assert.ok(error.suggestions.some((s) => /--sandbox/.test(s)));
  });

  it('an expired token: says to refresh it, exit 1', () => {
    const error = translated(
      awsError('ExpiredToken', 'The security token included in the request is expired'),
    );
    assert.equal(error.code, 'AWS_CREDENTIALS_REJECTED');
    assert.equal(error.exitCode, ExitCode.failure);
    assert.match(error.message, /expired/);
    assert.match(error.suggestions[0], /Refresh/);
    const ec2 = translated(awsError('RequestExpired', 'Request has expired.'));
    assert.match(ec2.message, /expired/);
    assert.ok(ec2.suggestions.some((s) => /clock/.test(s)));
  });

  it('an unknown key: says the key or secret is wrong', () => {
    for (const code of ['AuthFailure', 'InvalidClientTokenId']) {
      const error = translated(
        awsError(code, 'AWS was not able to validate the provided access credentials'),
      );
      assert.equal(error.code, 'AWS_CREDENTIALS_REJECTED');
      assert.match(error.message, /access key is unknown or its secret does not match/);
      assert.match(error.suggestions[0], /AWS_ACCESS_KEY_ID/);
    }
  });

  it('no credentials for a named profile: names the profile and how to list them', () => {
    const error = translateError(
      awsError('CredentialsProviderError', 'Could not load credentials from any providers'),
      { profile: 'nope' },
    ) as SiteError;
    assert.equal(error.code, 'AWS_NO_CREDENTIALS');
    assert.match(error.message, /profile "nope"/);
    assert.ok(error.suggestions.some((s) => /aws configure list-profiles/.test(s)));
  });

  it('AccessDenied / UnauthorizedOperation: names the IAM action', () => {
    const error = translated(
      awsError(
        'UnauthorizedOperation',
        'You are not authorized to perform this operation. User: arn:aws:iam::1:user/x is not authorized to perform: ec2:RunInstances',
      ),
    );
    assert.equal(error.code, 'AWS_ACCESS_DENIED');
    assert.match(error.message, /ec2:RunInstances/);
    assert.equal(error.details.action, 'ec2:RunInstances');
    const elb = translated(
      awsError(
        'AccessDeniedException',
        'User is not authorized to perform: elasticloadbalancing:CreateLoadBalancer',
      ),
    );
    assert.match(elb.message, /elasticloadbalancing:CreateLoadBalancer/);
  });

  it('throttling after the retries: says the command resumes', () => {
    const error = translated(awsError('RequestLimitExceeded', 'Request limit exceeded.'));
    assert.equal(error.code, 'AWS_THROTTLED');
    assert.match(error.message, /after 5 attempts/);
    assert.equal(translated(awsError('Throttling', 'Rate exceeded')).code, 'AWS_THROTTLED');
  });

  it('an unreachable endpoint: names it', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const error = translateError(refused, { endpoint: 'http://127.0.0.1:9' }) as SiteError;
    assert.equal(error.code, 'AWS_UNREACHABLE');
    assert.match(error.message, /127\.0\.0\.1:9.*ECONNREFUSED/);
  });

  it('leaves anything else alone', () => {
    const other = awsError('InvalidGroup.NotFound', 'The security group does not exist');
    assert.equal(translateError(other), other);
  });

  describe('errors from the site clients know their call', () => {
    let server: Server;
    let endpoint: string;
    before(async () => {
      // EC2 denies without naming the action, as RunInstances often does.
      server = createServer((_request, response) => {
        response.writeHead(403, { 'content-type': 'text/xml' });
        response.end(
          '<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>r</RequestID></Response>',
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const clients = (url: string) =>
      createAwsClients({
        region: 'us-east-1',
        endpoint: url,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        maxAttempts: 1,
      });

    it('AccessDenied names the IAM action of the call even when AWS does not', async () => {
      const ec2 = await clients(endpoint).ec2();
      const error = await ec2.runInstances({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1 }).then(
        () => assert.fail('expected a denial'),
        (e: unknown) => translated(e),
      );
      assert.equal(error.code, 'AWS_ACCESS_DENIED');
      assert.match(error.message, /the action ec2:RunInstances/);
      assert.equal(error.details.action, 'ec2:RunInstances');
      assert.ok(!JSON.stringify(error.toJSON()).includes('Symbol'));
    });

    it('an unreachable endpoint is named with the call that failed', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const elbv2 = await clients(url).elbv2();
      const error = await elbv2.describeLoadBalancers({}).then(
        () => assert.fail('expected a failure'),
        (e: unknown) => translated(e),
      );
      assert.equal(error.code, 'AWS_UNREACHABLE');
      assert.equal(error.exitCode, ExitCode.failure);
      assert.ok(error.message.includes(url), error.message);
      assert.match(error.message, /elasticloadbalancing:DescribeLoadBalancers/);
    });
  });
});
