import { createBatcher } from '../../../src/lib/batcher';

describe('batcher', () => {
  it('serves loads made in the same turn with one batch call, and repeated keys once', async () => {
    const calls: number[][] = [];
    const b = createBatcher(async (keys: number[]) => {
      calls.push(keys);
      return new Map(keys.filter((k) => k !== 3).map((k) => [k, `v${k}`]));
    });
    const got = await Promise.all([b.load(1), b.load(2), b.load(2), b.load(3)]);
    expect(got).toEqual(['v1', 'v2', 'v2', undefined]);
    expect(calls).toEqual([[1, 2, 3]]);
    await b.load(4);
    expect(calls).toHaveLength(2);
  });

  it('splits large batches and rejects every waiter of a failed batch', async () => {
    const sizes: number[] = [];
    const b = createBatcher(
      async (keys: number[]) => {
        sizes.push(keys.length);
        if (keys.includes(5)) throw new Error('odoo down');
        return new Map(keys.map((k) => [k, k]));
      },
      { maxBatch: 4 },
    );
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => b.load(i)));
    expect(sizes).toEqual([4, 4, 2]);
    expect(results.map((r) => r.status)).toEqual([
      ...Array(4).fill('fulfilled'),
      ...Array(4).fill('rejected'),
      'fulfilled',
      'fulfilled',
    ]);
  });
});

describe('batcher with maxInFlight', () => {
  it('holds the loads asked while a batch call runs and sends them together when it ends', async () => {
    const calls: number[][] = [];
    const running: Array<() => void> = [];
    const b = createBatcher(
      (keys: number[]) => {
        calls.push(keys);
        return new Promise<Map<number, number>>((resolve) =>
          running.push(() => resolve(new Map(keys.map((k) => [k, k * 10])))),
        );
      },
      { maxInFlight: 1 },
    );
    const first = b.load(1);
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([[1]]);
    // three more turns of loads while the first call runs: none of them goes out yet
    const later: Array<Promise<number | undefined>> = [];
    for (const k of [2, 3, 4]) {
      later.push(b.load(k));
      await new Promise((r) => setImmediate(r));
    }
    expect(calls).toHaveLength(1);
    running.shift()!();
    expect(await first).toBe(10);
    for (let turn = 0; turn < 3; turn++) await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([[1], [2, 3, 4]]);
    running.shift()!();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });
});
