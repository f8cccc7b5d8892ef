// Faults as Odoo 17 raises them on /xmlrpc/2: the int faultCode and the faultString shape per exception family,
// and the outages a test injects (CallFaults).
import { seededRandom } from '../../lib';

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

/** What an outage injected into one call does: fail it unrun with HTTP 503, and/or answer it late. */
export interface InjectedFault {
  fail: boolean;
  delayMs: number;
}

/**
 * Outages injected into the execute_kw calls on some models (all of them unless scoped): the next calls
 * fail, a share of calls fails, every call answers late. A failed call is turned away before it runs, as
 * a proxy in front of a restarting Odoo does (HTTP 503), so nothing of it is committed.
 */
export class CallFaults {
  private models: ReadonlySet<string> | null = null;
  private pending = 0;
  private rate = 0;
  private latencyMs = 0;
  private random: () => number;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  /** the models whose calls the faults hit; null: every call */
  scope(models: readonly string[] | null): void {
    this.models = models === null ? null : new Set(models);
  }

  failNext(times = 1): void {
    this.pending += times;
  }

  /** the share of calls (0..1) that fail from now on, drawn from a PRNG seeded with `seed` */
  setFailRate(rate: number, seed?: number): void {
    this.rate = rate;
    if (seed !== undefined) this.random = seededRandom(seed);
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** What happens to one execute_kw call on `model` (undefined: a `common` call, never hit). */
  decide(model: string | undefined): InjectedFault {
    if (model === undefined || (this.models !== null && !this.models.has(model)))
      return { fail: false, delayMs: 0 };
    let fail = false;
    if (this.pending > 0) {
      this.pending -= 1;
      fail = true;
    } else if (this.rate > 0) fail = this.random() < this.rate;
    return { fail, delayMs: this.latencyMs };
  }
}

/** The page a proxy answers while the Odoo behind it restarts. */
export const UNAVAILABLE_PAGE =
  '<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>503 Service Temporarily Unavailable</h1></body></html>';
