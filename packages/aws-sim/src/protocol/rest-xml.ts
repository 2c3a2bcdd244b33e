import type { AwsError } from '../errors.js';
import {
  encodeMembers,
  encodeValue,
  escapeXml,
  type MemberRef,
  type ServiceModel,
  type Shape,
} from './model.js';
import type { ApiAnswer, ApiRequest, ServiceProtocol } from './protocol.js';
import { parseXml, type XmlElement } from './xml.js';

/**
 * The generic REST-XML protocol (S3, Route 53, CloudFront): an operation is an HTTP method and a URI template
 * (`PUT /{Bucket}/{Key+}`, `GET /{Bucket}?location`), its input members live in the URI, the query string,
 * headers or the XML body, as the botocore model places them. A service's oddities (S3's error document,
 * bodies that are objects) go in its own protocol file, built on these.
 */

/** Key a handler sets on its output to answer another status than the operation's (S3's 206 for a Range). */
export const HTTP_STATUS = '__httpStatus';

interface Route {
  action: string;
  method: string;
  path: RegExp;
  labels: string[];
  /** Query-string literals of the URI (`?location`, `?list-type=2`): name → value ('' for a bare name). */
  literals: [string, string][];
  /**
   * Header and query-string members the input requires (CopyObject's `x-amz-copy-source`, UploadPart's
   * `uploadId` and `partNumber`): they tell apart the operations of one URI.
   */
  requiredHeaders: string[];
  requiredQuery: string[];
}

function routesOf(model: ServiceModel): Route[] {
  const routes: Route[] = [];
  for (const [action, op] of Object.entries(model.operations)) {
    if (!op.http) continue;
    const [pathPart = '/', queryPart = ''] = op.http.requestUri.split('?');
    const labels: string[] = [];
    const pattern = pathPart
      .split(/(\{[^}]+\})/)
      .map((piece) => {
        const label = /^\{([^}+]+)(\+?)\}$/.exec(piece);
        if (!label) return piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        labels.push(label[1]!);
        return label[2] ? '(.+)' : '([^/]+)';
      })
      .join('');
    const literals = [...new URLSearchParams(queryPart)] as [string, string][];
    const input = op.input ? model.shapes[op.input] : undefined;
    const required = (location: string) =>
      Object.entries(input?.members ?? {})
        .filter(([name, ref]) => ref.location === location && input?.required?.includes(name))
        .map(([name, ref]) => ref.locationName ?? name);
    const requiredHeaders = required('header').map((h) => h.toLowerCase());
    const requiredQuery = required('querystring');
    // A trailing slash after the last label is the same address (`PUT /bucket/`).
    routes.push({
      action,
      method: op.http.method,
      path: new RegExp(`^${pattern}/?$`),
      labels,
      literals,
      requiredHeaders,
      requiredQuery,
    });
  }
  return routes;
}

/** The operation a request addresses, and its URI labels (decoded), or undefined. */
export interface Addressed {
  action: string;
  labels: Record<string, string>;
}

/**
 * Finds the operation of a request: the method and path match, every query literal of its URI is there and
 * every header and query member it requires; of several, the one with most literals and required headers (`?location` over
 * the bare bucket; CopyObject over PutObject when `x-amz-copy-source` is sent). An SDK's `x-id` parameter
 * names the operation outright.
 */
export function restXmlRouter(
  model: ServiceModel,
): (
  method: string,
  path: string,
  query: URLSearchParams,
  headers: ApiRequest['headers'],
) => Addressed | undefined {
  const routes = routesOf(model);
  return (method, path, query, headers) => {
    let best: { route: Route; match: RegExpExecArray; score: number } | undefined;
    const named = query.get('x-id');
    for (const route of routes) {
      if (route.method !== method) continue;
      const match = route.path.exec(path);
      if (!match) continue;
      if (!route.literals.every(([k, v]) => query.has(k) && (v === '' || query.get(k) === v))) continue;
      if (!route.requiredHeaders.every((h) => headers[h] !== undefined)) continue;
      if (!route.requiredQuery.every((q) => query.has(q))) continue;
      const score =
        named === route.action
          ? 1000
          : route.literals.length + route.requiredHeaders.length + route.requiredQuery.length;
      if (!best || score > best.score) best = { route, match, score };
    }
    if (!best) return undefined;
    const labels: Record<string, string> = {};
    best.route.labels.forEach((name, i) => (labels[name] = decodeURIComponent(best.match[i + 1]!)));
    return { action: best.route.action, labels };
  };
}

function headerValue(headers: ApiRequest['headers'], name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(',') : v;
}

/** A scalar from its wire text, typed by its shape. */
function scalar(shape: Shape | undefined, text: string, inHeader: boolean): unknown {
  switch (shape?.type) {
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return Number(text);
    case 'boolean':
      return text === 'true';
    case 'timestamp': {
      const n = Number(text);
      return Number.isFinite(n) && /^\d+(\.\d+)?$/.test(text) ? new Date(n * 1000) : new Date(text);
    }
    case 'blob':
      return inHeader ? text : Buffer.from(text, 'base64');
    default:
      return text;
  }
}

/** An XML element's content as the SDK-shaped value of `shapeName`. */
export function decodeXml(model: ServiceModel, shapeName: string, el: XmlElement): unknown {
  const shape = model.shapes[shapeName];
  if (!shape) return el.text;
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (ref.location) continue;
        const value = decodeMember(model, name, ref, el);
        if (value !== undefined) out[name] = value;
      }
      return out;
    }
    case 'list': {
      const itemName = shape.member!.locationName ?? 'member';
      return el.children
        .filter((c) => c.name === itemName)
        .map((c) => decodeXml(model, shape.member!.shape, c));
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const entry of el.children.filter((c) => c.name === 'entry')) {
        const k = entry.children.find((c) => c.name === (shape.key!.locationName ?? 'key'));
        const v = entry.children.find((c) => c.name === (shape.value!.locationName ?? 'value'));
        if (k && v) out[k.text] = decodeXml(model, shape.value!.shape, v);
      }
      return out;
    }
    default:
      return scalar(shape, el.text, false);
  }
}

function decodeMember(model: ServiceModel, name: string, ref: MemberRef, parent: XmlElement): unknown {
  const shape = model.shapes[ref.shape];
  const tag = ref.locationName ?? name;
  if (shape?.type === 'list' && (ref.flattened || shape.flattened)) {
    const itemTag = ref.locationName ?? shape.member?.locationName ?? name;
    const items = parent.children.filter((c) => c.name === itemTag);
    return items.length ? items.map((c) => decodeXml(model, shape.member!.shape, c)) : undefined;
  }
  const child = parent.children.find((c) => c.name === tag);
  return child ? decodeXml(model, ref.shape, child) : undefined;
}

/**
 * The request's input, shaped as the SDK's input object: URI labels, query-string and header members, the
 * prefixed header map (`x-amz-meta-*`), and the body — the payload member whole (bytes or text) or parsed as
 * XML, else the members of the XML document. A body that is not well-formed XML is MalformedXML.
 */
export function decodeRestXml(
  model: ServiceModel,
  action: string,
  req: ApiRequest,
  labels: Record<string, string>,
): Record<string, unknown> {
  const op = model.operations[action];
  const shape = op?.input ? model.shapes[op.input] : undefined;
  if (!shape) return {};
  const out: Record<string, unknown> = {};
  const bytes = req.bytes ?? Buffer.from(req.body, 'utf8');
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const wire = ref.locationName ?? name;
    const memberShape = model.shapes[ref.shape];
    switch (ref.location) {
      case 'uri':
        if (labels[wire] !== undefined) out[name] = labels[wire];
        break;
      case 'querystring': {
        const values = req.url.searchParams.getAll(wire);
        if (!values.length) break;
        out[name] =
          memberShape?.type === 'list'
            ? values.map((v) => scalar(model.shapes[memberShape.member!.shape], v, false))
            : scalar(memberShape, values[0]!, false);
        break;
      }
      case 'header': {
        const v = headerValue(req.headers, wire);
        if (v !== undefined) out[name] = scalar(memberShape, v, true);
        break;
      }
      case 'headers': {
        const prefix = wire.toLowerCase();
        const map: Record<string, string> = {};
        for (const [h, v] of Object.entries(req.headers))
          if (h.startsWith(prefix) && typeof v === 'string') map[h.slice(prefix.length)] = v;
        if (Object.keys(map).length) out[name] = map;
        break;
      }
      default:
        break;
    }
  }
  if (shape.payload) {
    const ref = shape.members![shape.payload]!;
    const payloadShape = model.shapes[ref.shape];
    if (payloadShape?.type === 'blob') out[shape.payload] = bytes;
    else if (payloadShape?.type === 'string') out[shape.payload] = bytes.toString('utf8');
    else if (bytes.length && bytes.toString('utf8').trim())
      out[shape.payload] = decodeXml(model, ref.shape, parseXml(bytes.toString('utf8')));
  } else if (bytes.length && bytes.toString('utf8').trim()) {
    Object.assign(out, decodeXml(model, op!.input!, parseXml(bytes.toString('utf8'))));
  }
  return out;
}

/** A header's wire text: timestamps in RFC 822 (`Wed, 12 Oct 2009 17:50:00 GMT`) unless the model says else. */
function headerText(shape: Shape | undefined, v: unknown): string {
  if (v instanceof Date || shape?.type === 'timestamp') {
    const d = v instanceof Date ? v : new Date(v as string);
    if (shape?.timestampFormat === 'iso8601') return d.toISOString();
    if (shape?.timestampFormat === 'unixTimestamp') return String(d.getTime() / 1000);
    return d.toUTCString();
  }
  return String(v);
}

export interface RestXmlAnswerOptions {
  /** The xmlns of answer documents (S3's `http://s3.amazonaws.com/doc/2006-03-01/`). */
  namespace?: string;
  /** The root element of an action's answer document when the model does not name it. */
  rootOf?: (action: string) => string;
}

/**
 * An operation's answer: header members as headers, a status-code member or the operation's code as the
 * status, and the body — the payload member whole (bytes, text) or as XML, else an XML document of the body
 * members (none: no body).
 */
export function encodeRestXml(
  model: ServiceModel,
  action: string,
  output: unknown,
  opts: RestXmlAnswerOptions = {},
): ApiAnswer {
  const op = model.operations[action];
  const obj = (output ?? {}) as Record<string, unknown>;
  const shape = op?.output ? model.shapes[op.output] : undefined;
  const headers: Record<string, string> = {};
  let status = op?.http?.responseCode ?? 200;
  let body: string | Buffer = '';
  let contentType = 'application/xml';
  const xmlns = opts.namespace ? ` xmlns="${opts.namespace}"` : '';
  for (const [name, ref] of Object.entries(shape?.members ?? {})) {
    const v = obj[name];
    if (v === undefined || v === null) continue;
    const wire = ref.locationName ?? name;
    if (ref.location === 'header') headers[wire.toLowerCase()] = headerText(model.shapes[ref.shape], v);
    else if (ref.location === 'headers')
      for (const [k, mv] of Object.entries(v as Record<string, string>))
        headers[`${wire}${k}`.toLowerCase()] = mv;
    else if (ref.location === 'statusCode') status = Number(v);
  }
  if (shape?.payload) {
    const ref = shape.members![shape.payload]!;
    const v = obj[shape.payload];
    const payloadShape = model.shapes[ref.shape];
    if (v !== undefined && v !== null) {
      if (payloadShape?.type === 'blob' || payloadShape?.type === 'string') {
        body = Buffer.isBuffer(v) ? v : String(v);
        contentType = headers['content-type'] ?? 'application/octet-stream';
      } else {
        const root = ref.locationName ?? payloadShape?.locationName ?? shape.payload;
        body = `<?xml version="1.0" encoding="UTF-8"?>\n${encodeValue(model, ref.shape, root, v).replace(`<${root}>`, `<${root}${xmlns}>`)}`;
      }
    }
  } else if (shape && Object.values(shape.members ?? {}).some((r) => !r.location)) {
    const root = shape.locationName ?? opts.rootOf?.(action) ?? `${action}Response`;
    body = `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${xmlns}>${encodeMembers(model, op!.output!, obj)}</${root}>`;
  }
  if (typeof obj[HTTP_STATUS] === 'number') status = obj[HTTP_STATUS];
  delete headers['content-type'];
  return { status, contentType: contentTypeOf(obj, shape) ?? contentType, body, headers };
}

function contentTypeOf(obj: Record<string, unknown>, shape: Shape | undefined): string | undefined {
  const ref = shape?.members?.ContentType;
  return ref?.location === 'header' && typeof obj.ContentType === 'string' ? obj.ContentType : undefined;
}

/**
 * The REST-XML services' usual error document (Route 53, CloudFront): `<ErrorResponse><Error>` with the
 * fault's type, code and message, and the request id. S3 sends its own (`<Error>` at the root).
 */
export function restXmlErrorAnswer(e: AwsError, requestId: string, namespace?: string): ApiAnswer {
  const type = e.status < 500 ? 'Sender' : 'Receiver';
  const xmlns = namespace ? ` xmlns="${namespace}"` : '';
  return {
    status: e.status,
    contentType: 'text/xml',
    body: `<?xml version="1.0"?>\n<ErrorResponse${xmlns}><Error><Type>${type}</Type><Code>${escapeXml(e.code)}</Code><Message>${escapeXml(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

/**
 * Reading requests the REST-XML way, for a service's protocol object: recognised by the SigV4 credential
 * scope (`signingName`), the action found by method and URI, the input decoded per the model.
 */
export function restXmlRequests(
  model: ServiceModel,
  signingScope: (req: ApiRequest) => string | undefined,
  signingName: string,
): Pick<ServiceProtocol, 'recognise' | 'actionOf' | 'decode'> {
  const route = restXmlRouter(model);
  const addressed = new WeakMap<ApiRequest, Addressed | undefined>();
  const find = (req: ApiRequest) => {
    if (!addressed.has(req))
      addressed.set(req, route(req.method, req.url.pathname, req.url.searchParams, req.headers));
    return addressed.get(req);
  };
  return {
    // The credential scope is what a signed request says about its service; the Query services' API version
    // (2) is a parameter any body may carry, so the scope of a REST service outranks it.
    recognise: (req) => (signingScope(req) === signingName ? 3 : 0),
    actionOf: (req) => find(req)?.action ?? '',
    decode(req, action) {
      const found = find(req);
      return decodeRestXml(model, action, req, found?.action === action ? found.labels : {});
    },
  };
}
