import { AwsError } from '../errors.js';
import { elbv2Model } from './models/elbv2.js';
import type { ServiceProtocol } from './protocol.js';
import { awsQueryAnswers, awsQueryCommonErrors, queryRequests } from './query.js';

const NS = `http://elasticloadbalancing.amazonaws.com/doc/${elbv2Model.apiVersion}/`;

/** Codes ELBv2 answers with another status than 400. */
const STATUS: Record<string, number> = {
  AccessDenied: 403,
  InternalFailure: 500,
  ServiceUnavailable: 503,
};

/** The awsQuery protocol of ELBv2: `<ActionResponse><ActionResult>`, errors as `<ErrorResponse>` with a type. */
export const elbv2Protocol: ServiceProtocol = {
  name: 'elbv2',
  signingName: 'elasticloadbalancing',
  ...queryRequests(elbv2Model, 'elasticloadbalancing'),
  ...awsQueryAnswers(elbv2Model, NS),
  statusFor: (code) => STATUS[code] ?? 400,
  errors: {
    internal: () => new AwsError('InternalFailure', 'An internal error has occurred', 500),
    ...awsQueryCommonErrors,
    serverErrors: [
      () =>
        new AwsError(
          'InternalFailure',
          'The request processing has failed because of an unknown error, exception or failure.',
          500,
        ),
      () => new AwsError('ServiceUnavailable', 'The service is unavailable. Please try again later.', 503),
    ],
    deniedMessage: (accountId, action) =>
      `User: arn:aws:iam::${accountId}:user/sim is not authorized to perform: elasticloadbalancing:${action}`,
  },
  taggingActionOf: (action, input) =>
    action.startsWith('Create') && ((input.Tags as unknown[] | undefined) ?? []).length > 0
      ? 'AddTags'
      : undefined,
};
