import { AwsError } from '../errors.js';
import { autoscalingModel } from './models/autoscaling.js';
import type { ServiceProtocol } from './protocol.js';
import { awsQueryAnswers, awsQueryCommonErrors, queryRequests } from './query.js';

// The model's xmlNamespace.
const NS = `http://autoscaling.amazonaws.com/doc/${autoscalingModel.apiVersion}/`;

/** Codes Auto Scaling answers with another status than 400 (the model's `error.httpStatusCode`). */
const STATUS: Record<string, number> = {
  AccessDenied: 403,
  ResourceContention: 500,
  ServiceLinkedRoleFailure: 500,
  InternalFailure: 500,
  ServiceUnavailable: 503,
};

/** The awsQuery protocol of EC2 Auto Scaling (2011-01-01). */
export const autoscalingProtocol: ServiceProtocol = {
  name: 'autoscaling',
  signingName: 'autoscaling',
  ...queryRequests(autoscalingModel, 'autoscaling'),
  ...awsQueryAnswers(autoscalingModel, NS),
  statusFor: (code) => STATUS[code] ?? 400,
  errors: {
    internal: () => new AwsError('InternalFailure', 'An internal error has occurred', 500),
    ...awsQueryCommonErrors,
    serverErrors: [
      () => new AwsError('InternalFailure', 'An internal error has occurred', 500),
      () => new AwsError('ServiceUnavailable', 'The service is unavailable. Please try again later.', 503),
    ],
    deniedMessage: (accountId, action) =>
      `User: arn:aws:iam::${accountId}:user/sim is not authorized to perform: autoscaling:${action}`,
  },
  // Tags given at creation are authorized as autoscaling:CreateOrUpdateTags too.
  taggingActionOf: (action, input) =>
    action === 'CreateAutoScalingGroup' && ((input.Tags as unknown[] | undefined) ?? []).length > 0
      ? 'CreateOrUpdateTags'
      : undefined,
};
