// Every Odoo call as the service asked for it, counted and timed: one observation per call (the
// transport's own resends of a refused call are inside it), labelled by method and by what came back.
// Both label sets are bounded: an unknown method counts as "other".
import { OdooFault } from './faults';
import { ConnectionFailure } from './call-failure';
import type { OdooTransport } from './transport';

const METHODS = new Set([
  'search',
  'search_read',
  'read',
  'search_count',
  'fields_get',
  'name_search',
  'write',
  'create',
  'unlink',
  'message_post',
  'version',
]);

/** ok; fault: Odoo answered with a Fault; overloaded: 429/503/pool full; unreachable; timeout; error: anything else. */
export type OdooCallOutcome = 'ok' | 'fault' | 'overloaded' | 'unreachable' | 'timeout' | 'error';

export interface OdooCallObservation {
  method: string;
  outcome: OdooCallOutcome;
  seconds: number;
}

export function odooCallOutcome(err: unknown): OdooCallOutcome {
  if (err instanceof OdooFault) return 'fault';
  if (err instanceof ConnectionFailure) {
    const f = err.failure;
    if (f.kind === 'timeout') return 'timeout';
    if (f.kind === 'http') return f.poolFull || f.status === 429 || f.status === 503 ? 'overloaded' : 'error';
    return 'unreachable';
  }
  return 'error';
}

export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : 'other';
}

export function observeOdooCalls(
  transport: OdooTransport,
  observe: (o: OdooCallObservation) => void,
): OdooTransport {
  const timed = async <T>(method: string, call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const done = (outcome: OdooCallOutcome) =>
      observe({ method: methodLabel(method), outcome, seconds: (performance.now() - started) / 1000 });
    try {
      const result = await call();
      done('ok');
      return result;
    } catch (err) {
      done(odooCallOutcome(err));
      throw err;
    }
  };
  return {
    executeKw<T = unknown>(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>) {
      return timed(method, () => transport.executeKw<T>(model, method, args, kwargs));
    },
    version: () => timed('version', () => transport.version()),
    ...(transport.close ? { close: () => transport.close?.() } : {}),
  };
}
