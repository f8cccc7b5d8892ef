import { createOutboxWakeup } from '../../../src/outbox/wakeup';
import { silentLogger } from '../../../src/observability/logger';

type Pool = Parameters<typeof createOutboxWakeup>[0]['pool'];

function fakePool() {
  const queries: string[] = [];
  return { queries, pool: { query: async (sql: string) => void queries.push(sql) } as unknown as Pool };
}

describe('outbox wakeup', () => {
  it('wakes the local relay at once and sends one NOTIFY per burst, outside the delivery', async () => {
    const { queries, pool } = fakePool();
    let local = 0;
    const wakeup = createOutboxWakeup({
      pool,
      log: silentLogger(),
      localWake: () => local++,
      debounceMs: 20,
    });
    for (let i = 0; i < 100; i++) wakeup.poke();
    expect(local).toBe(100);
    expect(queries).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(queries).toEqual([expect.stringContaining('pg_notify')]);
    wakeup.poke();
    await new Promise((r) => setTimeout(r, 60));
    expect(queries).toHaveLength(2);
    wakeup.stop();
  });

  it('sends nothing after stop', async () => {
    const { queries, pool } = fakePool();
    const wakeup = createOutboxWakeup({ pool, log: silentLogger(), debounceMs: 20 });
    wakeup.poke();
    wakeup.stop();
    await new Promise((r) => setTimeout(r, 60));
    expect(queries).toHaveLength(0);
  });
});
