import nock from 'nock';
import { TEST_ENDPOINT } from './context.js';

/**
 * Wire-level fakes of the AWS Query protocols (EC2 and ELBv2) on nock: every form-encoded request is
 * recorded, so a test asserts the exact parameters the SDK sent, and answered with AWS-shaped XML.
 */

export const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';
export const ELBV2_NAMESPACE = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

export type Params = Record<string, string>;

/** One AWS Query call as it went over the wire. */
export interface WireCall {
  action: string;
  params: URLSearchParams;
}

export type Reply = string | [number, string];
export type Handler = (params: URLSearchParams, nth: number) => Reply;

function toSearchParams(body: unknown): URLSearchParams {
  if (typeof body === 'string') return new URLSearchParams(body);
  const entries = Object.entries(body as Record<string, unknown>).map(([k, v]): [string, string] => [
    k,
    String(v),
  ]);
  return new URLSearchParams(entries);
}

/** A fake Query endpoint answering per Action; unknown actions get a 500 naming them. */
export function fakeQueryService(host: string, handlers: Record<string, Handler>) {
  const calls: WireCall[] = [];
  nock(host)
    .persist()
    .post('/')
    .reply(function (_uri, body) {
      const params = toSearchParams(body);
      const action = params.get('Action') ?? '';
      calls.push({ action, params });
      const handler = handlers[action];
      if (!handler) return [500, ec2ErrorBody('Unexpected', `test has no handler for ${action}`)];
      const reply = handler(params, calls.filter((c) => c.action === action).length);
      return typeof reply === 'string' ? [200, reply] : reply;
    });
  return {
    calls,
    actions: () => calls.map((c) => c.action),
    of: (action: string) => calls.filter((c) => c.action === action).map((c) => c.params),
  };
}

/** Every EC2 action intercepted by `interceptEc2` since `setUpNock`, in order. */
export const sentActions: string[] = [];

/**
 * Intercept `times` EC2 calls of one action; answer with the XML body inside its response element, an
 * error, or the XML a function builds from the request's parameters when the request arrives.
 */
export function interceptEc2(
  action: string,
  reply: string | ((params: Params) => string) | { error: string; message?: string; status?: number },
  times = 1,
  endpoint = TEST_ENDPOINT,
): { params: Params }[] {
  const calls: { params: Params }[] = [];
  const base = nock(endpoint);
  if (times === Infinity) base.persist();
  const scope = base.post('/', (body) => {
    const params = Object.fromEntries(toSearchParams(body));
    if (params.Action !== action) return false;
    calls.push({ params });
    sentActions.push(action);
    return true;
  });
  if (times !== Infinity) scope.times(times);
  if (typeof reply === 'string') scope.reply(200, ec2Response(action, reply), { 'content-type': 'text/xml' });
  else if (typeof reply === 'function')
    scope.reply((_uri, body) => [
      200,
      ec2Response(action, reply(Object.fromEntries(toSearchParams(body)))),
      { 'content-type': 'text/xml' },
    ]);
  else
    scope.reply(reply.status ?? 400, ec2ErrorBody(reply.error, reply.message), {
      'content-type': 'text/xml',
    });
  return calls;
}

export function ec2Response(action: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NAMESPACE}"><requestId>req-1</requestId>${inner}</${action}Response>`;
}

function ec2ErrorBody(code: string, message = code): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>req-1</RequestID></Response>`;
}

export function ec2Error(code: string, message = code, status = 400): [number, string] {
  return [status, ec2ErrorBody(code, message)];
}

export function elbError(code: string, message = code, status = 400): [number, string] {
  return [
    status,
    `<ErrorResponse xmlns="${ELBV2_NAMESPACE}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
  ];
}

/** An EC2 `tagSet` element. */
export function tagSet(tags: Record<string, string>): string {
  return `<tagSet>${Object.entries(tags)
    .map(([key, value]) => `<item><key>${key}</key><value>${value}</value></item>`)
    .join('')}</tagSet>`;
}

/** URLSearchParams → plain object, for deepEqual on the whole request. */
export function paramsObject(params: URLSearchParams): Params {
  return Object.fromEntries([...params.entries()]);
}

/** Only the parameters under a prefix ('MetadataOptions.', 'Filter.'), to compare whole groups exactly. */
export function paramsUnder(params: URLSearchParams | Params, prefix: string): Params {
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  return Object.fromEntries(entries.filter(([key]) => key.startsWith(prefix)));
}

/** No real network in a test: loopback (aws-sim) only. */
export function setUpNock(): void {
  sentActions.length = 0;
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
}

/** Clean up after a test. */
export function tearDownNock(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}

/** Clean up, and fail when an intercepted call was never made. */
export function tearDownNockExpectingAllCalls(): void {
  const pending = nock.pendingMocks();
  tearDownNock();
  if (pending.length > 0) throw new Error(`Expected AWS calls were not made: ${pending.join(', ')}`);
}
