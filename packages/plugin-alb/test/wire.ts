import nock from 'nock';

/** One AWS Query call as it went over the wire. */
export interface WireCall {
  action: string;
  params: URLSearchParams;
}

export type Reply = string | [number, string];
export type Handler = (params: URLSearchParams, nth: number) => Reply;

/**
 * A fake AWS Query endpoint at the HTTP level: records every form-encoded request and answers
 * per Action with AWS-shaped XML, so tests assert the exact parameters the SDK sent.
 */
export function fakeQueryService(host: string, handlers: Record<string, Handler>) {
  const calls: WireCall[] = [];
  nock(host)
    .persist()
    .post('/')
    .reply(function (_uri, body) {
      const params = new URLSearchParams(typeof body === 'string' ? body : JSON.stringify(body));
      const action = params.get('Action') ?? '';
      calls.push({ action, params });
      const handler = handlers[action];
      if (!handler)
        return [
          500,
          `<Response><Errors><Error><Code>Unexpected</Code><Message>test has no handler for ${action}</Message></Error></Errors></Response>`,
        ];
      const nth = calls.filter((c) => c.action === action).length;
      const reply = handler(params, nth);
      return typeof reply === 'string' ? [200, reply] : reply;
    });
  return {
    calls,
    actions: () => calls.map((c) => c.action),
    of: (action: string) => calls.filter((c) => c.action === action).map((c) => c.params),
  };
}

/** URLSearchParams → plain object, for deepEqual on the whole request. */
export function paramsObject(params: URLSearchParams): Record<string, string> {
  return Object.fromEntries([...params.entries()]);
}

/** Only the parameters under a prefix ('MetadataOptions.'). */
export function paramsUnder(params: URLSearchParams, prefix: string): Record<string, string> {
  return Object.fromEntries([...params.entries()].filter(([k]) => k.startsWith(prefix)));
}

export function ec2Error(code: string, message = code, status = 400): [number, string] {
  return [
    status,
    `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>req-1</RequestID></Response>`,
  ];
}

export function elbError(code: string, message = code, status = 400): [number, string] {
  return [
    status,
    `<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
  ];
}

export function setUpNock(): void {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
}

export function tearDownNock(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}
