import { AwsError } from '../errors.js';
import { stsModel } from './models/sts.js';
import type { ServiceProtocol } from './protocol.js';
import { awsQueryAnswers, awsQueryCommonErrors, queryRequests } from './query.js';

// The model's xmlNamespace (https, unlike EC2's and ELBv2's).
const NS = `https://sts.amazonaws.com/doc/${stsModel.apiVersion}/`;

/** Codes STS answers with another status than 400. */
const STATUS: Record<string, number> = {
  AccessDenied: 403,
  ExpiredToken: 403,
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  InternalFailure: 500,
  ServiceUnavailable: 503,
};

/** The awsQuery protocol of STS: `<ActionResponse><ActionResult>`, errors as `<ErrorResponse>` with a type. */
export const stsProtocol: ServiceProtocol = {
  name: 'sts',
  signingName: 'sts',
  ...queryRequests(stsModel, 'sts'),
  ...awsQueryAnswers(stsModel, NS),
  statusFor: (code) => STATUS[code] ?? 400,
  errors: {
    internal: () => new AwsError('InternalFailure', 'An internal error has occurred', 500),
    ...awsQueryCommonErrors,
    serverErrors: [
      () => new AwsError('InternalFailure', 'An internal error has occurred', 500),
      () => new AwsError('ServiceUnavailable', 'The service is unavailable. Please try again later.', 503),
    ],
    deniedMessage: (accountId, action) =>
      `User: arn:aws:iam::${accountId}:user/sim is not authorized to perform: sts:${action}`,
  },
  // GetCallerIdentity needs no permission and an explicit Deny does not stop it (the STS API reference).
  undeniable: ['GetCallerIdentity'],
};
