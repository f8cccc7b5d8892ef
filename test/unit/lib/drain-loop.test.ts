import { createDrainLoop, type DrainLoopOptions } from '../../../src/lib/drain-loop';

/** A pass that waits until the test lets it finish. */
function gatedPasses() {
  const gates: Array<() => void> = [];
  let passes = 0;
  return {
    pass: () => {
      passes += 1;
      return new Promise<void>((resolve) => gates.push(resolve));
    },
    release: async () => {
      gates.shift()?.();
      await new Promise((r) => setImmediate(r));
    },
    passes: () => passes,
  };
}

function loopWith(over: Partial<DrainLoopOptions> & Pick<DrainLoopOptions, 'pass'>, stopped = () => false) {
  return createDrainLoop({ failed: () => false, stopped, ...over });
}

describe('createDrainLoop', () => {
  it('a wake runs one pass', async () => {
    let passes = 0;
    const loop = loopWith({ pass: async () => void (passes += 1) });
    loop.wake();
    await loop.settled();
    expect(passes).toBe(1);
  });

  it('wakes during a pass ask for one more pass after it, never an overlapping one', async () => {
    const g = gatedPasses();
    const loop = loopWith({ pass: g.pass });
    loop.wake();
    loop.wake();
    loop.wake();
    expect(g.passes()).toBe(1);
    await g.release();
    expect(g.passes()).toBe(2);
    await g.release();
    await loop.settled();
    expect(g.passes()).toBe(2);
  });

  it('a failed pass is reported; true runs another pass, false does not', async () => {
    const seen: unknown[] = [];
    let passes = 0;
    const loop = loopWith({
      pass: async () => {
        passes += 1;
        if (passes < 3) throw new Error(`pass ${passes}`);
      },
      failed: (err) => {
        seen.push((err as Error).message);
        return true;
      },
    });
    loop.wake();
    await loop.settled();
    expect(seen).toEqual(['pass 1', 'pass 2']);
    expect(passes).toBe(3);

    const once = loopWith({
      pass: async () => {
        passes += 1;
        throw new Error('again');
      },
    });
    passes = 0;
    once.wake();
    await once.settled();
    expect(passes).toBe(1);
  });

  it('waits for an asynchronous failure handler (a back-off) before the next pass', async () => {
    const order: string[] = [];
    let passes = 0;
    const loop = loopWith({
      pass: async () => {
        order.push(`pass ${++passes}`);
        if (passes === 1) throw new Error('down');
      },
      failed: async () => {
        await new Promise((r) => setTimeout(r, 5));
        order.push('backed off');
        return true;
      },
    });
    loop.wake();
    await loop.settled();
    expect(order).toEqual(['pass 1', 'backed off', 'pass 2']);
  });

  it('does nothing once stopped, and asks no further pass of the running one', async () => {
    let stopped = false;
    const g = gatedPasses();
    const loop = loopWith({ pass: g.pass }, () => stopped);
    loop.wake();
    loop.wake();
    stopped = true;
    await g.release();
    await loop.settled();
    expect(g.passes()).toBe(1);
    loop.wake();
    expect(g.passes()).toBe(1);
  });

  it('drain runs passes directly, and settled resolves with none running', async () => {
    let passes = 0;
    const loop = loopWith({ pass: async () => void (passes += 1) });
    await loop.settled();
    await loop.drain();
    expect(passes).toBe(1);
  });
});
