// A small XML-RPC codec for the client side. The `xmlrpc` package parses replies with sax at ~3 MB/s, which
// alone would spend most of the 30 s reconcile budget on 100k orders; this regex tokenizer is ~10x faster.

export interface XmlRpcFaultValue {
  faultCode: number;
  faultString: string;
}

export type XmlRpcReply = { ok: true; value: unknown } | { ok: false; fault: XmlRpcFaultValue };

// Odoo parses requests with expat, which refuses a whole call for one character outside XML 1.0: a control
// character other than tab, LF and CR (an ESC in a pasted name), U+FFFE/U+FFFF, or a lone surrogate (no
// UTF-8 for it). Such characters become U+FFFD, so the rest of the value still arrives.

const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_WORK = /[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]/;

function escapeXml(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return text
    .replace(NOT_XML_CHAR, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function writeValue(out: string[], value: unknown): void {
  if (value === null || value === undefined) out.push('<value><nil/></value>');
  else if (typeof value === 'string') out.push('<value><string>', escapeXml(value), '</string></value>');
  else if (typeof value === 'boolean') out.push(`<value><boolean>${value ? 1 : 0}</boolean></value>`);
  else if (typeof value === 'number') {
    const int = Number.isInteger(value) && Math.abs(value) <= 2147483647;
    out.push(int ? `<value><int>${value}</int></value>` : `<value><double>${value}</double></value>`);
  } else if (Array.isArray(value)) {
    out.push('<value><array><data>');
    for (const item of value) writeValue(out, item);
    out.push('</data></array></value>');
  } else if (typeof value === 'object') {
    out.push('<value><struct>');
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      out.push('<member><name>', escapeXml(k), '</name>');
      writeValue(out, v);
      out.push('</member>');
    }
    out.push('</struct></value>');
  } else out.push('<value><string>', escapeXml(String(value)), '</string></value>');
}

export function encodeCall(method: string, params: unknown[]): string {
  const out = ['<?xml version="1.0"?><methodCall><methodName>', escapeXml(method), '</methodName><params>'];
  for (const p of params) {
    out.push('<param>');
    writeValue(out, p);
    out.push('</param>');
  }
  out.push('</params></methodCall>');
  return out.join('');
}

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#(\d+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (_m, hex: string, dec: string, named: string) =>
    hex
      ? String.fromCodePoint(parseInt(hex, 16))
      : dec
        ? String.fromCodePoint(parseInt(dec, 10))
        : (NAMED[named] ?? ''),
  );
}

/** A recursive-descent reader over the reply text: no DOM, no per-token objects. */
class Reader {
  pos = 0;
  constructor(private readonly xml: string) {}

  /** The next tag's name ("/value" for a closing tag, "nil/" for an empty one), the cursor after it. */
  tag(): string {
    const start = this.nextTag(this.pos);
    const end = this.xml.indexOf('>', start);
    if (end < 0) throw new Error('truncated XML-RPC reply');
    this.pos = end + 1;
    const raw = this.xml.slice(start + 1, end);
    const space = raw.search(/\s/);
    const name = space < 0 ? raw : raw.slice(0, space);
    return raw.endsWith('/') && !name.endsWith('/') ? `${name}/` : name;
  }

  expect(name: string): void {
    const got = this.tag();
    if (got !== name) throw new Error(`malformed XML-RPC reply: expected <${name}>, got <${got}>`);
  }

  /** Where the next element tag starts: comments and processing instructions are skipped, CDATA is text. */
  private nextTag(from: number): number {
    for (let at = this.xml.indexOf('<', from); ; at = this.xml.indexOf('<', at)) {
      if (at < 0) throw new Error('truncated XML-RPC reply');
      const skipped = this.skipNonElement(at);
      if (skipped === at) return at;
      at = skipped;
    }
  }

  /** After the comment or processing instruction at `at` (CDATA too); `at` itself when it is none. */
  private skipNonElement(at: number): number {
    const close = this.xml.startsWith('<!--', at)
      ? '-->'
      : this.xml.startsWith('<![CDATA[', at)
        ? ']]>'
        : this.xml.startsWith('<?', at)
          ? '?>'
          : null;
    if (!close) return at;
    const end = this.xml.indexOf(close, at + 2);
    if (end < 0) throw new Error('truncated XML-RPC reply');
    return end + close.length;
  }

  /** Text up to the tag closing `name`: entities decoded, CDATA kept as is, comments left out. */
  text(name: string): string {
    let out = '';
    for (let from = this.pos; ;) {
      const at = this.xml.indexOf('<', from);
      if (at < 0) throw new Error('truncated XML-RPC reply');
      out += decode(this.xml.slice(from, at));
      if (this.xml.startsWith('<![CDATA[', at)) {
        from = this.skipNonElement(at);
        out += this.xml.slice(at + 9, from - 3);
      } else if (this.xml.startsWith('<!--', at) || this.xml.startsWith('<?', at)) {
        from = this.skipNonElement(at);
      } else {
        this.pos = at;
        this.expect(`/${name}`);
        return out;
      }
    }
  }

  /** The cursor is just after <value>. */
  value(): unknown {
    if (this.xml.startsWith('</value>', this.nextTag(this.pos))) return this.text('value');
    const type = this.tag();
    const result = this.typed(type);
    this.expect('/value');
    return result;
  }

  private typed(type: string): unknown {
    switch (type) {
      case 'string':
        return this.text('string');
      case 'string/':
        return '';
      case 'int':
      case 'i4':
      case 'i8':
        return parseInt(this.text(type), 10);
      case 'double':
        return parseFloat(this.text('double'));
      case 'boolean':
        return this.text('boolean').trim() === '1';
      case 'nil/':
        return null;
      case 'array':
        return this.array();
      case 'struct':
        return this.struct();
      default:
        // base64 / dateTime.iso8601: Odoo sends neither (docs/odoo.md, "Values"); keep the text
        return type.endsWith('/') ? '' : this.text(type);
    }
  }

  private array(): unknown[] {
    const items: unknown[] = [];
    if (this.tag() === 'data/') {
      this.expect('/array');
      return items;
    }
    for (let t = this.tag(); t !== '/data'; t = this.tag()) {
      items.push(t === 'value/' ? '' : this.value());
    }
    this.expect('/array');
    return items;
  }

  private struct(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let t = this.tag(); t !== '/struct'; t = this.tag()) {
      this.expect('name');
      const name = this.text('name');
      this.expect('value');
      const value = this.value();
      // an assignment to "__proto__" would set the record's prototype: a member is always a plain field
      if (name === '__proto__')
        Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
      else out[name] = value;
      this.expect('/member');
    }
    return out;
  }
}

export function decodeReply(xml: string): XmlRpcReply {
  const reader = new Reader(xml);
  reader.expect('methodResponse');
  const body = reader.tag();
  if (body === 'fault') {
    reader.expect('value');
    return { ok: false, fault: reader.value() as XmlRpcFaultValue };
  }
  if (body !== 'params') throw new Error('not an XML-RPC methodResponse');
  reader.expect('param');
  reader.expect('value');
  return { ok: true, value: reader.value() };
}
