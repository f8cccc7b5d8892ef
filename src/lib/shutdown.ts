// Shutdown in two phases under one deadline. Halts run first, all at once: every loop stops taking
// work and no new call leaves for Odoo or the LMS. Then the stop steps run, last registered first, each
// awaited only until the deadline; past it the rest are started without waiting (a broker gone away
// must not hold the process: closing the connection is what ends its reconnect loop).
import { TransientError } from './errors';
import type { LogSink } from './log-sink';

export interface Shutdown {
  /** Aborted when shutdown begins. */
  readonly signal: AbortSignal;
  onHalt(halt: () => void): void;
  onStop(name: string, stop: () => Promise<void>): void;
  /** Runs once; later calls get the same promise. Resolves within the deadline. */
  run(): Promise<void>;
}

export function createShutdown(log: LogSink, timeoutMs: number): Shutdown {
  const begun = new AbortController();
  const halts: Array<() => void> = [];
  const steps: Array<{ name: string; stop: () => Promise<void> }> = [];
  let running: Promise<void> | null = null;

  async function runAll(): Promise<void> {
    begun.abort();
    const deadline = Date.now() + timeoutMs;
    for (const halt of halts.splice(0)) {
      try {
        halt();
      } catch (err) {
        log.warn('error while halting', { error: (err as Error).message });
      }
    }
    const late: string[] = [];
    for (const step of steps.splice(0).reverse()) {
      const done = step
        .stop()
        .catch((err: Error) => log.warn('error during shutdown', { step: step.name, error: err.message }));
      if (!(await settlesWithin(done, deadline - Date.now()))) late.push(step.name);
    }
    if (late.length) log.error('shutdown deadline passed; not waiting for these steps', { late, timeoutMs });
  }

  return {
    signal: begun.signal,
    onHalt: (halt) => void halts.push(halt),
    onStop: (name, stop) => void steps.push({ name, stop }),
    run: () => (running ??= runAll()),
  };
}

function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * `target` with every method but `close` refusing (a TransientError) once `signal` is aborted: after
 * shutdown began nothing new is sent to that system; the work is redone by whoever gets the message next.
 */
export function refuseAfter<T extends object>(target: T, signal: AbortSignal, system: string): T {
  return new Proxy(target, {
    get: (obj, prop, receiver) => {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function' || prop === 'close') return value;
      return (...args: unknown[]) =>
        signal.aborted
          ? Promise.reject(
              new TransientError('shutting_down', `not calling ${system}: the service is stopping`),
            )
          : value.apply(obj, args);
    },
  });
}
