import { AwsError } from '../errors.js';
import { iamModel } from './models/iam.js';
import type { ServiceProtocol } from './protocol.js';
import { awsQueryAnswers, awsQueryCommonErrors, queryRequests } from './query.js';

const NS = `https://iam.amazonaws.com/doc/${iamModel.apiVersion}/`;

/** Codes IAM answers with another status than 400 (the botocore model's error shapes). */
const STATUS: Record<string, number> = {
  AccessDenied: 403,
  NoSuchEntity: 404,
  EntityAlreadyExists: 409,
  DeleteConflict: 409,
  LimitExceeded: 409,
  ConcurrentModification: 409,
  ServiceFailure: 500,
  ServiceUnavailable: 503,
};

/** The awsQuery protocol of IAM, a global service (one endpoint, every region's requests signed `us-east-1`). */
export const iamProtocol: ServiceProtocol = {
  name: 'iam',
  signingName: 'iam',
  ...queryRequests(iamModel, 'iam'),
  ...awsQueryAnswers(iamModel, NS),
  statusFor: (code) => STATUS[code] ?? 400,
  errors: {
    internal: () =>
      new AwsError(
        'ServiceFailure',
        'The request processing has failed because of an unknown error, exception or failure.',
        500,
      ),
    ...awsQueryCommonErrors,
    serverErrors: [
      () =>
        new AwsError(
          'ServiceFailure',
          'The request processing has failed because of an unknown error, exception or failure.',
          500,
        ),
      () => new AwsError('ServiceUnavailable', 'The service is unavailable. Please try again later.', 503),
    ],
    deniedMessage: (accountId, action) =>
      `User: arn:aws:iam::${accountId}:user/sim is not authorized to perform: iam:${action}`,
  },
  taggingActionOf: (action, input) =>
    action.startsWith('Create') && ((input.Tags as unknown[] | undefined) ?? []).length > 0
      ? action === 'CreateRole'
        ? 'TagRole'
        : 'TagInstanceProfile'
      : undefined,
};
