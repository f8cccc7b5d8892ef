// Keeps one unit of work's stray error from taking the whole process down. A throw inside an I/O
// callback (or a promise nobody awaits) escapes every try/catch; without this it kills the process,
// and a message that provokes it is redelivered and kills the next process too. Work run through
// `isolate` carries its identity in async context, so the process-level handlers can tell whose error
// it was and fail that work alone.
import { AsyncLocalStorage } from 'node:async_hooks';
import { errorMessage } from './errors';
import type { Logger } from '../observability/logger';
import { boundForeignText } from './foreign-text';

/** An error that escaped the work's own promise chain (a throw in a callback, an unawaited rejection). */
export class StrayError extends Error {
  readonly code = 'stray_error';
  constructor(
    readonly work: string,
    cause: unknown,
  ) {
    super(`uncaught error while handling ${work}: ${boundForeignText(errorMessage(cause))}`, { cause });
    this.name = 'StrayError';
  }
}

interface Scope {
  work: string;
  fail(err: unknown): void;
}

const scope = new AsyncLocalStorage<Scope>();

/**
 * Runs `fn` as one unit of work: it settles with fn's result, or rejects with StrayError as soon as an
 * error escapes from anything fn started. What fn left running is abandoned, not stopped.
 */
export function isolate<T>(work: string, fn: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = (err: unknown) => reject(new StrayError(work, err));
    scope.run({ work, fail }, () => {
      fn().then(resolve, reject);
    });
  });
}

export interface GuardOptions {
  log: Logger;
  /** what to do with an uncaught exception outside any unit of work (default: exit 1) */
  onFatal?: (err: unknown) => void;
}

/**
 * Process-level policy: an error inside a unit of work fails that work and the process carries on;
 * an uncaught exception outside one leaves the process in an unknown state, so it is logged and the
 * process exits (its supervisor restarts it); an unhandled rejection outside one is logged only.
 * Returns the function that removes the handlers.
 */
export function installProcessGuard(options: GuardOptions): () => void {
  const { log } = options;
  const onFatal = options.onFatal ?? (() => process.exit(1));
  const detail = (err: unknown) => ({
    error: boundForeignText(errorMessage(err)),
    stack: err instanceof Error ? boundForeignText(err.stack ?? '') : undefined,
  });
  /** Fails the unit of work the error came from, if any; false when it came from outside every one. */
  const failedWork = (what: string, err: unknown): boolean => {
    const s = scope.getStore();
    if (!s) return false;
    log.error(`${what} failed one unit of work; the process carries on`, { work: s.work, ...detail(err) });
    s.fail(err);
    return true;
  };
  const onException = (err: unknown) => {
    if (failedWork('uncaught exception', err)) return;
    log.error('uncaught exception outside any unit of work; the process exits', detail(err));
    onFatal(err);
  };
  const onRejection = (reason: unknown) => {
    if (failedWork('unhandled rejection', reason)) return;
    log.error('unhandled promise rejection outside any unit of work; the process carries on', detail(reason));
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
