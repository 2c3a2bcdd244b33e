import { strict as assert } from 'node:assert';
import { awsErrorCode, ExitCode, SiteError, translateError } from '../src/index.js';

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

  it('an expired token: says to refresh it', () => {
    const error = translated(
      awsError('ExpiredToken', 'The security token included in the request is expired'),
    );
    assert.equal(error.code, 'AWS_CREDENTIALS_REJECTED');
    assert.match(error.suggestions[0], /Refresh/);
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
});
