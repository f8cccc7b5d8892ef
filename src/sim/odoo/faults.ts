// Faults as Odoo 17 raises them on /xmlrpc/2: the int faultCode and the faultString shape per exception family.

/** Thrown anywhere inside the simulator; the server turns it into an XML-RPC Fault. */
export class SimFault extends Error {
  constructor(
    readonly faultCode: 1 | 2 | 3 | 4,
    /** code 1: the last traceback line ("ValueError: …"); codes 2/4: the user message; 3: ignored. */
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** Odoo's traceback frames are noise for clients, but their shape (last line = `Class: message`) is what callers parse. */
const TRACEBACK_HEAD = [
  'Traceback (most recent call last):',
  '  File "/usr/lib/python3/dist-packages/odoo/addons/base/controllers/rpc.py", line 150, in xmlrpc_2',
  '    response = self._xmlrpc(service)',
  '  File "/usr/lib/python3/dist-packages/odoo/addons/base/controllers/rpc.py", line 127, in _xmlrpc',
  '    result = dispatch_rpc(service, method, params)',
  '  File "/usr/lib/python3/dist-packages/odoo/http.py", line 368, in dispatch_rpc',
  '    return dispatch(method, params)',
].join('\n');

export function faultString(fault: SimFault): string {
  if (fault.faultCode === 3) return 'Access Denied';
  if (fault.faultCode === 1) return `${TRACEBACK_HEAD}\n${fault.detail}\n`;
  return fault.detail;
}

export const serverError = (lastLine: string): SimFault => new SimFault(1, lastLine);
export const userError = (message: string): SimFault => new SimFault(2, message);
export const accessError = (message: string): SimFault => new SimFault(4, message);
export const accessDenied = (): SimFault => new SimFault(3, 'Access Denied');

export function missingRecord(model: string, ids: number[], uid: number): SimFault {
  const idsRepr = ids.length === 1 ? `${ids[0]},` : ids.join(', ');
  return userError(
    `Record does not exist or has been deleted.\n(Record: ${model}(${idsRepr}), User: ${uid})`,
  );
}

/** Python repr() of the JSON-ish values a domain or vals dict can hold, for error messages. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const items = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`,
    );
    return `{${items.join(', ')}}`;
  }
  return String(value);
}

/** A domain leaf is printed as a Python tuple in Odoo's messages. */
export function leafRepr(leaf: unknown[]): string {
  return `(${leaf.map(pyRepr).join(', ')})`;
}
