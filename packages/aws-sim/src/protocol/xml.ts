import { AwsError } from '../errors.js';

/** One XML element: its local name (prefix dropped), attributes, child elements and text. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e.startsWith('#x')
      ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(Number(e.slice(1)))
        : ENTITIES[e]!,
  );
}

const malformed = () =>
  new AwsError(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
  );

/**
 * Parses a request body's XML (elements, attributes, text, CDATA; declarations, comments and DTDs skipped).
 * Enough for AWS request documents; anything not well-formed is MalformedXML, as AWS answers it.
 */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const tag =
    /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<[?!][^>]*>|<\/\s*([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    const between = xml.slice(last, m.index);
    if (between.includes('<')) throw malformed();
    stack.at(-1)!.text += unescapeXml(between);
    last = tag.lastIndex;
    if (m[1] !== undefined) stack.at(-1)!.text += m[1];
    else if (m[2] !== undefined) {
      const open = stack.pop();
      if (!open || stack.length === 0 || open.name !== localName(m[2])) throw malformed();
    } else if (m[3] !== undefined) {
      const attrs: Record<string, string> = {};
      for (const a of (m[4] ?? '').matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
        attrs[a[1]!] = unescapeXml(a[2] ?? a[3] ?? '');
      const el: XmlElement = { name: localName(m[3]), attrs, children: [], text: '' };
      stack.at(-1)!.children.push(el);
      if (!m[5]) stack.push(el);
    }
  }
  if (xml.slice(last).includes('<') || stack.length !== 1) throw malformed();
  const elements = root.children;
  if (elements.length !== 1 || root.text.trim() !== '') throw malformed();
  return elements[0]!;
}

function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}
