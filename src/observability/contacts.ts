// Remembers the last successful and failed contact with each outside system, for /readyz: Odoo or
// the LMS being down does not make this service unready (webhooks are still stored), but it shows.
import { TransientError, errorMessage } from '../lib';

export interface ContactState {
  lastOkAt: Date | null;
  lastErrorAt: Date | null;
  lastError: string | null;
}

export function createContactTracker() {
  const states = new Map<string, ContactState>();
  const get = (name: string): ContactState => {
    let s = states.get(name);
    if (!s) states.set(name, (s = { lastOkAt: null, lastErrorAt: null, lastError: null }));
    return s;
  };
  const ok = (name: string): void => {
    get(name).lastOkAt = new Date();
  };
  const failed = (name: string, err: unknown): void => {
    const s = get(name);
    s.lastErrorAt = new Date();
    s.lastError = errorMessage(err).slice(0, 300);
  };
  return {
    ok,
    failed,
    snapshot(): Record<string, ContactState> {
      return Object.fromEntries(states);
    },
    /** Wraps every async method of `target` so each call records a contact. */
    track<T extends object>(name: string, target: T): T {
      get(name);
      return new Proxy(target, {
        get: (obj, prop, receiver) => {
          const value = Reflect.get(obj, prop, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            const result = value.apply(obj, args);
            if (result && typeof (result as Promise<unknown>).then === 'function') {
              // A business refusal (a 4xx, a Fault 2) is still a contact; only transport trouble is not.
              (result as Promise<unknown>).then(
                () => ok(name),
                (err) => (err instanceof TransientError ? failed(name, err) : ok(name)),
              );
            }
            return result;
          };
        },
      });
    },
  };
}

export type ContactTracker = ReturnType<typeof createContactTracker>;
