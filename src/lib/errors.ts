// Errors that carry decisions: callers branch on the type and `code`, never on message text.
import { boundForeignText } from './foreign-text';

export abstract class SyncError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Worth retrying later: a timeout, a 5xx, a 429, a dropped connection. `retryAfterMs`: how long the other
 * side asked us to wait (a Retry-After), when it said; retry loops wait at least that long.
 */
export class TransientError extends SyncError {
  declare readonly retryAfterMs?: number;
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    if (options?.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** Retrying will not help; the action goes to the dead letters with this reason. */
export class PermanentError extends SyncError {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The caller sent something we refuse (maps to a 4xx). */
export class InvalidInput extends SyncError {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Someone else is doing it right now (a run holds the lock): try again once they are done (maps to a 409). */
export class BusyError extends SyncError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** An error as text to store or show: bounded, since its message may quote another system at length. */
export function errorMessage(err: unknown): string {
  return boundForeignText(err instanceof Error ? err.message : String(err));
}
