import { AwsError } from '../errors.js';
import { decodeInput, encodeMembers, escapeXml, type ParamTree, type ServiceModel } from './model.js';
import { type ApiAnswer, type ApiRequest, type ServiceProtocol, signingScopeOf } from './protocol.js';

/** Parses an x-www-form-urlencoded body into flat pairs and a tree split on '.' (`Filter.1.Value.1`). */
export function parseQuery(body: string): { flat: Record<string, string>; tree: ParamTree } {
  const flat: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) flat[k] = v;
  const tree: ParamTree = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node: ParamTree = tree;
    for (let i = 0; i < parts.length - 1; i++) {
      const p = parts[i]!;
      const next = node[p];
      if (next === undefined || typeof next === 'string') node[p] = {};
      node = node[p] as ParamTree;
    }
    const last = parts[parts.length - 1]!;
    if (typeof node[last] !== 'object') node[last] = value;
  }
  return { flat, tree };
}

// Each Query service asks a request for its parameters (to recognise, then decode it): parsed once.
const parsed = new WeakMap<ApiRequest, ReturnType<typeof parseQuery>>();

/** The request's Query parameters, from the URL's query string and the form body together. */
export function queryParams(req: ApiRequest): ReturnType<typeof parseQuery> {
  let params = parsed.get(req);
  if (!params) {
    params = parseQuery([req.url.search.slice(1), req.body].filter(Boolean).join('&'));
    parsed.set(req, params);
  }
  return params;
}

/**
 * Reading requests the Query way (EC2's and awsQuery alike; the model says which): the action and the
 * API version are parameters, the input is the rest of them.
 */
export function queryRequests(
  model: ServiceModel,
  signingName: string,
): Pick<ServiceProtocol, 'recognise' | 'actionOf' | 'decode'> {
  return {
    recognise(req) {
      if (queryParams(req).flat.Version === model.apiVersion) return 2;
      return signingScopeOf(req) === signingName ? 1 : 0;
    },
    actionOf: (req) => queryParams(req).flat.Action ?? '',
    decode(req, action) {
      const op = model.operations[action];
      const input = op?.input ? decodeInput(model, op.input, queryParams(req).tree) : undefined;
      return (input as Record<string, unknown> | undefined) ?? {};
    },
  };
}

/** An XML answer, as both Query flavours send them. */
export function xmlAnswer(status: number, body: string): ApiAnswer {
  return { status, contentType: 'text/xml;charset=UTF-8', body };
}

/**
 * How every awsQuery service (ELBv2, STS; later IAM, Auto Scaling) answers: `<ActionResponse><ActionResult>` with the
 * model's members, and errors as `<ErrorResponse>` whose `Type` says whose fault it was. EC2's variant differs
 * (no result wrapper, `<Response><Errors>`): it has its own.
 */
export function awsQueryAnswers(
  model: ServiceModel,
  namespace: string,
): Pick<ServiceProtocol, 'encode' | 'encodeError'> {
  return {
    encode(action, output, requestId) {
      const op = model.operations[action];
      const inner = op?.output ? encodeMembers(model, op.output, output) : '';
      const wrapper = op?.resultWrapper ?? `${action}Result`;
      return xmlAnswer(
        200,
        `<${action}Response xmlns="${namespace}"><${wrapper}>${inner}</${wrapper}><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
      );
    },
    encodeError(e, requestId) {
      // Sender: the request was at fault (4xx); Receiver: the service was (5xx).
      const type = e.status < 500 ? 'Sender' : 'Receiver';
      return xmlAnswer(
        e.status,
        `<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type><Code>${escapeXml(e.code)}</Code><Message>${escapeXml(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    },
  };
}

/** The errors every awsQuery service (ELBv2, STS, …) answers alike: throttling and rejected credentials. */
export const awsQueryCommonErrors = {
  throttled: () => new AwsError('Throttling', 'Rate exceeded', 400),
  expiredCredentials: () =>
    new AwsError('ExpiredToken', 'The security token included in the request is expired', 403),
  invalidCredentials: () =>
    new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
};
