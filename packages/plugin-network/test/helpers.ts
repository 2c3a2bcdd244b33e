import nock from 'nock';
import {
  createAwsClients,
  createResourceContext,
  siteConfigSchema,
  type ResourceContext,
} from '@site-cli/core';

export const ENDPOINT = 'http://ec2.test';
export const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export type Params = Record<string, string>;

/** Every intercepted EC2 action of the current test, in order. */
export const sent: string[] = [];

function toParams(body: unknown): Params {
  if (typeof body === 'string') return Object.fromEntries(new URLSearchParams(body));
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

/** A recorded request: the exact form parameters the SDK sent. */
export interface Call {
  params: Params;
}

/** Intercept one EC2 Query call of `action`; the reply is the XML body (or an error). */
export function ec2(
  action: string,
  reply: string | { error: string; message?: string; status?: number },
  times = 1,
): Call[] {
  const calls: Call[] = [];
  const base = nock(ENDPOINT);
  if (times === Infinity) base.persist();
  const scope = base.post('/', (body) => {
    const params = toParams(body);
    if (params.Action !== action) return false;
    calls.push({ params });
    sent.push(action);
    return true;
  });
  if (times !== Infinity) scope.times(times);
  if (typeof reply === 'string') {
    scope.reply(
      200,
      `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NS}"><requestId>req-1</requestId>${reply}</${action}Response>`,
      {
        'content-type': 'text/xml',
      },
    );
  } else {
    scope.reply(
      reply.status ?? 400,
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${reply.error}</Code><Message>${reply.message ?? reply.error}</Message></Error></Errors><RequestID>req-1</RequestID></Response>`,
      { 'content-type': 'text/xml' },
    );
  }
  return calls;
}

/** Params whose names start with `prefix` (e.g. 'Filter.'), to compare whole groups exactly. */
export function pick(params: Params, prefix: string): Params {
  return Object.fromEntries(Object.entries(params).filter(([key]) => key.startsWith(prefix)));
}

export interface TestLog {
  infos: string[];
  warnings: string[];
}

export function makeContext(
  config: Record<string, unknown>,
  options: { configDir?: string; outputs?: Map<string, unknown>; timeScale?: number } = {},
): { ctx: ResourceContext; log: TestLog } {
  const log: TestLog = { infos: [], warnings: [] };
  const ctx = createResourceContext({
    config: siteConfigSchema.parse(config),
    aws: createAwsClients({
      region: 'us-east-1',
      endpoint: ENDPOINT,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    }),
    log: {
      info: (message) => log.infos.push(message),
      warn: (message) => log.warnings.push(message),
      debug: () => {},
    },
    configDir: options.configDir,
    outputs: options.outputs,
    timeScale: options.timeScale ?? 0.001,
  });
  return { ctx, log };
}

export function tagSet(tags: Record<string, string>): string {
  return `<tagSet>${Object.entries(tags)
    .map(([key, value]) => `<item><key>${key}</key><value>${value}</value></item>`)
    .join('')}</tagSet>`;
}

export function setupNock(): void {
  sent.length = 0;
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
}

export function teardownNock(): void {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  if (pending.length > 0) throw new Error(`Expected AWS calls were not made: ${pending.join(', ')}`);
}
