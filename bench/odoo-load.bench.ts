// What a burst costs Odoo, not a test: 2,000 paid-order webhooks are queued first (api + relay), then a
// consumer starts on the full queue, against an Odoo simulator with a default Odoo 17's database pool
// (db_maxconn 64; a call holds a connection for ODOO_LATENCY_MS). Prints Odoo calls per enrolled event,
// the peak of concurrent Odoo calls and the HTTP 500 PoolError answers (target 0), with ODOO_MAX_CONCURRENCY
// at its default and, as the same-run baseline, with the limit lifted (the fan-out of before).
//   npm run bench -- --only odoo-load        (BENCH_ODOO_EVENTS=N overrides the burst size)
import { deleteQueues } from '../src/demo/environment';
import { queuedBurst, type BurstFigures } from './burst';
import { benchConfig } from './e2e.bench';
import type { SimsReady } from './sims-child';
import {
  createBenchDb,
  exposeMigrations,
  fmt,
  machineLine,
  runAsMain,
  startChild,
  type BenchResult,
  type Child,
  type Figure,
} from './support';

const EVENTS = Number(process.env.BENCH_ODOO_EVENTS ?? 2_000);
const DB_MAXCONN = 64;
const ODOO_LATENCY_MS = 50;
const LIFTED = 500;
const STAGE_TIMEOUT_MS = 180_000; // per stage: the bench stops waiting after this, whatever N

interface StageFigures extends BurstFigures {
  maxConcurrency: number;
}

/** Queues the burst through the API and the relay, then lets one consumer work it off (fresh database). */
async function stage(
  sims: Child<SimsReady>,
  orders: Array<{ id: number; name: string }>,
  maxConcurrency: number | undefined,
): Promise<StageFigures> {
  const db = await createBenchDb('odoo-load');
  const defaults = benchConfig(db.url, sims.ready);
  const config = { ...defaults, ODOO_MAX_CONCURRENCY: maxConcurrency ?? defaults.ODOO_MAX_CONCURRENCY };
  try {
    const figures = await queuedBurst(config, sims, orders, {
      timeoutMs: STAGE_TIMEOUT_MS,
      countCommits: false,
    });
    return { ...figures, maxConcurrency: config.ODOO_MAX_CONCURRENCY };
  } finally {
    await deleteQueues(config).catch((err: Error) =>
      console.log(`could not delete the queues: ${err.message}`),
    );
    await db.drop();
  }
}

function print(name: string, s: StageFigures): void {
  console.log(
    `${name} (ODOO_MAX_CONCURRENCY ${s.maxConcurrency}): ${fmt(s.enrolled)} of ${fmt(EVENTS)} enrolled in ${s.seconds.toFixed(1)} s; ` +
      `${(s.load.calls / Math.max(1, s.enrolled)).toFixed(2)} Odoo calls per enrolled event, peak ${s.load.peakInFlight} ` +
      `concurrent Odoo calls, ${fmt(s.load.poolFullAnswers)} HTTP 500 PoolError answers`,
  );
  const byMethod = Object.entries(s.load.byMethod).sort((a, b) => b[1] - a[1]);
  console.log(`  calls by method: ${byMethod.map(([m, n]) => `${m} ${n}`).join(', ')}`);
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
    const perEvent = (f: StageFigures) => f.load.calls / Math.max(1, f.enrolled);
    const figures: Figure[] = [
      {
        name: 'odoo-load calls per enrolled event (50 ms Odoo)',
        value: Math.round(perEvent(limited) * 1000) / 1000,
        unit: 'calls',
        shown: `${perEvent(limited).toFixed(3)} (lifted: ${perEvent(lifted).toFixed(3)})`,
        target: '',
        pass: null,
      },
      {
        name: 'odoo-load peak concurrent Odoo calls',
        value: limited.load.peakInFlight,
        unit: 'calls',
        shown: `${limited.load.peakInFlight} (lifted: ${lifted.load.peakInFlight})`,
        target: `≤ ODOO_MAX_CONCURRENCY (${limited.maxConcurrency})`,
        pass: limited.load.peakInFlight <= limited.maxConcurrency,
      },
      {
        name: 'odoo-load Odoo 5xx (PoolError)',
        value: limited.load.poolFullAnswers,
        unit: 'answers',
        shown: `${fmt(limited.load.poolFullAnswers)} (lifted: ${fmt(lifted.load.poolFullAnswers)})`,
        target: '0',
        pass: limited.load.poolFullAnswers === 0,
      },
      {
        name: 'odoo-load burst drained in',
        value: Math.round(limited.seconds * 10) / 10,
        unit: 's',
        shown: `${limited.seconds.toFixed(1)} s (lifted: ${lifted.seconds.toFixed(1)} s)`,
        target: '',
        pass: null,
      },
    ];
    const correct = limited.enrolled === EVENTS && limited.duplicates === 0;
    return { name: 'odoo-load', correct, figures };
  } finally {
    await sims.stop();
  }
}

if (require.main === module) runAsMain(main);
