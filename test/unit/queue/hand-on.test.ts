import type { ActionFailure } from '../../../src/enrollment/outcome';
import { StrayError } from '../../../src/lib/process-guard';
import { attemptOf, isLmsFailure, newlyDead, nextStep, strayFailure } from '../../../src/queue/hand-on';

const LADDER = [5000, 30000, 120000];
const noJitter = () => 0;

const failure = (businessKey: string | null, code: string, permanent: boolean): ActionFailure => ({
  businessKey,
  code,
  message: `${code} happened`,
  permanent,
});

const transient = failure('enroll:7:PY-K12:odoo-partner-3', 'lms_unavailable', false);
const permanent = failure('enroll:7:JS-K3:odoo-partner-3', 'lms_unknown_course', true);
const unkeyed = failure(null, 'odoo_unavailable', false);

describe('the consumer: which attempt a delivery is', () => {
  it.each([
    ['no headers (the first delivery)', undefined, 1],
    ['no attempt header', { 'x-delivery-count': 3 }, 1],
    ['a retried delivery', { 'x-lms-sync-attempt': 3 }, 3],
    ['a header sent as text', { 'x-lms-sync-attempt': '2' }, 2],
    ['an unreadable header', { 'x-lms-sync-attempt': 'soon' }, 1],
    ['a zero', { 'x-lms-sync-attempt': 0 }, 1],
  ])('%s', (_label, headers, attempt) => {
    expect(attemptOf(headers)).toBe(attempt);
  });
});

describe('the consumer: after a failed attempt', () => {
  it.each([
    [1, { kind: 'retry', rungMs: 5000, delayMs: 5000, attempt: 2 }],
    [2, { kind: 'retry', rungMs: 30000, delayMs: 30000, attempt: 3 }],
    [3, { kind: 'retry', rungMs: 120000, delayMs: 120000, attempt: 4 }],
  ])('attempt %i waits on the next rung', (attempt, step) => {
    expect(nextStep({ kind: 'retry', failures: [transient] }, attempt, LADDER, noJitter)).toEqual(step);
  });

  it("waits on the first rung at least as long as the LMS's Retry-After", () => {
    const outcome = { kind: 'retry' as const, failures: [transient], retryAfterMs: 60000 };
    expect(nextStep(outcome, 1, LADDER, noJitter)).toEqual({
      kind: 'retry',
      rungMs: 120000,
      delayMs: 120000,
      attempt: 2,
    });
  });

  it('a busy action waits for its lease on the ladder too', () => {
    const outcome = { kind: 'busy' as const, failures: [transient], retryAfterMs: 2000 };
    expect(nextStep(outcome, 1, LADDER, noJitter)).toMatchObject({ kind: 'retry', rungMs: 5000 });
  });

  it('the ladder used up: every failure is dead, the retryable ones marked as out of retries', () => {
    const outcome = { kind: 'retry' as const, failures: [transient, permanent, unkeyed] };
    expect(nextStep(outcome, 4, LADDER, noJitter)).toEqual({
      kind: 'dead',
      failures: [{ ...transient, retriesExhausted: true }, permanent, { ...unkeyed, retriesExhausted: true }],
      deadKeys: [transient.businessKey, permanent.businessKey],
    });
  });
});

describe('the consumer: which dead letters become problems', () => {
  const exhausted = { ...transient, retriesExhausted: true };

  it.each([
    [
      'recorded now',
      [permanent],
      [{ businessKey: permanent.businessKey, reasonCode: 'lms_unknown_course' }],
      [permanent],
    ],
    ['recorded by an earlier delivery', [permanent], [], []],
    [
      'out of retries, recorded under its marked reason',
      [exhausted],
      [{ businessKey: transient.businessKey, reasonCode: 'retries_exhausted:lms_unavailable' }],
      [exhausted],
    ],
    [
      'the same action recorded earlier for another reason',
      [exhausted],
      [{ businessKey: transient.businessKey, reasonCode: 'lms_unavailable' }],
      [],
    ],
    [
      'a failure of no action (the order read)',
      [unkeyed, permanent],
      [{ businessKey: null, reasonCode: 'odoo_unavailable' }],
      [unkeyed],
    ],
  ])('%s', (_label, failures, recorded, problems) => {
    expect(newlyDead(failures, recorded)).toEqual(problems);
  });
});

describe('the consumer: an error escaping the sync', () => {
  it('a stray error dead-letters this message alone, permanently', () => {
    const err = new StrayError('message m1', new Error('boom in a callback'));
    expect(strayFailure(err)).toEqual({
      kind: 'dead',
      failures: [{ businessKey: null, code: 'stray_error', message: err.message, permanent: true }],
    });
  });

  it('any other error is not its to judge: it propagates (the message is requeued)', () => {
    const err = new Error('connection terminated');
    expect(() => strayFailure(err)).toThrow(err);
  });
});

describe('nextStep with the LMS pace', () => {
  const lmsFailure = {
    businessKey: 'enroll:1:PY-K12:odoo-partner-2',
    code: 'lms_unavailable',
    message: '503',
    permanent: false,
  };

  it('paces a retry the LMS alone caused, and only that one', () => {
    const paced = nextStep({ kind: 'retry', failures: [lmsFailure] }, 2, LADDER, () => 0, 40_000);
    expect(paced).toMatchObject({ kind: 'retry', rungMs: 120000 });
    const odooRead = { ...lmsFailure, businessKey: null, code: 'odoo_unavailable' };
    const byAttempt = nextStep({ kind: 'retry', failures: [odooRead] }, 2, LADDER, () => 0, 40_000);
    expect(byAttempt).toMatchObject({ kind: 'retry', rungMs: 30000 });
    expect(isLmsFailure({ kind: 'retry', failures: [lmsFailure, odooRead] })).toBe(false);
    expect(isLmsFailure({ kind: 'busy', failures: [lmsFailure], retryAfterMs: 1 })).toBe(false);
  });
});
