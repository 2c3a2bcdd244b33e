import {
  createAwsClients,
  createResourceContext,
  siteConfigSchema,
  type Resource,
  type SiteConfig,
} from '../src/index.js';

export const testConfig = (): SiteConfig => siteConfigSchema.parse({ name: 'test-site' }) as SiteConfig;

export const noAws = createAwsClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });

export function contextFactory(outputs: Map<string, unknown>, signal?: AbortSignal) {
  return (_id: string) => createResourceContext({ config: testConfig(), aws: noAws, outputs, signal });
}

export interface Trace {
  events: string[];
  active: number;
  maxActive: number;
}

/** An in-memory resource that records when it starts and ends. */
export function fakeResource(
  id: string,
  dependsOn: string[],
  trace: Trace,
  options: { exists?: boolean; fail?: string; delayMs?: number; waitForAbort?: boolean } = {},
): Resource<{ id: string }> {
  let exists = options.exists ?? false;
  const work = async (verb: string, signal: AbortSignal) => {
    trace.events.push(`${verb}:start:${id}`);
    trace.active++;
    trace.maxActive = Math.max(trace.maxActive, trace.active);
    try {
      if (options.waitForAbort) {
        await new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 20));
      if (options.fail) throw new Error(options.fail);
    } finally {
      trace.active--;
      trace.events.push(`${verb}:end:${id}`);
    }
  };
  return {
    id,
    title: id,
    dependsOn,
    iam: [],
    discover: async () => (exists ? { id } : undefined),
    create: async (ctx) => {
      await work('create', ctx.signal);
      exists = true;
      return { id };
    },
    destroy: async (ctx) => {
      await work('destroy', ctx.signal);
      exists = false;
    },
  };
}

export const newTrace = (): Trace => ({ events: [], active: 0, maxActive: 0 });
