import type { IncomingHttpHeaders } from 'node:http';
import type { AwsError } from '../errors.js';

/** One request to the AWS API as it came over HTTP: every protocol (Query, REST-XML, JSON) starts here. */
export interface ApiRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text (what the Query and XML protocols read). */
  body: string;
  /** The body's bytes, for REST payloads that are not text (an S3 object). Absent: `body`'s UTF-8 bytes. */
  bytes?: Buffer;
}

/** What goes back over HTTP. */
export interface ApiAnswer {
  status: number;
  contentType: string;
  body: string | Buffer;
  /** Headers of the answer besides its content type (REST protocols put output members there). */
  headers?: Record<string, string>;
}

/**
 * The failures a service answers in its own codes and words (EC2's RequestLimitExceeded is ELBv2's
 * Throttling): faults and crashes are made from these, so they read as the service would send them.
 */
export interface ServiceErrors {
  /** A crash of the simulator or a lost answer. */
  internal(): AwsError;
  throttled(): AwsError;
  /** The two 5xx a server error fault picks between, evenly. */
  serverErrors: [() => AwsError, () => AwsError];
  expiredCredentials(): AwsError;
  invalidCredentials(): AwsError;
  /** The message of an IAM denial of `action` (its code comes from the fault options). */
  deniedMessage(accountId: string, action: string): string;
  /** A request for an action the simulator does not have, when the service words it its own way. */
  unknownAction?(action: string): AwsError;
}

/**
 * One AWS service's wire protocol: how to recognise its requests, decode them into SDK-shaped input,
 * encode answers and errors. Knows nothing of what the actions do (the service's handlers).
 */
export interface ServiceProtocol {
  /** The name in the call log and in `deny` keys: 'ec2', 'elbv2'. */
  readonly name: string;
  /** The SigV4 credential scope and IAM action prefix, when it differs from `name` ('elasticloadbalancing'). */
  readonly signingName: string;
  /**
   * How sure this protocol is that the request is its own: 0 not at all, 1 its credential scope,
   * 2 its API version. The server takes the surest; ties go to the action's owner.
   */
  recognise(req: ApiRequest): number;
  /** The action the request names ('' when none). */
  actionOf(req: ApiRequest): string;
  /** The request's input for `action`, shaped as the SDK's input object (member names, typed leaves). */
  decode(req: ApiRequest, action: string): Record<string, unknown>;
  encode(action: string, output: unknown, requestId: string): ApiAnswer;
  encodeError(error: AwsError, requestId: string): ApiAnswer;
  /** The HTTP status AWS answers an error code with, when the handler did not say. */
  statusFor(code: string): number;
  readonly errors: ServiceErrors;
  /**
   * The tagging action IAM authorizes too when this call tags what it creates (ec2:CreateTags for
   * TagSpecifications), if it does: a denial of that action denies the call.
   */
  /** Actions IAM never denies, an explicit Deny included (sts:GetCallerIdentity): `deny` faults pass them. */
  readonly undeniable?: readonly string[];
  taggingActionOf?(action: string, input: Record<string, unknown>): string | undefined;
}

/** The access key id a request was signed with (SigV4 `Credential=AKID/date/region/service/aws4_request`). */
export function accessKeyIdOf(req: ApiRequest): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(req.headers.authorization ?? '')?.[1];
}

/** The service of the request's SigV4 credential scope. */
export function signingScopeOf(req: ApiRequest): string | undefined {
  return /Credential=[^/]*\/[^/]*\/[^/]*\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
}
