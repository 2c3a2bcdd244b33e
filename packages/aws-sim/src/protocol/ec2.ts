import { AwsError } from '../errors.js';
import { encodeMembers, escapeXml } from './model.js';
import { ec2Model } from './models/ec2.js';
import type { ServiceProtocol } from './protocol.js';
import { queryRequests, xmlAnswer } from './query.js';

const NS = `http://ec2.amazonaws.com/doc/${ec2Model.apiVersion}/`;

/** Codes EC2 answers with another status than 400. */
const STATUS: Record<string, number> = {
  DryRunOperation: 412,
  UnauthorizedOperation: 403,
  AuthFailure: 401,
  RequestLimitExceeded: 503,
  InternalError: 500,
  Unavailable: 503,
};

const xml = (status: number, body: string) =>
  xmlAnswer(status, `<?xml version="1.0" encoding="UTF-8"?>\n${body}`);

/** The EC2 query protocol: `<ActionResponse>` with the output's members, errors as `<Response><Errors>`. */
export const ec2Protocol: ServiceProtocol = {
  name: 'ec2',
  signingName: 'ec2',
  ...queryRequests(ec2Model, 'ec2'),
  encode(action, output, requestId) {
    const op = ec2Model.operations[action];
    const body = op?.output ? encodeMembers(ec2Model, op.output, output) : '<return>true</return>';
    return xml(
      200,
      `<${action}Response xmlns="${NS}"><requestId>${requestId}</requestId>${body}</${action}Response>`,
    );
  },
  encodeError(e, requestId) {
    return xml(
      e.status,
      `<Response><Errors><Error><Code>${escapeXml(e.code)}</Code><Message>${escapeXml(e.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
    );
  },
  statusFor: (code) => STATUS[code] ?? 400,
  errors: {
    internal: () => new AwsError('InternalError', 'An internal error has occurred', 500),
    throttled: () => new AwsError('RequestLimitExceeded', 'Request limit exceeded.', 503),
    serverErrors: [
      () => new AwsError('InternalError', 'An internal error has occurred', 500),
      () => new AwsError('Unavailable', 'The service is unavailable. Please try again shortly.', 503),
    ],
    expiredCredentials: () => new AwsError('RequestExpired', 'Request has expired.', 400),
    invalidCredentials: () =>
      new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401),
    deniedMessage: () => 'You are not authorized to perform this operation.',
  },
  taggingActionOf: (_action, input) =>
    ((input.TagSpecifications as { Tags?: unknown[] }[] | undefined) ?? []).some((s) => s.Tags?.length)
      ? 'CreateTags'
      : undefined,
};
