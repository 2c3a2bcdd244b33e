import { ExitCode, SiteError, isSiteError } from '../errors.js';

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $fault?: 'client' | 'server';
  cause?: unknown;
}

const CREDENTIALS_HELP = [
  'Configure credentials: `aws configure`, `aws sso login --profile NAME`, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.',
  'Or try everything locally first: add --sandbox.',
];

/**
 * The AWS error code of an SDK v3 error, or a network error code; undefined for our own errors.
 * The ELBv2 client names modelled errors after their shapes ('TargetGroupNotFoundException' for the
 * wire code 'TargetGroupNotFound'): the wire code is what this returns.
 */
export function awsErrorCode(error: unknown): string | undefined {
  if (isSiteError(error)) return undefined;
  const e = error as AwsLikeError | undefined;
  return (e?.Code ?? e?.name ?? e?.code)?.replace(/Exception$/, '');
}

/** True when `error` is the AWS error with one of these codes. */
export function isAwsError(error: unknown, ...codes: string[]): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && codes.includes(code);
}

/** The IAM action named in an AccessDenied / UnauthorizedOperation message, when AWS names it. */
function actionFrom(message: string): string | undefined {
  return /(?:perform|to perform):?\s*([a-z0-9-]+:[A-Za-z0-9]+)/.exec(message)?.[1];
}

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: string }).code;
    if (
      code &&
      /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH)$/.test(code)
    )
      return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Turn the common AWS SDK failures into one SiteError that says what happened and what to do.
 * Anything else is returned unchanged.
 */
export function translateError(
  error: unknown,
  context: { action?: string; endpoint?: string } = {},
): unknown {
  if (isSiteError(error) || !(error instanceof Error)) return error;
  const e = error as Error & AwsLikeError;
  const code = awsErrorCode(e) ?? '';
  const where = context.action ? ` (${context.action})` : '';

  if (e.name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(code)) {
    return new SiteError({
      code: 'AWS_NO_CREDENTIALS',
      message: `No AWS credentials were found${where}: ${e.message}`,
      suggestions: CREDENTIALS_HELP,
      exitCode: ExitCode.usage,
      cause: e,
    });
  }
  if (
    /^(ExpiredToken|RequestExpired|InvalidClientTokenId|AuthFailure|UnrecognizedClient|SignatureDoesNotMatch)$/.test(
      code,
    ) ||
    e.name === 'TokenProviderError'
  ) {
    return new SiteError({
      code: 'AWS_CREDENTIALS_REJECTED',
      message: `AWS rejected the credentials${where} (${code}): ${e.message}`,
      suggestions: [
        'Refresh them (`aws sso login`, or new keys) and run the command again.',
        ...CREDENTIALS_HELP.slice(1),
      ],
      exitCode: ExitCode.failure,
      cause: e,
    });
  }
  if (/^(AccessDenied|UnauthorizedOperation|Forbidden)$/.test(code)) {
    const action = actionFrom(e.message) ?? context.action;
    return new SiteError({
      code: 'AWS_ACCESS_DENIED',
      message: `AWS denied ${action ? `the action ${action}` : 'an action'}: ${e.message}`,
      suggestions: [
        `Grant ${action ?? 'the action'} to your IAM identity; \`site iam-policy\` prints everything site needs.`,
      ],
      exitCode: ExitCode.failure,
      details: { action },
      cause: e,
    });
  }
  if (/^(Throttling|RequestLimitExceeded|TooManyRequests|RequestThrottled)$/.test(code)) {
    return new SiteError({
      code: 'AWS_THROTTLED',
      message: `AWS kept throttling requests${where} after ${e.$metadata?.attempts ?? 'several'} attempts: ${e.message}`,
      suggestions: ['Wait a minute and run the same command again: it resumes where it stopped.'],
      exitCode: ExitCode.failure,
      cause: e,
    });
  }
  if (
    /LimitExceeded$|^(InstanceLimitExceeded|VcpuLimitExceeded|TooManyLoadBalancers|TooManyTargetGroups)$/.test(
      code,
    )
  ) {
    return new SiteError({
      code: 'AWS_QUOTA_EXCEEDED',
      message: `An AWS quota was reached${where} (${code}): ${e.message}`,
      suggestions: [
        'Free capacity (`site destroy` unused sites) or request a quota increase in the Service Quotas console.',
      ],
      exitCode: ExitCode.failure,
      cause: e,
    });
  }
  const net = networkCode(e);
  if (net || e.name === 'TimeoutError') {
    return new SiteError({
      code: 'AWS_UNREACHABLE',
      message: `Could not reach the AWS endpoint${context.endpoint ? ` ${context.endpoint}` : ''} (${net ?? e.name}): ${e.message}`,
      suggestions: [
        'Check your network connection and the region.',
        'With --endpoint-url or AWS_ENDPOINT_URL: is that endpoint running?',
      ],
      exitCode: ExitCode.failure,
      cause: e,
    });
  }
  return error;
}
