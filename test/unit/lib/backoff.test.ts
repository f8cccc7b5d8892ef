import { backoffDelay, jittered, type Backoff } from '../../../src/lib/backoff';

const DOUBLING: Backoff = { firstMs: 250, maxDoublings: 7, capMs: 30_000 };
const LADDER: Backoff = { ladderMs: [200, 500, 1000] };

describe('backoffDelay', () => {
  it.each<[string, Backoff, number, object | undefined, number | undefined]>([
    ['doubling: retry 0 waits the first wait', DOUBLING, 0, undefined, 250],
    ['doubling: retry 1 waits twice that', DOUBLING, 1, undefined, 500],
    ['doubling: retry 6', DOUBLING, 6, undefined, 16_000],
    ['doubling: the cap holds', DOUBLING, 7, undefined, 30_000],
    [
      'doubling: the doublings stop counting',
      { firstMs: 1000, maxDoublings: 3, capMs: 1e9 },
      10,
      undefined,
      8000,
    ],
    ['doubling: never gives up', DOUBLING, 1000, undefined, 30_000],
    ['ladder: the n-th wait', LADDER, 1, undefined, 500],
    ['ladder: the last wait', LADDER, 2, undefined, 1000],
    ['ladder: used up', LADDER, 3, undefined, undefined],
    ['ladder: used up, whatever was asked', LADDER, 3, { retryAfterMs: 5000 }, undefined],
    ['a longer Retry-After wins', LADDER, 0, { retryAfterMs: 3000 }, 3000],
    ['a shorter Retry-After does not shorten the wait', LADDER, 2, { retryAfterMs: 10 }, 1000],
    [
      'Retry-After is heeded up to its cap',
      LADDER,
      0,
      { retryAfterMs: 60_000, retryAfterCapMs: 30_000 },
      30_000,
    ],
    ['a cap below the wait leaves the wait', LADDER, 2, { retryAfterMs: 60_000, retryAfterCapMs: 300 }, 1000],
    ['Retry-After on a doubling', DOUBLING, 0, { retryAfterMs: 2000 }, 2000],
  ])('%s', (_what, backoff, n, hint, expected) => {
    expect(backoffDelay(backoff, n, hint)).toBe(expected);
  });
});

describe('jittered', () => {
  it.each([
    [0, 30_000],
    [0.5, 33_750],
    [0.999999, 37_500],
    [-1, 30_000],
    [2, 37_500],
  ])('random() = %d spreads 30 s to %i ms', (r, expected) => {
    expect(jittered(30_000, 0.25, () => r)).toBe(expected);
  });

  it('stays within [ms, ms × (1 + spread)] with the real random', () => {
    for (let i = 0; i < 100; i++) {
      const d = jittered(1000, 0.25);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(1250);
    }
  });
});
