import { AwsError } from '../errors.js';
import { encodeMembers, escapeXml } from './model.js';
import { stsModel } from './models/sts.js';
import type { ServiceProtocol } from './protocol.js';
import { queryRequests, xmlAnswer } from './query.js';

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
  encode(action, output, requestId) {
    const op = stsModel.operations[action];
    const inner = op?.output ? encodeMembers(stsModel, op.output, output) : '';
    const wrapper = op?.resultWrapper ?? `${action}Result`;
    return xmlAnswer(
      200,
      `<${action}Response xmlns="${NS}"><${wrapper}>${inner}</${wrapper}><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
    );
  },
  encodeError(e, requestId) {
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
      () => new AwsError('InternalFailure', 'An internal error has occurred', 500),
      () => new AwsError('ServiceUnavailable', 'The service is unavailable. Please try again later.', 503),
    ],
    expiredCredentials: () =>
      new AwsError('ExpiredToken', 'The security token included in the request is expired', 403),
    invalidCredentials: () =>
      new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
    deniedMessage: (accountId, action) =>
      `User: arn:aws:iam::${accountId}:user/sim is not authorized to perform: sts:${action}`,
  },
  // GetCallerIdentity needs no permission and an explicit Deny does not stop it (the STS API reference).
  undeniable: ['GetCallerIdentity'],
};
