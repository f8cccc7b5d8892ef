// Parses an XML-RPC <methodCall> the way Python's xmlrpc.client.loads does (Odoo's request parser).

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

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#(\d+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (_m, hex: string, dec: string, named: string) => {
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    if (dec) return String.fromCodePoint(parseInt(dec, 10));
    return NAMED[named] ?? '';
  });
}

/** Python strips namespace prefixes (<ex:nil/> is <nil/>). */
function localName(tag: string): string {
  const i = tag.lastIndexOf(':');
  return i >= 0 ? tag.slice(i + 1) : tag;
}

function buildTree(xml: string): XmlNode {
  const root: XmlNode = { name: '#root', children: [], text: '' };
  const stack: XmlNode[] = [root];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(xml); m; m = TOKEN.exec(xml)) {
    const top = stack[stack.length - 1] as XmlNode;
    if (m[1] !== undefined) top.text += m[1];
    else if (m[5] !== undefined) top.text += decodeEntities(m[5]);
    else if (m[3] !== undefined) {
      const name = localName(m[3]);
      if (m[2] === '/') {
        if (stack.length < 2 || top.name !== name)
          throw new Error(`mismatched tag: line 1, column ${m.index}`);
        stack.pop();
      } else {
        const node: XmlNode = { name, children: [], text: '' };
        top.children.push(node);
        if (m[4] !== '/') stack.push(node);
      }
    }
  }
  if (stack.length !== 1) throw new Error('no element found: line 1, column 0');
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
