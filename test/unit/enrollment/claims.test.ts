import { claimLockKey, idempotencyKeyFor, refusedClaim } from '../../../src/enrollment/actions-repo';
import type { PlannedAction } from '../../../src/enrollment/plan';

const action = (over: Partial<PlannedAction> = {}): Omit<PlannedAction, 'learner'> => ({
  action: 'enroll',
  businessKey: 'enroll:7:PY-K12:odoo-partner-3',
  courseCode: 'PY-K12',
  lineId: 70,
  studentId: 'odoo-partner-3',
  ...over,
});

const row = (status: string, over: Partial<Parameters<typeof refusedClaim>[0]> = {}) => ({
  status,
  last_error_code: null,
  last_error: null,
  lease_ends_in_ms: null,
  ...over,
});

describe('action claims', () => {
  it.each([
    ['an enroll takes its (course, learner) lock', action(), 'PY-K12|odoo-partner-3'],
    ['a suspend takes none (it holds the lock itself)', action({ action: 'suspend' }), null],
    ['an enroll of an unmapped line takes none', action({ courseCode: null }), null],
  ])('%s', (_label, a, key) => {
    expect(claimLockKey(a)).toBe(key);
  });

  it.each([
    [1, 'enroll:7:PY-K12:odoo-partner-3'],
    [2, 'enroll:7:PY-K12:odoo-partner-3#2'],
    [5, 'enroll:7:PY-K12:odoo-partner-3#5'],
  ])('generation %i calls the LMS with idempotency key %s', (generation, key) => {
    expect(idempotencyKeyFor('enroll:7:PY-K12:odoo-partner-3', generation)).toBe(key);
  });

  it.each([
    ['succeeded: nothing to do', row('succeeded'), { kind: 'done' }],
    [
      'dead: its last error',
      row('dead', { last_error_code: 'lms_unknown_course', last_error: 'no such course' }),
      { kind: 'dead', code: 'lms_unknown_course', message: 'no such course' },
    ],
    [
      'dead with no error recorded',
      row('dead'),
      { kind: 'dead', code: 'dead', message: 'dead-lettered earlier' },
    ],
    [
      'held by another worker: busy until its lease ends, rounded up',
      row('in_progress', { lease_ends_in_ms: 2400.2 }),
      { kind: 'busy', leaseEndsInMs: 2401 },
    ],
    [
      'held, lease just over',
      row('in_progress', { lease_ends_in_ms: 0 }),
      { kind: 'busy', leaseEndsInMs: 0 },
    ],
    ['no row (gone between the two reads)', undefined, { kind: 'busy', leaseEndsInMs: 0 }],
  ])('a refused claim on an action %s', (_label, current, claim) => {
    expect(refusedClaim(current)).toEqual(claim);
  });
});
