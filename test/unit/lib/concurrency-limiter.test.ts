import { createConcurrencyLimiter, type Slot } from '../../../src/lib/concurrency-limiter';

/** Resolves after every pending promise callback has run. */
const settle = () => new Promise((r) => setImmediate(r));

function takeAll(limiter: ReturnType<typeof createConcurrencyLimiter>, n: number) {
  const granted: Slot[] = [];
  const order: number[] = [];
  for (let i = 0; i < n; i++)
    void limiter.acquire().then((s) => {
      granted.push(s);
      order.push(i);
    });
  return { granted, order };
}

describe('concurrency limiter', () => {
  it('hands out at most `max` slots, the rest in arrival order as slots come back', async () => {
    const limiter = createConcurrencyLimiter({ max: 2 });
    const { granted, order } = takeAll(limiter, 5);
    await settle();
    expect(order).toEqual([0, 1]);
    expect(limiter.stats()).toMatchObject({ inFlight: 2, waiting: 3, limit: 2 });
    granted[0]!.release('ok');
    granted[0]!.release('ok'); // a second release is ignored
    await settle();
    expect(order).toEqual([0, 1, 2]);
    expect(limiter.stats()).toMatchObject({ inFlight: 2, waiting: 2, peakInFlight: 2 });
  });

  it('shrinks on an overload, grows back on successes, and reports the changes', async () => {
    const changes: Array<{ from: number; to: number }> = [];
    const limiter = createConcurrencyLimiter({ max: 4, onLimitChange: (c) => changes.push(c) });
    const { granted, order } = takeAll(limiter, 10);
    await settle();
    expect(order).toHaveLength(4);
    granted[0]!.release('overload');
    granted[1]!.release('overload'); // same congestion: no second cut
    await settle();
    expect(limiter.stats()).toMatchObject({ limit: 2, inFlight: 2 });
    expect(order).toHaveLength(4); // two still out under a limit of 2: nothing new
    granted[2]!.release('ok');
    granted[3]!.release('ok'); // a full round of 2 successes: 3
    await settle();
    expect(limiter.stats()).toMatchObject({ limit: 3, inFlight: 3 });
    expect(changes).toEqual([
      { from: 4, to: 2 },
      { from: 2, to: 3 },
    ]);
  });

  it('a neutral outcome changes nothing', async () => {
    const limiter = createConcurrencyLimiter({ max: 2 });
    const { granted } = takeAll(limiter, 1);
    await settle();
    granted[0]!.release('neutral');
    expect(limiter.stats()).toMatchObject({ limit: 2, inFlight: 0 });
  });

  describe('pause', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('hands out no slot while paused, then resumes by itself', async () => {
      const limiter = createConcurrencyLimiter({ max: 2 });
      limiter.pauseFor(5000);
      limiter.pauseFor(1000); // a shorter pause does not cut a longer one short
      let granted = 0;
      void limiter.acquire().then(() => granted++);
      await Promise.resolve();
      jest.advanceTimersByTime(4999);
      await Promise.resolve();
      expect(granted).toBe(0);
      jest.advanceTimersByTime(1);
      await Promise.resolve();
      expect(granted).toBe(1);
    });
  });
});
