import { sleep } from '../../../src/lib/sleep';

describe('sleep', () => {
  it('waits the given time', async () => {
    const t0 = Date.now();
    await sleep(40);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(35);
  });

  it('ends at once when the shutdown signal fires', async () => {
    const stop = new AbortController();
    const t0 = Date.now();
    const pause = sleep(30_000, stop.signal);
    stop.abort();
    await pause;
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('does not wait at all when already aborted', async () => {
    const stop = new AbortController();
    stop.abort();
    const t0 = Date.now();
    await sleep(30_000, stop.signal);
    expect(Date.now() - t0).toBeLessThan(100);
  });
});
