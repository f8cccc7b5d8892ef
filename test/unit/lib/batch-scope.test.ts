import { BatchScope, GATE_MAX_WAIT_MS, inBatchScope } from '../../../src/lib/batch-scope';
import { createCoalescer } from '../../../src/lib/coalescer';

const turn = () => new Promise((r) => setImmediate(r));

describe('batch scope', () => {
  it("holds a step's items until every member of the batch waits, then sends them in one call", async () => {
    const calls: number[][] = [];
    const c = createCoalescer(async (items: number[]) => {
      calls.push(items);
      return items;
    });
    const scope = new BatchScope(3);
    let releaseSlow: () => void = () => undefined;
    const slow = new Promise<void>((r) => (releaseSlow = r));
    const members = [1, 2, 3].map((i) =>
      inBatchScope(scope, async () => {
        if (i === 3) await slow; // an LMS call that takes longer
        return c.submit(i);
      }).finally(() => scope.leave()),
    );
    for (let k = 0; k < 5; k++) await turn();
    expect(calls).toEqual([]);
    releaseSlow();
    expect(await Promise.all(members)).toEqual([1, 2, 3]);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it('a member that is done no longer holds the others', async () => {
    const calls: number[][] = [];
    const c = createCoalescer(async (items: number[]) => {
      calls.push(items);
      return items;
    });
    const scope = new BatchScope(2);
    const done = inBatchScope(scope, async () => 0).finally(() => scope.leave());
    const waiting = inBatchScope(scope, () => c.submit(7)).finally(() => scope.leave());
    expect(await Promise.all([done, waiting])).toEqual([0, 7]);
    expect(calls).toEqual([[7]]);
  });

  it('does not hold an item longer than GATE_MAX_WAIT_MS for a member busy elsewhere', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    try {
      const c = createCoalescer(async (items: number[]) => items);
      const scope = new BatchScope(2); // the second member never arrives
      let answered = false;
      const p = inBatchScope(scope, () => c.submit(1)).then(() => (answered = true));
      await turn();
      jest.advanceTimersByTime(GATE_MAX_WAIT_MS - 1);
      await turn();
      expect(answered).toBe(false);
      jest.advanceTimersByTime(1);
      await p;
      expect(answered).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('outside a scope an item goes on the next turn, as before', async () => {
    const c = createCoalescer(async (items: number[]) => items);
    expect(await c.submit(5)).toBe(5);
  });
});
