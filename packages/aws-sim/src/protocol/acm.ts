import { AwsError } from '../errors.js';
import { awsJsonProtocol } from './json.js';
import { acmModel } from './models/acm.js';
import type { ServiceProtocol } from './protocol.js';

/** Codes ACM answers with another status than 400. */
const STATUS: Record<string, number> = {
  AccessDeniedException: 403,
  ExpiredTokenException: 403,
  UnrecognizedClientException: 403,
  InternalFailure: 500,
  ServiceUnavailable: 503,
};

/** ACM's awsJson1_1 protocol (`X-Amz-Target: CertificateManager.<Action>`). */
export const acmProtocol: ServiceProtocol = {
  name: 'acm',
  signingName: 'acm',
  ...awsJsonProtocol(acmModel, 'acm'),
  statusFor: (code) => STATUS[code] ?? 400,
  errors: {
    internal: () => new AwsError('InternalFailure', 'An internal error has occurred', 500),
    throttled: () => new AwsError('ThrottlingException', 'Rate exceeded', 400),
    serverErrors: [
      () => new AwsError('InternalFailure', 'An internal error has occurred', 500),
      () => new AwsError('ServiceUnavailable', 'Service is unavailable', 503),
    ],
    expiredCredentials: () =>
      new AwsError('ExpiredTokenException', 'The security token included in the request is expired', 403),
    invalidCredentials: () =>
      new AwsError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        403,
      ),
    deniedMessage: (accountId, action) =>
      `User: arn:aws:iam::${accountId}:user/sim is not authorized to perform: acm:${action}`,
  },
  taggingActionOf: (action, input) =>
    action === 'RequestCertificate' && ((input.Tags as unknown[] | undefined) ?? []).length > 0
      ? 'AddTagsToCertificate'
      : undefined,
};
