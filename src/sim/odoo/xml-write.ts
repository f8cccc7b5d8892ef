// Builds XML-RPC replies as one string (the reconcile benchmark pushes ~100k records through here), with
// Odoo's marshalling rules: no <nil/>, floats tagged by the caller, control characters stripped.

/** A Python float: always marshalled as <double> (4750000.0), even when the value is integral. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export class CannotMarshalNone extends Error {
  constructor() {
    super('TypeError: cannot marshal None unless allow_none is enabled');
  }
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_ESCAPE = /[&<>\x00-\x08\x0b\x0c\x0e-\x1f]/;
// Odoo's marshaller strips C0 control characters except \t \n \r (they are not valid XML 1.0).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f]/g;

export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(CONTROL, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const I4_MIN = -2147483648;
const I4_MAX = 2147483647;

function pyFloatText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return `${n}.0`;
  return String(n);
}

// String concatenation (V8 ropes) beats array push + join here, and makes less garbage.
function valueXml(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `<value><string>${escapeXml(value)}</string></value>`;
    case 'boolean':
      return value ? '<value><boolean>1</boolean></value>' : '<value><boolean>0</boolean></value>';
    case 'number':
      return Number.isInteger(value) && value >= I4_MIN && value <= I4_MAX
        ? `<value><int>${value}</int></value>`
        : `<value><double>${pyFloatText(value)}</double></value>`;
  }
  if (value === null || value === undefined) throw new CannotMarshalNone();
  if (value instanceof PyFloat) return `<value><double>${pyFloatText(value.value)}</double></value>`;
  if (Array.isArray(value)) {
    let out = '<value><array><data>\n';
    for (const item of value) out += valueXml(item);
    return `${out}</data></array></value>\n`;
  }
  if (typeof value === 'object') {
    let out = '<value><struct>\n';
    for (const key in value as Record<string, unknown>) {
      out += `<member>\n<name>${escapeXml(key)}</name>\n${valueXml((value as Record<string, unknown>)[key])}\n</member>\n`;
    }
    return `${out}</struct></value>\n`;
  }
  return `<value><string>${escapeXml(String(value))}</string></value>`;
}

/** Throws CannotMarshalNone when the result holds None, as xmlrpc.client.dumps(allow_none=False) does. */
export function dumpResponse(result: unknown): string {
  return `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n${valueXml(result)}\n</param>\n</params>\n</methodResponse>\n`;
}

export function dumpFault(faultCode: number, faultString: string): string {
  return `<?xml version='1.0'?>\n<methodResponse>\n<fault>\n${valueXml({ faultCode, faultString })}</fault>\n</methodResponse>\n`;
}
