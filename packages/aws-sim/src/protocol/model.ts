// Model-driven (de)serialisation: wire names come from the botocore models, not from our guesses.
export interface MemberRef {
  shape: string;
  locationName?: string;
  queryName?: string;
  flattened?: boolean;
  /** REST protocols: where the member travels ('uri', 'querystring', 'header', 'headers', 'statusCode'); else the body. */
  location?: string;
}
export interface Shape {
  type: string;
  members?: Record<string, MemberRef>;
  member?: MemberRef;
  flattened?: boolean;
  key?: MemberRef;
  value?: MemberRef;
  /** REST protocols: the member that is the whole body. */
  payload?: string;
  /** REST-XML: the root element's name. */
  locationName?: string;
  timestampFormat?: string;
  // The model's constraints (kept for REST models and for services that validate by them).
  required?: string[];
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
}
/** How a REST operation is addressed: `PUT /{Bucket}/{Key+}`, `GET /{Bucket}?location`. */
export interface HttpBinding {
  method: string;
  requestUri: string;
  responseCode?: number;
}
export interface ServiceModel {
  protocol: string;
  apiVersion: string;
  operations: Record<
    string,
    { input?: string; output?: string; resultWrapper?: string; http?: HttpBinding; inputRoot?: string }
  >;
  shapes: Record<string, Shape>;
}

/** A form body parsed into a tree by splitting keys on '.'. Leaves are strings. */
export type ParamTree = { [k: string]: ParamTree | string };

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function inputName(model: ServiceModel, name: string, ref: MemberRef): string {
  if (model.protocol === 'ec2')
    return ref.queryName ?? (ref.locationName ? capitalize(ref.locationName) : name);
  return ref.locationName ?? name;
}

function numbered(tree: ParamTree | string | undefined): (ParamTree | string)[] {
  if (tree === undefined || typeof tree === 'string') return [];
  return Object.keys(tree)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => tree[k]!);
}

/** Turns the wire tree into an SDK-shaped input object (member names, typed leaves). */
export function decodeInput(
  model: ServiceModel,
  shapeName: string,
  tree: ParamTree | string | undefined,
): unknown {
  const shape = model.shapes[shapeName];
  if (tree === undefined) return undefined;
  if (!shape) return tree;
  switch (shape.type) {
    case 'structure': {
      if (typeof tree === 'string') return undefined;
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = decodeInput(model, ref.shape, tree[inputName(model, name, ref)]);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'list': {
      if (typeof tree === 'string') return tree === '' ? [] : undefined;
      const items = model.protocol === 'ec2' || shape.flattened ? numbered(tree) : numbered(tree['member']);
      return items.map((t) => decodeInput(model, shape.member!.shape, t));
    }
    case 'map': {
      if (typeof tree === 'string') return undefined;
      const out: Record<string, unknown> = {};
      for (const e of numbered(tree['entry'])) {
        if (typeof e === 'string') continue;
        const k = e['key'];
        if (typeof k === 'string') out[k] = decodeInput(model, shape.value!.shape, e['value']);
      }
      return out;
    }
    case 'integer':
    case 'long':
    case 'double':
    case 'float':
      return typeof tree === 'string' ? Number(tree) : undefined;
    case 'boolean':
      return typeof tree === 'string' ? tree === 'true' : undefined;
    default:
      return typeof tree === 'string' ? tree : undefined;
  }
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

function leaf(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  return escapeXml(String(v));
}

/** Serialises the members of an SDK-shaped object as XML children, per the model. */
export function encodeMembers(model: ServiceModel, shapeName: string, value: unknown): string {
  const shape = model.shapes[shapeName];
  if (!shape || shape.type !== 'structure' || value === null || typeof value !== 'object') return '';
  const obj = value as Record<string, unknown>;
  let xml = '';
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = obj[name];
    if (v === undefined || v === null || ref.location) continue;
    xml += encodeValue(model, ref.shape, ref.locationName ?? name, v, ref.flattened);
  }
  return xml;
}

export function encodeValue(
  model: ServiceModel,
  shapeName: string,
  tag: string,
  v: unknown,
  flattened?: boolean,
): string {
  const shape = model.shapes[shapeName];
  if (!shape) return `<${tag}>${leaf(v)}</${tag}>`;
  switch (shape.type) {
    case 'structure':
      return `<${tag}>${encodeMembers(model, shapeName, v)}</${tag}>`;
    case 'list': {
      const items = Array.isArray(v) ? v : [];
      const itemTag = shape.member!.locationName ?? 'member';
      if (flattened || shape.flattened)
        return items.map((i) => encodeValue(model, shape.member!.shape, tag, i)).join('');
      return `<${tag}>${items.map((i) => encodeValue(model, shape.member!.shape, itemTag, i)).join('')}</${tag}>`;
    }
    case 'map': {
      const entries = Object.entries((v ?? {}) as Record<string, unknown>);
      return `<${tag}>${entries
        .map(
          ([k, val]) =>
            `<entry>${encodeValue(model, shape.key!.shape, 'key', k)}${encodeValue(model, shape.value!.shape, 'value', val)}</entry>`,
        )
        .join('')}</${tag}>`;
    }
    default:
      return `<${tag}>${leaf(v)}</${tag}>`;
  }
}
