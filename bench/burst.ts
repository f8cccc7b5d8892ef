// A burst the way a sale campaign makes one: N paid-order webhooks are queued first (api + relay), then
// a consumer starts on the full queue. Counted at the Odoo simulator (calls, peak concurrency, PoolError
// answers) and, when asked, in PostgreSQL (pg_stat_database.xact_commit of the bench's database).
// Shared by the e2e and odoo-load benchmarks.
import { Pool } from 'pg';
import type { Config } from '../src/config';
import { silentLogger } from '../src/observability/logger';
import { startService, type Service } from '../src/service';
import { BENCH_SECRET } from './intake-server-child';
import { createClient, paidDelivery } from './load';
import type { LmsStats, OdooLoad, SimsReady } from './sims-child';
import { sleep, waitUntil, type Child } from './support';

const SEND_CONCURRENCY = 32;

/**
 * PostgreSQL 15 backends flush their statistics at most once a second, an idle one after 10 s: a
 * pg_stat_database reading is complete only that long after the last commit it should count.
 */
export const STATS_FLUSH_MS = 11_000;

export interface BurstFigures {
  accepted: number;
  enrolled: number;
  duplicates: number;
  load: OdooLoad;
  /** from the consumer's start to the last enrollment */
  seconds: number;
  /** every commit of the burst (intake, relay, consumer) per enrolled event; NaN when not counted */
  commitsPerEvent: number;
}

async function commits(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    'SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()',
  );
  return Number(rows[0]?.n ?? 0);
}

async function unpublished(service: Service): Promise<number> {
  const { rows } = await service.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
  );
  return rows[0]!.n;
}

export async function queuedBurst(
  config: Config,
  sims: Child<SimsReady>,
  orders: Array<{ id: number; name: string }>,
  options: {
    timeoutMs: number;
    countCommits: boolean;
    /** xact_commit read when the database was last idle and flushed (the previous burst's end) */
    commitsBefore?: number;
  },
): Promise<BurstFigures & { commitsAfter: number }> {
  const { timeoutMs, countCommits } = options;
  const stats = countCommits ? new Pool({ connectionString: config.DATABASE_URL, max: 1 }) : null;
  const services: Service[] = [];
  try {
    if (stats && options.commitsBefore === undefined) await sleep(STATS_FLUSH_MS);
    const commits0 = options.commitsBefore ?? (stats ? await commits(stats) : 0);
    const intake = await startService(config, { log: silentLogger(), roles: ['api', 'relay'] });
    services.push(intake);
    const client = createClient(`http://127.0.0.1:${intake.port}`, SEND_CONCURRENCY);
    const sent = await client.flood(
      orders.map((o) => paidDelivery(BENCH_SECRET, o.id, o.name)),
      0,
      timeoutMs,
    );
    client.close();
    const accepted = sent.byStatus['202'] ?? 0;
    await waitUntil(async () => (await unpublished(intake)) === 0, timeoutMs);
    const before = await sims.ask<LmsStats>('lmsStats');
    await sims.ask('resetOdooLoad');
    const t0 = performance.now();
    services.push(await startService(config, { log: silentLogger(), roles: ['consumer'] }));
    const after = await waitUntil(
      async () => {
        const s = await sims.ask<LmsStats>('lmsStats');
        return s.creations - before.creations >= accepted ? s : null;
      },
      timeoutMs,
      100,
    );
    const seconds = (performance.now() - t0) / 1000;
    const final = after ?? (await sims.ask<LmsStats>('lmsStats'));
    const load = await sims.ask<OdooLoad>('odooLoad');
    const enrolled = final.creations - before.creations;
    // the last consumed_messages rows land after the LMS call; the services stop before the count
    await sleep(500);
    for (const s of services.splice(0).reverse()) await s.stop();
    let commitsPerEvent = NaN;
    let commitsAfter = NaN;
    if (stats) {
      await sleep(STATS_FLUSH_MS);
      commitsAfter = await commits(stats);
      commitsPerEvent = (commitsAfter - commits0) / Math.max(1, enrolled);
    }
    return { accepted, enrolled, duplicates: final.duplicates, load, seconds, commitsPerEvent, commitsAfter };
  } finally {
    for (const s of services.reverse()) await s.stop();
    await stats?.end();
  }
}
