import { AwsError } from '../errors.js';
import type { ServiceModel } from './model.js';
import { type ApiAnswer, type ServiceProtocol, signingScopeOf } from './protocol.js';

const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** Dates become epoch seconds, the JSON protocols' default timestamp format; the rest is JSON as it is. */
function wire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(wire);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined && !k.startsWith('__')) out[k] = wire(v);
    return out;
  }
  return value;
}

function answer(status: number, body: unknown): ApiAnswer {
  return { status, contentType: CONTENT_TYPE, body: JSON.stringify(body) };
}

/**
 * The awsJson1_1 protocol (ACM and the other `X-Amz-Target` services): the action is the target after the
 * model's prefix (`CertificateManager.RequestCertificate`), the input and output are the SDK's shapes as JSON,
 * errors are `{"__type": code, "message": …}`.
 */
export function awsJsonProtocol(
  model: ServiceModel,
  signingName: string,
): Pick<ServiceProtocol, 'recognise' | 'actionOf' | 'decode' | 'encode' | 'encodeError'> {
  const prefix = `${model.targetPrefix}.`;
  const target = (headers: Record<string, unknown>) => String(headers['x-amz-target'] ?? '');
  return {
    recognise(req) {
      if (target(req.headers).startsWith(prefix)) return 2;
      return signingScopeOf(req) === signingName ? 1 : 0;
    },
    actionOf(req) {
      const t = target(req.headers);
      return t.startsWith(prefix) ? t.slice(prefix.length) : '';
    },
    decode(req) {
      try {
        const parsed: unknown = JSON.parse(req.body || '{}');
        return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
          ? (parsed as Record<string, unknown>)
          : {};
      } catch {
        return {};
      }
    },
    encode: (_action, output) => answer(200, wire(output ?? {})),
    encodeError: (e: AwsError) => answer(e.status, { __type: e.code, message: e.message }),
  };
}
