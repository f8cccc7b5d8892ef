// Parses an XML-RPC <methodCall> the way Python's xmlrpc.client.loads does (Odoo's request parser): over
// expat, so a document that is not well-formed XML 1.0 (a control character, a reference to one, a bare
// `&`) is refused whole, with expat's message.

/** Python's xmlrpc.client.DateTime: the ORM does not understand it, so writing one to a field fails. */
export class XmlRpcDateTime {
  constructor(readonly value: string) {}
}

/** Python's xmlrpc.client.Binary (from <base64>). */
export class XmlRpcBinary {
  constructor(readonly data: Buffer) {}
}

export interface MethodCall {
  methodName: string;
  params: unknown[];
}

interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

const TOKEN =
  /<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<(\/?)([A-Za-z_][\w.:-]*)(?:\s[^>]*?)?(\/?)>|([^<]+)/g;

const ENTITY = /&(?:#x([0-9a-fA-F]+);|#(\d+);|(lt|gt|amp|quot|apos);|([A-Za-z_][\w.-]*);)?/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML 1.0 Char: tab, LF, CR and everything from U+0020 except surrogates, U+FFFE and U+FFFF. */
function isXmlChar(cp: number): boolean {
  if (cp < 0x20) return cp === 0x09 || cp === 0x0a || cp === 0x0d;
  return (cp <= 0xd7ff || cp >= 0xe000) && cp !== 0xfffe && cp !== 0xffff && cp <= 0x10ffff;
}

// Anything outside XML 1.0 Char, a lone surrogate included (the u flag reads pairs as one code point).

const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** expat's position suffix: line from 1, column from 0. */
export function position(xml: string, index: number): string {
  const before = xml.slice(0, index);
  const line = before.split('\n').length;
  return `line ${line}, column ${index - (before.lastIndexOf('\n') + 1)}`;
}

function decodeEntities(text: string, xml: string, at: number): string {
  if (!text.includes('&')) return text;
  return text.replace(
    ENTITY,
    (m: string, hex?: string, dec?: string, named?: string, other?: string, offset = 0) => {
      const where = () => position(xml, at + offset);
      if (hex || dec) {
        const cp = hex ? parseInt(hex, 16) : parseInt(dec as string, 10);
        if (!isXmlChar(cp)) throw new Error(`reference to invalid character number: ${where()}`);
        return String.fromCodePoint(cp);
      }
      if (named) return NAMED[named] as string;
      if (other) throw new Error(`undefined entity: ${where()}`);
      throw new Error(`not well-formed (invalid token): ${where()}`);
    },
  );
}

/** Python strips namespace prefixes (<ex:nil/> is <nil/>). */
function localName(tag: string): string {
  const i = tag.lastIndexOf(':');
  return i >= 0 ? tag.slice(i + 1) : tag;
}

function buildTree(xml: string): XmlNode {
  const bad = NOT_XML_CHAR.exec(xml);
  if (bad) throw new Error(`not well-formed (invalid token): ${position(xml, bad.index)}`);
  const root: XmlNode = { name: '#root', children: [], text: '' };
  const stack: XmlNode[] = [root];
  TOKEN.lastIndex = 0;
  let expected = 0;
  for (let m = TOKEN.exec(xml); m; m = TOKEN.exec(xml)) {
    // a `<` that starts no tag, comment or CDATA is skipped by the regex; expat refuses it
    if (m.index !== expected) throw new Error(`not well-formed (invalid token): ${position(xml, expected)}`);
    expected = TOKEN.lastIndex;
    const top = stack[stack.length - 1] as XmlNode;
    if (m[1] !== undefined) top.text += m[1];
    else if (m[5] !== undefined) top.text += decodeEntities(m[5], xml, m.index);
    else if (m[3] !== undefined) {
      const name = localName(m[3]);
      if (m[2] === '/') {
        if (stack.length < 2 || top.name !== name)
          throw new Error(`mismatched tag: ${position(xml, m.index)}`);
        stack.pop();
      } else {
        const node: XmlNode = { name, children: [], text: '' };
        top.children.push(node);
        if (m[4] !== '/') stack.push(node);
      }
    }
  }
  if (expected !== xml.length) throw new Error(`not well-formed (invalid token): ${position(xml, expected)}`);
  if (stack.length !== 1) throw new Error(`no element found: ${position(xml, xml.length)}`);
  return root;
}

const INT_TAGS = new Set(['int', 'i4', 'i8', 'i1', 'i2', 'biginteger']);

function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

function parseValue(value: XmlNode): unknown {
  const typed = value.children[0];
  if (!typed) return value.text; // <value>text</value> is a string
  const text = typed.text;
  if (INT_TAGS.has(typed.name)) return parseIntStrict(text);
  switch (typed.name) {
    case 'string':
      return text;
    case 'double':
    case 'bigdecimal':
      return parseFloat(text);
    case 'boolean':
      if (text.trim() === '1') return true;
      if (text.trim() === '0') return false;
      throw new Error('TypeError: bad boolean value');
    case 'nil':
      return null;
    case 'base64':
      return new XmlRpcBinary(Buffer.from(text, 'base64'));
    case 'dateTime.iso8601':
      return new XmlRpcDateTime(text.trim());
    case 'array':
      return (child(typed, 'data')?.children ?? []).filter((c) => c.name === 'value').map(parseValue);
    case 'struct':
      return parseStruct(typed);
    default:
      throw new Error(`ResponseError: unknown tag ${typed.name}`);
  }
}

function parseIntStrict(text: string): number {
  const trimmed = text.trim();
  if (!/^[-+]?\d+$/.test(trimmed))
    throw new Error(`ValueError: invalid literal for int() with base 10: '${trimmed}'`);
  return Number(trimmed);
}

function parseStruct(struct: XmlNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of struct.children) {
    const name = child(member, 'name');
    const value = child(member, 'value');
    if (name && value) out[name.text] = parseValue(value);
  }
  return out;
}

/** Throws an Error whose message reads like the Python exception Odoo would put in a Fault 1. */
export function parseMethodCall(xml: string): MethodCall {
  const call = child(buildTree(xml), 'methodCall');
  if (!call) throw new Error('ResponseError: not a methodCall');
  const methodName = (child(call, 'methodName')?.text ?? '').trim();
  const params = (child(call, 'params')?.children ?? [])
    .filter((p) => p.name === 'param')
    .map((p) => {
      const value = child(p, 'value');
      return value ? parseValue(value) : '';
    });
  return { methodName, params };
}
