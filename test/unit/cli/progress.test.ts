// The reconcile progress line's pure formatting: durations, rates, the ETA and the line per phase.
import { etaMs, formatDuration, formatProgress, formatRate } from '../../../src/cli/progress';
import type { Progress } from '../../../src/reconcile';

const counts = { orders: 0, orderLines: 0, enrollments: 0, findings: 0 };
const at = (p: Partial<Progress>): Progress => ({ phase: 'odoo', ordersTotal: null, ...counts, ...p });

describe('progress formatting', () => {
  it.each([
    [0, '0s'],
    [7_400, '7s'],
    [59_600, '1m 00s'],
    [185_000, '3m 05s'],
    [3_720_000, '1h 02m'],
    [-5, '0s'],
  ])('formatDuration(%d) is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    [0, 1000, '–/s'],
    [10, 0, '–/s'],
    [5, 2000, '2.5/s'],
    [3400, 10_000, '340/s'],
  ])('formatRate(%d, %d) is %s', (count, ms, text) => {
    expect(formatRate(count, ms)).toBe(text);
  });

  it.each([
    [0, 100, 1000, null],
    [25, 100, 1000, 3000],
    [100, 100, 1000, 0],
    [0, 0, 0, 0],
  ])('etaMs(%d of %d after %d ms) is %s', (done, total, elapsed, eta) => {
    expect(etaMs(done, total, elapsed)).toBe(eta);
  });

  it('shows a bar, a percentage and an ETA when the total is known', () => {
    const line = formatProgress(at({ orders: 50, ordersTotal: 200, orderLines: 80 }), 10_000, 10);
    expect(line).toBe('Odoo read |███░░░░░░░| 25% · orders 50/200 · lines 80 · ETA 30s');
  });

  it('shows no percentage, only counts and a rate, without a total', () => {
    expect(formatProgress(at({ orders: 40, orderLines: 60 }), 2000)).toBe(
      'Odoo read · orders 40 · lines 60 · 20/s',
    );
    expect(formatProgress(at({ phase: 'lms', enrollments: 900 }), 3000)).toBe(
      'LMS read · enrollments 900 · 300/s',
    );
  });

  it('names the phase and the counts after the reads', () => {
    expect(formatProgress(at({ phase: 'writes', orderLines: 3, enrollments: 2, findings: 1 }), 0)).toBe(
      'writes · Odoo lines 3 · LMS enrollments 2 · findings 1',
    );
  });
});
