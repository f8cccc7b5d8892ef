import { createShutdown, refuseAfter } from '../../../src/lib/shutdown';
import { TransientError } from '../../../src/lib/errors';
import { silentLogger } from '../../../src/observability/logger';

describe('createShutdown', () => {
  it('halts everything first, then stops in reverse order, starting the rest when a step hangs past the deadline', async () => {
    const seen: string[] = [];
    const s = createShutdown(silentLogger(), 200);
    s.onStop('pool', async () => void seen.push('stop pool'));
    s.onStop('stuck consumer', () => new Promise<void>(() => seen.push('stop consumer')));
    s.onHalt(() => seen.push('halt relay'));
    s.onStop('server', async () => void seen.push('stop server'));
    s.onHalt(() => seen.push('halt worker'));
    await s.run();
    expect(seen).toEqual(['halt relay', 'halt worker', 'stop server', 'stop consumer', 'stop pool']);
    expect(s.signal.aborted).toBe(true);
    expect(s.run()).toBe(s.run());
  });
});

describe('refuseAfter', () => {
  it('passes calls through until the signal, then refuses them with a TransientError (close still works)', async () => {
    const stop = new AbortController();
    let closed = false;
    const target = refuseAfter(
      { write: async (n: number) => n * 2, close: () => void (closed = true) },
      stop.signal,
      'Odoo',
    );
    expect(await target.write(2)).toBe(4);
    stop.abort();
    await expect(target.write(2)).rejects.toBeInstanceOf(TransientError);
    target.close();
    expect(closed).toBe(true);
  });
});
