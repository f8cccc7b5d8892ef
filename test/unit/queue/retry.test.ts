import { decideRetry, rungQueueTtl } from '../../../src/queue/retry';

const LADDER = [5000, 30000, 120000, 600000, 1800000, 3600000];

describe('decideRetry', () => {
  it.each([
    [1, 5000],
    [2, 30000],
    [3, 120000],
    [6, 3600000],
  ])('after attempt %i waits on the %i ms rung', (attempt, rung) => {
    const d = decideRetry(attempt, LADDER, { random: () => 0 });
    expect(d).toEqual({ retry: true, rungMs: rung, delayMs: rung });
  });

  it('gives up once the ladder is used up', () => {
    expect(decideRetry(7, LADDER)).toEqual({ retry: false });
  });

  it('adds at most 25% jitter, never above the rung queue TTL', () => {
    const d = decideRetry(2, LADDER, { random: () => 0.999999 });
    expect(d.retry && d.delayMs).toBeGreaterThan(30000 * 1.24);
    expect(d.retry && d.delayMs).toBeLessThanOrEqual(rungQueueTtl(30000));
  });

  it('moves to a longer rung when the server asks for a longer Retry-After', () => {
    expect(decideRetry(1, LADDER, { retryAfterMs: 60000, random: () => 0 })).toEqual({
      retry: true,
      rungMs: 120000,
      delayMs: 120000,
    });
  });

  it('keeps the ladder rung when Retry-After is shorter', () => {
    expect(decideRetry(3, LADDER, { retryAfterMs: 1000, random: () => 0 })).toMatchObject({ rungMs: 120000 });
  });
});

describe('decideRetry with the LMS pace (an LMS failure)', () => {
  const rung = (attempt: number, paceMs: number) => {
    const d = decideRetry(attempt, LADDER, { random: () => 0, paceMs });
    return d.retry ? d.rungMs : null;
  };

  it('a healthy LMS: three tries on the first rung, then the message climbs one rung per attempt', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => rung(a, 0))).toEqual([5000, 5000, 5000, 30000, 120000, 600000]);
  });

  it('a failing LMS: every retry waits the pace, whatever its attempt; the attempts stay six', () => {
    expect(rung(1, 40_000)).toBe(120000);
    expect(rung(2, 700_000)).toBe(1800000);
    expect(rung(1, 10 * 3_600_000)).toBe(3600000);
    expect(decideRetry(7, LADDER, { paceMs: 0 })).toEqual({ retry: false });
  });

  it('still honours a longer Retry-After', () => {
    const d = decideRetry(1, LADDER, { random: () => 0, paceMs: 0, retryAfterMs: 60_000 });
    expect(d).toMatchObject({ rungMs: 120000 });
  });
});
