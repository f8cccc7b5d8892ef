// What a burst costs Odoo, not a test: 2,000 paid-order webhooks are queued first (api + relay), then a
// consumer starts on the full queue, against an Odoo simulator with a default Odoo 17's database pool
// (db_maxconn 64; a call holds a connection for ODOO_LATENCY_MS). Prints Odoo calls per enrolled event,
// the peak of concurrent Odoo calls and the HTTP 500 PoolError answers (target 0), with ODOO_MAX_CONCURRENCY
// at its default and, as the same-run baseline, with the limit lifted (the fan-out of before).
//   npm run bench -- --only odoo-load        (BENCH_ODOO_EVENTS=N overrides the burst size)
import { deleteQueues } from '../src/demo/environment';
import { startService, type Service } from '../src/service';
import { silentLogger } from '../src/observability/logger';
import { benchConfig } from './e2e.bench';
import { BENCH_SECRET } from './intake-server-child';
import { createClient, paidDelivery } from './load';
import type { LmsStats, OdooLoad, SimsReady } from './sims-child';
import {
  createBenchDb,
  exposeMigrations,
  fmt,
  machineLine,
  runAsMain,
  startChild,
  waitUntil,
  type BenchResult,
  type Child,
  type Figure,
} from './support';

const EVENTS = Number(process.env.BENCH_ODOO_EVENTS ?? 2_000);
const DB_MAXCONN = 64;
const ODOO_LATENCY_MS = 50;
const LIFTED = 500;
const SEND_CONCURRENCY = 32;
const STAGE_TIMEOUT_MS = 180_000; // per stage: the bench stops waiting after this, whatever N

interface StageFigures {
  maxConcurrency: number;
  enrolled: number;
  duplicates: number;
  load: OdooLoad;
  seconds: number;
}

/** Queues the burst through the API and the relay, then lets one consumer work it off. */
async function stage(
  sims: Child<SimsReady>,
  orders: Array<{ id: number; name: string }>,
  maxConcurrency: number | undefined,
): Promise<StageFigures> {
  const db = await createBenchDb('odoo-load');
  const defaults = benchConfig(db.url, sims.ready);
  const config = { ...defaults, ODOO_MAX_CONCURRENCY: maxConcurrency ?? defaults.ODOO_MAX_CONCURRENCY };
  const services: Service[] = [];
  try {
    const intake = await startService(config, { log: silentLogger(), roles: ['api', 'relay'] });
    services.push(intake);
    const client = createClient(`http://127.0.0.1:${intake.port}`, SEND_CONCURRENCY);
    const sent = await client.flood(
      orders.map((o) => paidDelivery(BENCH_SECRET, o.id, o.name)),
      0,
      STAGE_TIMEOUT_MS,
    );
    client.close();
    const accepted = sent.byStatus['202'] ?? 0;
    await waitUntil(async () => (await unpublished(intake)) === 0, STAGE_TIMEOUT_MS);
    const before = await sims.ask<LmsStats>('lmsStats');
    await sims.ask('resetOdooLoad');
    const t0 = performance.now();
    services.push(await startService(config, { log: silentLogger(), roles: ['consumer'] }));
    const after = await waitUntil(
      async () => {
        const s = await sims.ask<LmsStats>('lmsStats');
        return s.creations - before.creations >= accepted ? s : null;
      },
      STAGE_TIMEOUT_MS,
      200,
    );
    const seconds = (performance.now() - t0) / 1000;
    const final = after ?? (await sims.ask<LmsStats>('lmsStats'));
    return {
      maxConcurrency: config.ODOO_MAX_CONCURRENCY,
      enrolled: final.creations - before.creations,
      duplicates: final.duplicates,
      load: await sims.ask<OdooLoad>('odooLoad'),
      seconds,
    };
  } finally {
    for (const s of services.reverse()) await s.stop();
    await deleteQueues(config).catch((err: Error) =>
      console.log(`could not delete the queues: ${err.message}`),
    );
    await db.drop();
  }
}

async function unpublished(service: Service): Promise<number> {
  const { rows } = await service.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
  );
  return rows[0]!.n;
}

function print(name: string, s: StageFigures): void {
  console.log(
    `${name} (ODOO_MAX_CONCURRENCY ${s.maxConcurrency}): ${fmt(s.enrolled)} of ${fmt(EVENTS)} enrolled in ${s.seconds.toFixed(1)} s; ` +
      `${(s.load.calls / Math.max(1, s.enrolled)).toFixed(2)} Odoo calls per enrolled event, peak ${s.load.peakInFlight} ` +
      `concurrent Odoo calls, ${fmt(s.load.poolFullAnswers)} HTTP 500 PoolError answers`,
  );
}

export async function main(): Promise<BenchResult> {
  console.log(machineLine());
  exposeMigrations();
  const sims = await startChild<SimsReady>('sims-child.js', [
    ...['--paid', String(EVENTS * 2)],
    ...['--db-maxconn', String(DB_MAXCONN), '--odoo-latency', String(ODOO_LATENCY_MS)],
  ]);
  try {
    console.log(
      `Odoo simulator: db_maxconn ${DB_MAXCONN}, ${ODOO_LATENCY_MS} ms per call; burst of ${fmt(EVENTS)}`,
    );
    const orders = sims.ready.paidOrders;
    const limited = await stage(sims, orders.slice(0, EVENTS), undefined);
    print('default limit', limited);
    const lifted = await stage(sims, orders.slice(EVENTS), LIFTED);
    print('limit lifted (baseline)', lifted);
    const figures: Figure[] = [
      {
        figure: 'odoo calls per enrolled event (burst)',
        value: `${(limited.load.calls / Math.max(1, limited.enrolled)).toFixed(2)} (lifted: ${(lifted.load.calls / Math.max(1, lifted.enrolled)).toFixed(2)})`,
        target: '',
        pass: null,
      },
      {
        figure: 'peak concurrent odoo calls (burst)',
        value: `${limited.load.peakInFlight} (lifted: ${lifted.load.peakInFlight})`,
        target: `≤ ODOO_MAX_CONCURRENCY (${limited.maxConcurrency})`,
        pass: limited.load.peakInFlight <= limited.maxConcurrency,
      },
      {
        figure: 'odoo 5xx answers (burst)',
        value: `${fmt(limited.load.poolFullAnswers)} (lifted: ${fmt(lifted.load.poolFullAnswers)})`,
        target: '0',
        pass: limited.load.poolFullAnswers === 0,
      },
    ];
    const correct = limited.enrolled === EVENTS && limited.duplicates === 0;
    return { name: 'odoo-load', correct, figures };
  } finally {
    await sims.stop();
  }
}

if (require.main === module) runAsMain(main);
