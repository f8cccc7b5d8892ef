import { createCoalescer } from '../../../src/lib/coalescer';

describe('coalescer', () => {
  it('sends the items of one turn in one call and answers each with its own result', async () => {
    const calls: number[][] = [];
    const c = createCoalescer(async (items: number[]) => {
      calls.push(items);
      return items.map((i) => i * 10);
    });
    expect(await Promise.all([c.submit(1), c.submit(2), c.submit(3)])).toEqual([10, 20, 30]);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it('holds what comes while a call runs and sends it together when that call ends', async () => {
    const calls: number[][] = [];
    let release: () => void = () => undefined;
    const c = createCoalescer(async (items: number[]) => {
      calls.push(items);
      if (calls.length === 1) await new Promise<void>((r) => (release = r));
      return items;
    });
    const first = c.submit(1);
    await new Promise((r) => setImmediate(r));
    const later = [c.submit(2), c.submit(3)];
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([[1]]);
    release();
    await Promise.all([first, ...later]);
    expect(calls).toEqual([[1], [2, 3]]);
  });

  it('puts items with the same key in different calls', async () => {
    const calls: string[][] = [];
    const c = createCoalescer(
      async (items: string[]) => {
        calls.push(items);
        return items;
      },
      { keyOf: (s) => s.slice(0, 1) },
    );
    await Promise.all(['a1', 'b1', 'a2', 'c1'].map((s) => c.submit(s)));
    expect(calls).toEqual([['a1', 'b1', 'c1'], ['a2']]);
  });

  it('a bad item costs only itself: a failed call is made again for each item alone', async () => {
    const calls: number[][] = [];
    const c = createCoalescer(async (items: number[]) => {
      calls.push(items);
      if (items.includes(2)) throw new Error('bad item 2');
      return items;
    });
    const results = await Promise.allSettled([c.submit(1), c.submit(2), c.submit(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('bad item 2'));
    expect(calls).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('splits at maxBatch', async () => {
    const sizes: number[] = [];
    const c = createCoalescer(
      async (items: number[]) => {
        sizes.push(items.length);
        return items;
      },
      { maxBatch: 4, maxInFlight: 5 },
    );
    await Promise.all(Array.from({ length: 10 }, (_, i) => c.submit(i)));
    expect(sizes).toEqual([4, 4, 2]);
  });

  it('rejects every item when the call answers the wrong number of results', async () => {
    const c = createCoalescer(async (items: number[]) => items.slice(1));
    await expect(c.submit(1)).rejects.toThrow('answered 0 results for 1 items');
  });
});
