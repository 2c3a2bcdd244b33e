import { AwsError } from '../errors.js';
import { route53Model } from './models/route53.js';
import { type ServiceProtocol, signingScopeOf } from './protocol.js';
import { encodeRestXml, restXmlErrorAnswer, restXmlRequests } from './rest-xml.js';

const NS = `https://route53.amazonaws.com/doc/${route53Model.apiVersion}/`;

/** Codes Route 53 answers with another status than 400 (the model's `error.httpStatusCode`s). */
const STATUS: Record<string, number> = {
  NoSuchHostedZone: 404,
  NoSuchChange: 404,
  HostedZoneAlreadyExists: 409,
  PriorRequestNotComplete: 400,
  AccessDenied: 403,
  InvalidClientTokenId: 403,
  ExpiredToken: 403,
  InternalFailure: 500,
  ServiceUnavailable: 503,
};

/**
 * Route 53's REST-XML protocol (2013-04-01, global: one endpoint, signed for us-east-1): operations by method
 * and URI under `/2013-04-01/`, errors as `<ErrorResponse>`.
 */
export const route53Protocol: ServiceProtocol = {
  name: 'route53',
  signingName: 'route53',
  ...restXmlRequests(route53Model, signingScopeOf, 'route53'),
  encode: (action, output) => encodeRestXml(route53Model, action, output, { namespace: NS }),
  encodeError: (e, requestId) => restXmlErrorAnswer(e, requestId, NS),
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
      `User: arn:aws:iam::${accountId}:user/sim is not authorized to perform: route53:${action}`,
  },
};
