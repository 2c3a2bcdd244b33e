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

/** What the client knew when a call failed: set by the clients (aws/clients.ts), read by translateError. */
export interface AwsCallInfo {
  /** The IAM action of the call, e.g. 'ec2:RunInstances'. */
  action: string;
  /** The endpoint called. */
  endpoint?: string;
  /** The shared-config profile in use, if one was named. */
  profile?: string;
}

const CALL_INFO = Symbol.for('site.awsCall');

/** Remember on an SDK error which call failed (kept off the error's enumerable fields and JSON). */
export function annotateAwsError(error: unknown, info: AwsCallInfo): void {
  if (error && typeof error === 'object' && !Object.hasOwn(error, CALL_INFO))
    Object.defineProperty(error, CALL_INFO, { value: info, enumerable: false });
}

/** The call an SDK error came from, when a site client made it. */
export function awsCallOf(error: unknown): AwsCallInfo | undefined {
  return error && typeof error === 'object'
    ? ((error as Record<symbol, AwsCallInfo | undefined>)[CALL_INFO] ?? undefined)
    : undefined;
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
export function translateError(error: unknown, context: Partial<AwsCallInfo> = {}): unknown {
  if (isSiteError(error) || !(error instanceof Error)) return error;
  const e = error as Error & AwsLikeError;
  const call = { ...awsCallOf(e), ...context };
  const code = awsErrorCode(e) ?? '';
  const where = call.action ? ` (${call.action})` : '';

  if (e.name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(code)) {
    return new SiteError({
      code: 'AWS_NO_CREDENTIALS',
      message: call.profile
        ? `No AWS credentials were found for the profile "${call.profile}"${where}: ${e.message}`
        : `No AWS credentials were found${where}: none in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, no AWS_PROFILE, ` +
          'none in the shared files (~/.aws/credentials, ~/.aws/config), no SSO session or instance role.',
      suggestions: call.profile
        ? [
            `Check the profile name: \`aws configure list-profiles\` lists them; \`aws configure --profile ${call.profile}\` or \`aws sso login --profile ${call.profile}\` sets it up.`,
            'Or drop --profile / AWS_PROFILE / profile in the config to use the default credentials.',
          ]
        : CREDENTIALS_HELP,
      exitCode: ExitCode.usage,
      details: { profile: call.profile },
      cause: e,
    });
  }
  if (/^(ExpiredToken|RequestExpired)$/.test(code)) {
    return new SiteError({
      code: 'AWS_CREDENTIALS_REJECTED',
      message: `AWS refused the credentials${where}: they have expired (${code}: ${e.message}).`,
      suggestions: [
        'Refresh them (`aws sso login`, or new temporary keys with their AWS_SESSION_TOKEN) and run the command again.',
        ...(code === 'RequestExpired'
          ? ["If they are fresh, check this computer's clock: AWS refuses requests more than 15 minutes off."]
          : []),
        ...CREDENTIALS_HELP.slice(1),
      ],
      exitCode: ExitCode.failure,
      details: { reason: 'expired', awsCode: code, action: call.action },
      cause: e,
    });
  }
  if (
    /^(InvalidClientTokenId|AuthFailure|UnrecognizedClient|SignatureDoesNotMatch|IncompleteSignature)$/.test(
      code,
    ) ||
    e.name === 'TokenProviderError'
  ) {
    return new SiteError({
      code: 'AWS_CREDENTIALS_REJECTED',
      message: `AWS refused the credentials${where}: the access key is unknown or its secret does not match (${code || e.name}: ${e.message}).`,
      suggestions: [
        'Check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the keys of your profile; `aws sts get-caller-identity` shows whether they work.',
        ...CREDENTIALS_HELP.slice(1),
      ],
      exitCode: ExitCode.failure,
      details: { reason: 'invalid', awsCode: code, action: call.action },
      cause: e,
    });
  }
  if (/^(AccessDenied|UnauthorizedOperation|Forbidden)$/.test(code)) {
    const action = actionFrom(e.message) ?? call.action;
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
      message: `Could not reach the AWS endpoint${call.endpoint ? ` ${call.endpoint}` : ''}${where} (${net ?? e.name}): ${e.message}`,
      suggestions: [
        'Check your network connection and the region.',
        'With --endpoint-url, AWS_ENDPOINT_URL or endpointUrl in the config: is that endpoint running, and is the URL right?',
      ],
      exitCode: ExitCode.failure,
      details: { endpoint: call.endpoint },
      cause: e,
    });
  }
  return error;
}
