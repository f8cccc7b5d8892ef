// The retry ladder against a struggling LMS, not a test: the whole service with the default
// RETRY_DELAYS_MS (5 s, 30 s, 2 min, …), an LMS simulator that answers 503 to a fifth of its calls, and
// 1,000 paid-order webhooks at a steady 25/s. Target: every event enrolled within 60 s of its acceptance,
// with few LMS calls per event (the retries a failure costs, not a storm). Stops waiting after 120 s.
//   npm run bench -- --only lms-retry
import { deleteQueues } from '../src/demo/environment';
import { silentLogger } from '../src/observability/logger';
import { startService, type Service } from '../src/service';
import { benchConfig } from './e2e.bench';
import { BENCH_SECRET } from './intake-server-child';
import { createClient, paidDelivery } from './load';
import type { LmsStats, SimsReady } from './sims-child';
import {
  createBenchDb,
  exposeMigrations,
  fmt,
  machineLine,
  runAsMain,
  startChild,
  waitUntil,
  type BenchResult,
} from './support';

const EVENTS = 1_000;
const RATE = 25;
const FAIL_RATE = 0.2;
const TARGET_S = 60;
const WAIT_AFTER_MS = 120_000;

async function finished(service: Service) {
  const { rows } = await service.pool.query<{ n: number; max_s: number | null; p99_s: number | null }>(
    `SELECT count(*)::int AS n,
            EXTRACT(EPOCH FROM max(c.finished_at - d.received_at))::float8 AS max_s,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM c.finished_at - d.received_at))::float8 AS p99_s
       FROM webhook_deliveries d JOIN consumed_messages c ON c.event_id = d.event_id AND c.outcome = 'done'`,
  );
  return rows[0]!;
}

export async function main(): Promise<BenchResult> {
  console.log(machineLine());
  exposeMigrations();
  const sims = await startChild<SimsReady>('sims-child.js', [
    ...['--paid', String(EVENTS)],
    ...['--lms-fail-rate', String(FAIL_RATE)],
  ]);
  const db = await createBenchDb('lms_retry');
  // the service's own ladder, not the benchmarks' fast one
  const config = benchConfig(db.url, sims.ready, { RETRY_DELAYS_MS: undefined });
  let service: Service | null = null;
  try {
    console.log(
      `LMS failing ${FAIL_RATE * 100}% of calls (503); ${fmt(EVENTS)} webhooks at ${RATE}/s; RETRY_DELAYS_MS ${config.RETRY_DELAYS_MS.join(',')}`,
    );
    service = await startService(config, { log: silentLogger() });
    const client = createClient(`http://127.0.0.1:${service.port}`, 8);
    const t0 = performance.now();
    const load = await client.paced(
      sims.ready.paidOrders.map((o) => paidDelivery(BENCH_SECRET, o.id, o.name)),
      RATE,
    );
    client.close();
    const accepted = load.byStatus['202'] ?? 0;
    const svc = service;
    await waitUntil(async () => (await finished(svc)).n >= accepted, WAIT_AFTER_MS, 500);
    const allMs = performance.now() - t0;
    const f = await finished(service);
    const lms = await sims.ask<LmsStats>('lmsStats');
    const missing = accepted - f.n;
    const maxS = f.max_s ?? NaN;
    const callsPerEvent = lms.enrollCalls / Math.max(1, accepted);
    console.log(
      `${fmt(accepted)} accepted; ${fmt(f.n)} enrolled ${missing ? `(${missing} still missing) ` : ''}after ${fmt(allMs / 1000, 1)} s; ` +
        `accept→enrolled p99 ${fmt(f.p99_s ?? NaN, 1)} s, max ${fmt(maxS, 1)} s; ${fmt(lms.enrollCalls)} LMS enroll calls ` +
        `(${callsPerEvent.toFixed(2)} per event; ${lms.duplicates} duplicated)`,
    );
    return {
      name: 'lms-retry',
      correct: lms.duplicates === 0 && load.sent === accepted,
      figures: [
        {
          name: 'LMS 20% failing: events missing after wait',
          value: missing,
          unit: 'events',
          target: '0',
          pass: missing === 0,
        },
        {
          name: 'LMS 20% failing: max accept→enrolled',
          value: Math.round(maxS * 10) / 10,
          unit: 's',
          target: `≤ ${TARGET_S} s`,
          pass: missing === 0 && maxS <= TARGET_S,
        },
        {
          name: 'LMS 20% failing: p99 accept→enrolled',
          value: Math.round((f.p99_s ?? NaN) * 10) / 10,
          unit: 's',
          target: '',
          pass: null,
        },
        {
          name: 'LMS 20% failing: enroll calls per event',
          value: Math.round(callsPerEvent * 100) / 100,
          unit: 'calls',
          target: '≤ 1.5 (no storm)',
          pass: callsPerEvent <= 1.5,
        },
      ],
    };
  } finally {
    await service?.stop();
    await sims.stop();
    await deleteQueues(config).catch((err: Error) =>
      console.log(`could not delete the queues: ${err.message}`),
    );
    await db.drop();
  }
}

if (require.main === module) runAsMain(main);
