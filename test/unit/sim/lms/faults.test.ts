import { FaultInjector, seededRandom } from '../../../../src/sim/lms/faults';

function failurePattern(seed: number, rate: number, draws: number): string {
  const faults = new FaultInjector({ seed, failRate: rate });
  return Array.from({ length: draws }, () => (faults.beforeRequest() ? 'x' : '.')).join('');
}

describe('FaultInjector', () => {
  it('fails the same requests for the same seed and different ones for another seed', () => {
    const pattern = failurePattern(7, 0.3, 200);
    expect(failurePattern(7, 0.3, 200)).toBe(pattern);
    expect(failurePattern(8, 0.3, 200)).not.toBe(pattern);
    const failures = pattern.split('').filter((c) => c === 'x').length;
    expect(failures).toBeGreaterThan(35);
    expect(failures).toBeLessThan(85);
  });

  it('serves queued failures first, in order, then none', () => {
    const faults = new FaultInjector();
    faults.failNext(1, 429, { retryAfterSec: 3 });
    faults.failNext(1, 500);
    expect(faults.beforeRequest()).toEqual({ status: 429, retryAfterSec: 3 });
    expect(faults.beforeRequest()).toEqual({ status: 500 });
    expect(faults.beforeRequest()).toBeNull();
    expect(faults.injectedCount).toBe(2);
  });

  it('answers 503 to everything while down', () => {
    const faults = new FaultInjector();
    faults.setDown(true);
    expect([faults.beforeRequest(), faults.beforeRequest()]).toEqual([{ status: 503 }, { status: 503 }]);
    faults.setDown(false);
    expect(faults.beforeRequest()).toBeNull();
  });

  it('loses committed answers at the configured rate and on demand', () => {
    const faults = new FaultInjector({ failAfterCommitRate: 1, failAfterCommitMode: 'drop' });
    expect(faults.afterCommit()).toBe('drop');
    faults.setFailAfterCommitRate(0);
    faults.failNextAfterCommit(1, 'status');
    expect([faults.afterCommit(), faults.afterCommit()]).toEqual(['status', null]);
  });

  it('refuses rates outside 0..1', () => {
    expect(() => new FaultInjector({ failRate: 1.5 })).toThrow(RangeError);
    expect(() => new FaultInjector().setFailAfterCommitRate(-0.1)).toThrow(RangeError);
  });

  it('draws numbers in [0, 1)', () => {
    const random = seededRandom(3);
    const draws = Array.from({ length: 1000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });
});
