import { brakeReason, liftedBrakeNote } from '../../../src/reconcile/brake';
import { exitCodeFor } from '../../../src/reconcile/exit-code';

const base = { paidLines: 1000, enrollments: 990, repairs: 10, maxRepairRatio: 0.2, minRepairsToBrake: 10 };

describe('the safety brake', () => {
  it.each([
    ['a normal night', base, null],
    ['repairs at exactly the limit', { ...base, repairs: 200 }, null],
    [
      'repairs above the limit',
      { ...base, repairs: 201 },
      /201 repairs would touch 20.1% of 1000 paid lines/,
    ],
    ['an empty LMS answer', { ...base, enrollments: 0, repairs: 1000 }, /LMS listed no enrollments/],
    ['an empty LMS with nothing paid', { ...base, paidLines: 0, enrollments: 0, repairs: 0 }, null],
    ['a small incremental run below the floor', { ...base, paidLines: 5, repairs: 4 }, null],
    ['a small run at the floor', { ...base, paidLines: 12, repairs: 10 }, /above the 20% limit/],
    ['repairs while Odoo has no paid lines are no ratio', { ...base, paidLines: 0, repairs: 20 }, null],
    ['a higher limit lets the same wave through', { ...base, repairs: 300, maxRepairRatio: 0.5 }, null],
    [
      'a floor of one brakes a single repair',
      { ...base, paidLines: 2, enrollments: 2, repairs: 1, minRepairsToBrake: 1 },
      /1 repairs would touch 50% of 2 paid lines/,
    ],
    [
      'an empty LMS holds a run below the floor too',
      { ...base, paidLines: 3, enrollments: 0, repairs: 3 },
      /LMS listed no enrollments/,
    ],
  ])('%s', (_label, input, expected) => {
    const reason = brakeReason(input);
    if (expected === null) expect(reason).toBeNull();
    else expect(reason).toMatch(expected);
  });
});

describe('reconcile exit codes', () => {
  const outcome = {
    runId: '1',
    findings: 0,
    findingsLeft: 0,
    repairsQueued: 0,
    heldReason: null,
    brakeLifted: null,
    error: null,
  };
  it.each([
    ['clean', { ...outcome, status: 'succeeded' as const }, 0],
    [
      'everything found is being repaired',
      { ...outcome, status: 'succeeded' as const, findings: 3, repairsQueued: 3 },
      0,
    ],
    [
      'findings left for a person',
      { ...outcome, status: 'succeeded' as const, findings: 3, findingsLeft: 1 },
      1,
    ],
    ['repairs held', { ...outcome, status: 'held' as const, findings: 300, findingsLeft: 300 }, 1],
    ['failed', { ...outcome, status: 'failed' as const, error: 'LMS down' }, 2],
  ])('%s → %i', (_label, o, code) => {
    expect(exitCodeFor(o)).toBe(code);
  });
});

describe('a backfill run lifting the brake', () => {
  it.each([
    [
      'the LMS listed no enrollments while Odoo has 12 paid course lines: repairs held',
      'lifted for this run (--backfill); it would have held: the LMS listed no enrollments while Odoo has 12 paid course lines',
    ],
    [null, 'lifted for this run (--backfill); it would not have held it'],
  ])('records what the brake would have said (%s)', (wouldHold, note) => {
    expect(liftedBrakeNote(wouldHold)).toBe(note);
  });
});
