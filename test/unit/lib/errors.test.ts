import { BusyError, InvalidInput, PermanentError, TransientError } from '../../../src/lib/errors';
import { LmsTransientError } from '../../../src/lms/rest-errors';

describe('error types', () => {
  it('a transient error carries the wait the other side asked for, typed', () => {
    const err = new TransientError('lms_rate_limited', 'slow down', { retryAfterMs: 3000 });
    expect(err.retryAfterMs).toBe(3000);
    expect(new TransientError('lms_unavailable', '503').retryAfterMs).toBeUndefined();
    expect('retryAfterMs' in new TransientError('lms_unavailable', '503')).toBe(false);
  });

  it("the LMS adapter's transient error is a TransientError with the same field", () => {
    const err: TransientError = new LmsTransientError('lms_rate_limited', '429', 429, 1500);
    expect(err).toBeInstanceOf(TransientError);
    expect(err.retryAfterMs).toBe(1500);
  });

  it('keeps a cause', () => {
    const cause = new Error('socket hang up');
    expect(new TransientError('x', 'y', { cause }).cause).toBe(cause);
  });

  it('busy is its own type: neither refused input nor a failure to retry or dead-letter', () => {
    const err = new BusyError('reconcile_busy', 'a run is going');
    expect(err.code).toBe('reconcile_busy');
    expect(err.name).toBe('BusyError');
    for (const other of [InvalidInput, TransientError, PermanentError]) expect(err).not.toBeInstanceOf(other);
  });
});
