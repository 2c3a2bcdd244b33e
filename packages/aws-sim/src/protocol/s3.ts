import { createHash } from 'node:crypto';
import { AwsError } from '../errors.js';
import { escapeXml } from './model.js';
import { s3Model } from './models/s3.js';
import { type ApiAnswer, type ApiRequest, type ServiceProtocol, signingScopeOf } from './protocol.js';
import { decodeRestXml, encodeRestXml, restXmlRouter } from './rest-xml.js';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Input key marking a request signed by nobody (a browser, curl): S3 answers it only what is public. */
export const ANONYMOUS = '__anonymous';

/** The service of a presigned URL's credential scope (`X-Amz-Credential=AKID/date/region/s3/aws4_request`). */
function presignedScopeOf(req: ApiRequest): string | undefined {
  return req.url.searchParams.get('X-Amz-Credential')?.split('/')[3];
}

const isSigned = (req: ApiRequest) =>
  req.headers.authorization !== undefined || req.url.searchParams.has('X-Amz-Credential');

/** Codes S3 answers with another status than 400 (the S3 API reference's error code list). */
const STATUS: Record<string, number> = {
  AccessDenied: 403,
  InvalidAccessKeyId: 403,
  SignatureDoesNotMatch: 403,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NoSuchVersion: 404,
  NoSuchTagSet: 404,
  NoSuchBucketPolicy: 404,
  NoSuchLifecycleConfiguration: 404,
  NoSuchPublicAccessBlockConfiguration: 404,
  ServerSideEncryptionConfigurationNotFoundError: 404,
  NotFound: 404,
  MethodNotAllowed: 405,
  BucketAlreadyExists: 409,
  BucketAlreadyOwnedByYou: 409,
  BucketNotEmpty: 409,
  OperationAborted: 409,
  NotModified: 304,
  PreconditionFailed: 412,
  InvalidRange: 416,
  InternalError: 500,
  NotImplemented: 501,
  ServiceUnavailable: 503,
  SlowDown: 503,
};

/** The root element of an answer document whose model shape does not name it (from the S3 API reference). */
const ROOTS: Record<string, string> = {
  ListBuckets: 'ListAllMyBucketsResult',
  ListObjectsV2: 'ListBucketResult',
  ListObjectVersions: 'ListVersionsResult',
  GetBucketTagging: 'Tagging',
  GetBucketVersioning: 'VersioningConfiguration',
  GetBucketLifecycleConfiguration: 'LifecycleConfiguration',
  DeleteObjects: 'DeleteResult',
};

/**
 * The S3 address of a request: path style (`/<bucket>/<key>`) as it came, or virtual-host style
 * (`Host: <bucket>.localhost:PORT` or `<bucket>.s3.localhost…`) turned into the path style.
 */
export function s3Path(req: ApiRequest): string {
  const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
  const vhost = /^(.+?)\.(?:s3\.)?localhost$/.exec(host);
  return vhost && vhost[1] !== 's3' ? `/${vhost[1]}${req.url.pathname}` : req.url.pathname;
}

/**
 * An `aws-chunked` body (`Content-Encoding: aws-chunked`, the SDKs' streaming uploads): its data, and the
 * trailing headers (the checksum the SDK computed while sending).
 */
export function unchunk(bytes: Buffer): { data: Buffer; trailers: Record<string, string> } {
  const parts: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let at = 0;
  const line = () => {
    const end = bytes.indexOf('\r\n', at);
    if (end < 0) throw incomplete();
    const text = bytes.subarray(at, end).toString('latin1');
    at = end + 2;
    return text;
  };
  for (;;) {
    const size = parseInt(line().split(';')[0]!, 16);
    if (!Number.isFinite(size)) throw incomplete();
    if (size === 0) break;
    if (at + size > bytes.length) throw incomplete();
    parts.push(bytes.subarray(at, at + size));
    at += size + 2;
  }
  while (at < bytes.length) {
    const text = line();
    if (!text) break;
    const i = text.indexOf(':');
    if (i > 0) trailers[text.slice(0, i).trim().toLowerCase()] = text.slice(i + 1).trim();
  }
  return { data: Buffer.concat(parts), trailers };
}

const incomplete = () => new AwsError('IncompleteBody', 'The request body terminated unexpectedly', 400);

// S3 asks the request for its address several times (recognise, action, decode): found once.
const seen = new WeakMap<ApiRequest, { req: ApiRequest; action: string; labels: Record<string, string> }>();
const route = restXmlRouter(s3Model);

/** The request as S3 reads it: path-style address, de-chunked body with its trailers as headers. */
function addressed(req: ApiRequest) {
  let found = seen.get(req);
  if (!found) {
    const path = s3Path(req);
    const url = new URL(req.url.href);
    url.pathname = path;
    const at = route(req.method, path, req.url.searchParams, req.headers);
    found = { req: { ...req, url }, action: at?.action ?? '', labels: at?.labels ?? {} };
    seen.set(req, found);
  }
  return found;
}

function readBody(req: ApiRequest): ApiRequest {
  const bytes = req.bytes ?? Buffer.from(req.body, 'utf8');
  const sha = String(req.headers['x-amz-content-sha256'] ?? '');
  const chunked =
    String(req.headers['content-encoding'] ?? '').includes('aws-chunked') || sha.startsWith('STREAMING-');
  if (chunked) {
    const { data, trailers } = unchunk(bytes);
    return { ...req, bytes: data, body: data.toString('utf8'), headers: { ...req.headers, ...trailers } };
  }
  // A signed payload hash that is not the body's: S3 refuses it before anything else.
  if (/^[0-9a-f]{64}$/.test(sha) && createHash('sha256').update(bytes).digest('hex') !== sha)
    throw new AwsError(
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  return req;
}

/**
 * S3's error document: `<Error>` at the root, with the resource it names (`BucketName`, `Key`). (A HEAD
 * answer carries none: the HTTP server sends no body to a HEAD, and the SDK names a 404 `NotFound`.)
 */
function errorAnswer(e: AwsError, requestId: string): ApiAnswer {
  const details = Object.entries(e.details ?? {})
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('');
  return {
    status: e.status,
    contentType: 'application/xml',
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(e.code)}</Code><Message>${escapeXml(e.message)}</Message>${details}<RequestId>${requestId}</RequestId><HostId>${Buffer.from(requestId).toString('base64')}</HostId></Error>`,
    headers: { 'x-amz-request-id': requestId },
  };
}

/**
 * S3 on REST-XML, path style (and `<bucket>.localhost` virtual hosts). A request is S3's when its SigV4
 * credential scope is `s3` (every SDK and CLI request is signed): the Query services' API-version parameter
 * cannot tell an object body from a form, the scope can.
 */
export const s3Protocol: ServiceProtocol = {
  name: 's3',
  signingName: 's3',
  // Signed in the Authorization header, or presigned (`X-Amz-Credential` in the query string).
  // An unsigned GET/HEAD/PUT/DELETE of a path (curl, a browser) is S3's too, as on s3.amazonaws.com: the Query
  // services take signed POSTs or `?Action=`.
  recognise: (req) =>
    signingScopeOf(req) === 's3' || presignedScopeOf(req) === 's3'
      ? 3
      : !isSigned(req) &&
          req.method !== 'POST' &&
          req.url.pathname !== '/' &&
          !req.url.searchParams.has('Action')
        ? 1
        : 0,
  actionOf: (req) => addressed(req).action,
  decode(req, action) {
    const found = addressed(req);
    const input = decodeRestXml(
      s3Model,
      action,
      readBody(found.req),
      found.action === action ? found.labels : {},
    );
    return isSigned(req) ? input : { ...input, [ANONYMOUS]: true };
  },
  encode(action, output, requestId) {
    const answer = encodeRestXml(s3Model, action, output, {
      namespace: NS,
      rootOf: (a) => ROOTS[a] ?? `${a}Result`,
    });
    if (action === 'GetBucketLocation') {
      // A bare `<LocationConstraint>` document; empty for us-east-1 (the API reference).
      const region = (output as { LocationConstraint?: string }).LocationConstraint ?? '';
      answer.body = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${NS}">${escapeXml(region)}</LocationConstraint>`;
    }
    // HeadBucket's model has no output; S3 answers the bucket's region in a header.
    const region = action === 'HeadBucket' ? (output as { BucketRegion?: string }).BucketRegion : undefined;
    answer.headers = {
      ...answer.headers,
      ...(region ? { 'x-amz-bucket-region': region } : {}),
      'x-amz-request-id': requestId,
    };
    return answer;
  },
  encodeError: errorAnswer,
  statusFor: (code) => STATUS[code] ?? 400,
  errors: {
    internal: () => new AwsError('InternalError', 'We encountered an internal error. Please try again.', 500),
    throttled: () => new AwsError('SlowDown', 'Please reduce your request rate.', 503),
    serverErrors: [
      () => new AwsError('InternalError', 'We encountered an internal error. Please try again.', 500),
      () => new AwsError('ServiceUnavailable', 'Please reduce your request rate.', 503),
    ],
    expiredCredentials: () => new AwsError('ExpiredToken', 'The provided token has expired.', 400),
    invalidCredentials: () =>
      new AwsError(
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
        403,
      ),
    deniedMessage: (accountId, action) =>
      `User: arn:aws:iam::${accountId}:user/sim is not authorized to perform: s3:${action}`,
    // An operation S3 has and the simulator does not, said as S3 says what it does not implement.
    unknownAction: (action) =>
      new AwsError(
        'NotImplemented',
        `A header you provided implies functionality that is not implemented (the simulator has no S3 ${action || 'operation at this address'})`,
        501,
      ),
  },
};
