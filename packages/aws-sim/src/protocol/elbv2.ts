import { AwsError } from '../errors.js';
import { encodeMembers, escapeXml } from './model.js';
import { elbv2Model } from './models/elbv2.js';
import type { ServiceProtocol } from './protocol.js';
import { queryRequests, xmlAnswer } from './query.js';

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
  encode(action, output, requestId) {
    const op = elbv2Model.operations[action];
    const inner = op?.output ? encodeMembers(elbv2Model, op.output, output) : '';
    const wrapper = op?.resultWrapper ?? `${action}Result`;
    return xmlAnswer(
      200,
      `<${action}Response xmlns="${NS}"><${wrapper}>${inner}</${wrapper}><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
    );
  },
  encodeError(e, requestId) {
    // Sender: the request was at fault (4xx); Receiver: the service was (5xx).
    const type = e.status < 500 ? 'Sender' : 'Receiver';
    return xmlAnswer(
      e.status,
      `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${escapeXml(e.code)}</Code><Message>${escapeXml(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    );
  },
  statusFor: (code) => STATUS[code] ?? 400,
  errors: {
    internal: () => new AwsError('InternalFailure', 'An internal error has occurred', 500),
    throttled: () => new AwsError('Throttling', 'Rate exceeded', 400),
    serverErrors: [
      () =>
        new AwsError(
          'InternalFailure',
          'The request processing has failed because of an unknown error, exception or failure.',
          500,
        ),
      () => new AwsError('ServiceUnavailable', 'The service is unavailable. Please try again later.', 503),
    ],
    expiredCredentials: () =>
      new AwsError('ExpiredToken', 'The security token included in the request is expired', 403),
    invalidCredentials: () =>
      new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
    deniedMessage: (accountId, action) =>
      `User: arn:aws:iam::${accountId}:user/sim is not authorized to perform: elasticloadbalancing:${action}`,
  },
  taggingActionOf: (action, input) =>
    action.startsWith('Create') && ((input.Tags as unknown[] | undefined) ?? []).length > 0
      ? 'AddTags'
      : undefined,
};
