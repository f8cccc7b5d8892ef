// End-to-end benchmark, not a test: the whole service (startService, all roles) on a fresh database and
// QUEUE_PREFIX, the Odoo and LMS simulators in a child process, the Odoo simulator with a default Odoo
// 17's database pool (db_maxconn 64) and ODOO_MAX_CONCURRENCY at its default. (a) throughput: N paid
// orders' webhooks accepted as fast as they come, events/s drained into the LMS; (b) latency: a steady
// 300 events/s, accept→enrolled percentiles; (c) a burst of 2,000 events, three times: Odoo calls per
// enrolled event, peak concurrent Odoo calls, Odoo 5xx, PostgreSQL commits per event, and RSS after each
// run (garbage collected first: it must not grow). Checks zero lost and zero duplicated enrollments.
// Targets: ≥ 1,500 events/s; p99 ≤ 250 ms at 300/s; ≤ 0.05 Odoo calls and ≤ 1.5 commits per event.
//   npm run bench -- --only e2e        (BENCH_E2E_EVENTS=N overrides the throughput count)
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../src/config';
import { deleteQueues } from '../src/demo/environment';
import { createLmsAdapter, lmsConnection } from '../src/lms';
import type { LmsAdapter } from '../src/lms/adapter';
import { startService, type Service } from '../src/service';
import { silentLogger } from '../src/observability/logger';
import { createOdooGateway } from '../src/odoo/transport-gateway';
import type { OdooTransport } from '../src/odoo/transport';
import { xmlRpcTransportFromConfig } from '../src/odoo/xmlrpc-transport';
import { createOdooOrderLines } from '../src/reconcile/odoo-order-lines';
import { queuedBurst } from './burst';
import { BENCH_SECRET } from './intake-server-child';
import { createClient, paidDelivery } from './load';
import { LMS_TOKEN, SIM_CREDS, type CpuStats, type LmsStats, type SimsReady } from './sims-child';
import {
  AMQP_URL,
  createBenchDb,
  exposeMigrations,
  fmt,
  machineLine,
  sleep,
  startChild,
  waitUntil,
  runAsMain,
  type BenchResult,
  type Child,
  type Figure,
} from './support';

const THROUGHPUT_EVENTS = Number(process.env.BENCH_E2E_EVENTS ?? 20_000);
const RATE = 300;
const LATENCY_SECONDS = 20;
const LATENCY_EVENTS = RATE * LATENCY_SECONDS;
const CONCURRENCY = 32;
const FLOOD_MS = 20_000; // the throughput stage stops sending after this, whatever N
const DRAIN_TIMEOUT_MS = 60_000; // per stage, and once more at the end before counting
const TARGET_EPS = 1_500;
const TARGET_P99_MS = 250;
const BURST_EVENTS = 2_000;
const BURST_RUNS = 3;
const DB_MAXCONN = 64; // a default Odoo 17's db_maxconn
const TARGET_CALLS_PER_EVENT = 0.05;
const TARGET_COMMITS_PER_EVENT = 1.5;
/** RSS after the third burst may exceed the first's by this much before it counts as growth. */
const RSS_SLACK_MB = 20;
const BURST_TIMEOUT_MS = 120_000;

/** Wall time spent inside calls, by name: where an event's time goes (latency, not CPU). */
class CallTimes {
  readonly byName = new Map<string, { calls: number; ms: number }>();

  wrap<T extends object>(target: T, label: (prop: string, args: unknown[]) => string): T {
    return new Proxy(target, {
      get: (obj, prop, receiver) => {
        const value = Reflect.get(obj, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const t0 = performance.now();
          const result = (value as (...a: unknown[]) => unknown).apply(obj, args);
          if (!(result instanceof Promise)) return result;
          const name = label(String(prop), args);
          return result.finally(() => this.add(name, performance.now() - t0));
        };
      },
    });
  }

  add(name: string, ms: number): void {
    const s = this.byName.get(name) ?? { calls: 0, ms: 0 };
    s.calls++;
    s.ms += ms;
    this.byName.set(name, s);
  }

  reset(): void {
    this.byName.clear();
  }

  print(events: number): void {
    const rows = [...this.byName].sort((a, b) => b[1].ms - a[1].ms);
    let total = 0;
    for (const [name, s] of rows) {
      total += s.ms;
      console.log(
        `    ${name.padEnd(36)} ${(s.calls / events).toFixed(2)} calls/event, ` +
          `${(s.ms / s.calls).toFixed(2)} ms/call, ${(s.ms / events).toFixed(2)} ms/event`,
      );
    }
    console.log(
      `    ${'total in Odoo + LMS calls'.padEnd(36)} ${(total / events).toFixed(2)} ms/event (wall, overlapping)`,
    );
  }
}

/** `env` adds to or overrides the settings below (undefined: the service's default). */
export function benchConfig(dbUrl: string, sims: SimsReady, env: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({
    DATABASE_URL: dbUrl,
    AMQP_URL,
    PORT: '0',
    HOST: '127.0.0.1',
    WEBHOOK_SECRETS: BENCH_SECRET,
    ADMIN_TOKEN: randomBytes(24).toString('hex'),
    ODOO_URL: sims.odooUrl,
    ODOO_DB: SIM_CREDS.db,
    ODOO_USERNAME: SIM_CREDS.username,
    ODOO_API_KEY: SIM_CREDS.apiKey,
    LMS_BASE_URL: sims.lmsUrl,
    LMS_API_TOKEN: LMS_TOKEN,
    QUEUE_PREFIX: `lms-sync-bench-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
    RETRY_DELAYS_MS: '200,400,800,1600,3200',
    RECONCILE_CRON: '0 2 1 1 *', // once a year: not during the benchmark
    LOG_LEVEL: 'error',
    ...env,
  });
}

/** The clients startService would build, wrapped in timers (same objects, same settings). */
function timedClients(config: Config, times: CallTimes) {
  const log = silentLogger();
  const raw = xmlRpcTransportFromConfig(config, log);
  const transport: OdooTransport = times.wrap(raw, (prop, args) =>
    prop === 'executeKw' ? `odoo ${String(args[0])}.${String(args[1])}` : `odoo ${prop}`,
  );
  const rawLms = createLmsAdapter(lmsConnection(config), log);
  const lms: LmsAdapter = times.wrap(rawLms, (prop) => `lms ${prop}`);
  return {
    odoo: {
      transport,
      gateway: createOdooGateway({ transport, log, courseCategory: config.COURSE_CATEGORY }),
      orderLines: createOdooOrderLines({ transport, log, courseCategory: config.COURSE_CATEGORY }),
    },
    lms,
    close() {
      raw.close();
      rawLms.close();
    },
  };
}

interface Stage {
  accepted: number;
  others: number;
  eventsPerS: number;
  acceptPerS: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  drained: boolean;
}

async function commits(service: Service): Promise<number> {
  const { rows } = await service.pool.query<{ n: string }>(
    'SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()',
  );
  return Number(rows[0]?.n ?? 0);
}

async function stageFigures(
  service: Service,
  since: Date,
  events: number,
): Promise<Omit<Stage, 'accepted' | 'others' | 'acceptPerS' | 'drained'>> {
  // The LMS creation comes before consumed_messages is written: wait for the last rows too.
  await waitUntil(
    async () =>
      (
        await service.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM webhook_deliveries d JOIN consumed_messages c ON c.event_id = d.event_id
            WHERE d.received_at >= $1`,
          [since],
        )
      ).rows[0]!.n >= events,
    10_000,
  );
  const { rows } = await service.pool.query<{
    n: number;
    span_ms: number;
    p50: number;
    p95: number;
    p99: number;
    max: number;
  }>(
    `SELECT count(*)::int AS n,
            EXTRACT(EPOCH FROM max(c.finished_at) - min(d.received_at)) * 1000 AS span_ms,
            percentile_cont(0.50) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM c.finished_at - d.received_at) * 1000) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM c.finished_at - d.received_at) * 1000) AS p95,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM c.finished_at - d.received_at) * 1000) AS p99,
            EXTRACT(EPOCH FROM max(c.finished_at - d.received_at)) * 1000 AS max
       FROM webhook_deliveries d JOIN consumed_messages c ON c.event_id = d.event_id
      WHERE d.received_at >= $1 AND c.outcome = 'done'`,
    [since],
  );
  const r = rows[0]!;
  if (r.n !== events) console.log(`  (${r.n} of ${events} events finished: figures are over those)`);
  return { eventsPerS: (r.n / Number(r.span_ms)) * 1000, p50: r.p50, p95: r.p95, p99: r.p99, max: r.max };
}

async function drain(sims: Child<SimsReady>, creations: number): Promise<boolean> {
  const stats = await waitUntil(
    async () => (await sims.ask<LmsStats>('lmsStats')).creations >= creations,
    DRAIN_TIMEOUT_MS,
    100,
  );
  return stats;
}

async function stage(
  name: string,
  service: Service,
  sims: Child<SimsReady>,
  orders: Array<{ id: number; name: string }>,
  mode: 'flood' | 'paced',
  times: CallTimes,
): Promise<Stage> {
  const list = orders.map((o) => paidDelivery(BENCH_SECRET, o.id, o.name));
  const client = createClient(`http://127.0.0.1:${service.port}`, CONCURRENCY);
  times.reset();
  const creationsBefore = (await sims.ask<LmsStats>('lmsStats')).creations;
  await sims.ask('resetCpu');
  const cpu0 = process.cpuUsage();
  const commits0 = await commits(service);
  const since = new Date(Date.now() - 5); // received_at is the DB clock on the same host
  const t0 = performance.now();
  const load = mode === 'flood' ? await client.flood(list, 0, FLOOD_MS) : await client.paced(list, RATE);
  client.close();
  const drained = await drain(sims, creationsBefore + (load.byStatus['202'] ?? 0));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const simCpu = await sims.ask<CpuStats>('cpu');
  const accepted = load.byStatus['202'] ?? 0;
  const commitsPerEvent = ((await commits(service)) - commits0) / Math.max(1, accepted);
  const f = await stageFigures(service, since, load.byStatus['202'] ?? 0);
  const acceptPerS = (load.sent / load.ms) * 1000;
  console.log(
    `${name}: ${fmt(load.sent)} of ${fmt(orders.length)} webhooks sent in ${fmt(load.ms)} ms (${fmt(acceptPerS)}/s accepted, answers ` +
      `${JSON.stringify(load.byStatus)}); ${drained ? 'drained' : 'NOT drained'} after ${fmt(wallMs)} ms`,
  );
  console.log(
    `  drained ${fmt(f.eventsPerS)} events/s (first accept → last enrolled); accept→enrolled ` +
      `p50 ${fmt(f.p50)} ms, p95 ${fmt(f.p95)} ms, p99 ${fmt(f.p99)} ms, max ${fmt(f.max)} ms`,
  );
  console.log(
    `  cpu: service ${fmt(((cpu.user + cpu.system) / 1000 / wallMs) * 100)}% of a core ` +
      `(${((cpu.user + cpu.system) / 1000 / Math.max(1, accepted)).toFixed(2)} ms/event), simulators ` +
      `${fmt(((simCpu.userMs + simCpu.systemMs) / wallMs) * 100)}% (${((simCpu.userMs + simCpu.systemMs) / Math.max(1, accepted)).toFixed(2)} ms/event)`,
  );
  console.log(
    `  PostgreSQL: ${commitsPerEvent.toFixed(1)} commits per event (pg_stat_database.xact_commit, all roles)`,
  );
  console.log('  where an event waits (wall time inside calls, per event):');
  times.print(Math.max(1, accepted));
  return { ...f, accepted, others: load.sent - accepted, acceptPerS, drained };
}

interface Burst {
  enrolled: number;
  duplicates: number;
  odooCalls: number;
  peakOdooCalls: number;
  odoo5xx: number;
  commitsPerEvent: number;
  seconds: number;
  rssMb: number;
  heapMb: number;
}

/** What the process holds once garbage is collected (bench/index.ts runs this one with --expose-gc). */
async function settledMemory(): Promise<{ rssMb: number; heapMb: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await sleep(200); // finalizers, closed sockets
  gc?.();
  const m = process.memoryUsage();
  return { rssMb: m.rss / 1024 / 1024, heapMb: m.heapUsed / 1024 / 1024 };
}

/** (c) The burst runs, one after the other, in this process: queued first, then a consumer. */
async function bursts(config: Config, sims: Child<SimsReady>, orders: Array<{ id: number; name: string }>) {
  const runs: Burst[] = [];
  const memBefore = await settledMemory();
  let commitsBefore: number | undefined;
  for (let run = 0; run < BURST_RUNS; run++) {
    const r = await queuedBurst(config, sims, orders.slice(run * BURST_EVENTS, (run + 1) * BURST_EVENTS), {
      timeoutMs: BURST_TIMEOUT_MS,
      countCommits: true,
      commitsBefore,
    });
    commitsBefore = r.commitsAfter;
    const b: Burst = {
      enrolled: r.enrolled,
      duplicates: r.duplicates,
      odooCalls: r.load.calls,
      peakOdooCalls: r.load.peakInFlight,
      odoo5xx: r.load.poolFullAnswers,
      commitsPerEvent: r.commitsPerEvent,
      seconds: r.seconds,
      ...(await settledMemory()),
    };
    console.log(
      `(c) burst ${run + 1} of ${BURST_RUNS}: ${fmt(b.enrolled)} of ${fmt(BURST_EVENTS)} enrolled in ${b.seconds.toFixed(1)} s ` +
        `(queued first, then one consumer); ${(b.odooCalls / Math.max(1, b.enrolled)).toFixed(3)} Odoo calls per event ` +
        `(${fmt(b.odooCalls)} calls), peak ${b.peakOdooCalls} concurrent, ${b.odoo5xx} Odoo 5xx; ` +
        `${b.commitsPerEvent.toFixed(2)} PG commits per event; RSS after ${fmt(b.rssMb)} MB, heap ${fmt(b.heapMb)} MB (before the bursts ${fmt(memBefore.rssMb)} / ${fmt(memBefore.heapMb)} MB)`,
    );
    runs.push(b);
  }
  return runs;
}

export async function main(): Promise<BenchResult> {
  console.log(machineLine());
  exposeMigrations();
  const total = THROUGHPUT_EVENTS + LATENCY_EVENTS + BURST_EVENTS * BURST_RUNS;
  const sims = await startChild<SimsReady>('sims-child.js', [
    ...['--paid', String(total)],
    ...['--db-maxconn', String(DB_MAXCONN)],
  ]);
  const db = await createBenchDb('e2e');
  const config = benchConfig(db.url, sims.ready);
  const times = new CallTimes();
  const clients = timedClients(config, times);
  let service: Service | null = null;
  try {
    console.log(
      `simulators seeded with ${fmt(total)} paid orders in ${fmt(sims.ready.seedMs)} ms (child process)`,
    );
    service = await startService(config, { log: silentLogger(), odoo: clients.odoo, lms: clients.lms });
    const orders = sims.ready.paidOrders;
    const a = await stage(
      '(a) throughput',
      service,
      sims,
      orders.slice(0, THROUGHPUT_EVENTS),
      'flood',
      times,
    );
    await sleep(500);
    const b = await stage(
      '(b) latency at 300/s',
      service,
      sims,
      orders.slice(THROUGHPUT_EVENTS, THROUGHPUT_EVENTS + LATENCY_EVENTS),
      'paced',
      times,
    );
    const accepted = a.accepted + b.accepted;
    const drainedAb = await drain(sims, accepted);
    // the bursts have consumers of their own: this service's would take their messages
    await service.stop();
    service = null;
    const runs = await bursts(config, sims, orders.slice(THROUGHPUT_EVENTS + LATENCY_EVENTS));
    const burstEnrolled = runs.reduce((n, r) => n + r.enrolled, 0);
    const drained = drainedAb && (await drain(sims, accepted + burstEnrolled));
    const lms = await sims.ask<LmsStats>('lmsStats');
    const lost = accepted + BURST_EVENTS * BURST_RUNS - lms.enrollments;
    const correct =
      drained &&
      lost === 0 &&
      burstEnrolled === BURST_EVENTS * BURST_RUNS &&
      lms.duplicates === 0 &&
      lms.creations === accepted + burstEnrolled &&
      a.others + b.others === 0;
    console.log(
      `LMS: ${fmt(lms.enrollments)} enrollments for ${fmt(accepted)} accepted webhooks + ${fmt(burstEnrolled)} burst events, ` +
        `${fmt(lms.creations)} creations, ` +
        `${lms.duplicates} duplicated, ${fmt(lms.enrollCalls)} PUT calls; lost ${lost}: ${correct ? 'OK' : 'MISMATCH'}`,
    );
    const first = runs[0]!;
    const last = runs[runs.length - 1]!;
    const callsPerEvent = last.odooCalls / Math.max(1, last.enrolled);
    const peak = Math.max(...runs.map((r) => r.peakOdooCalls));
    const odoo5xx = runs.reduce((n, r) => n + r.odoo5xx, 0);
    const growthMb = last.rssMb - first.rssMb;
    const figures: Figure[] = [
      {
        name: 'e2e accept rate (flood)',
        value: Math.round(a.acceptPerS),
        unit: '/s',
        target: '',
        pass: null,
      },
      {
        name: 'e2e drained into LMS',
        value: Math.round(a.eventsPerS),
        unit: 'events/s',
        target: `≥ ${fmt(TARGET_EPS)}/s`,
        pass: a.eventsPerS >= TARGET_EPS,
      },
      { name: 'e2e p50 at 300/s', value: Math.round(b.p50), unit: 'ms', target: '', pass: null },
      { name: 'e2e p95 at 300/s', value: Math.round(b.p95), unit: 'ms', target: '', pass: null },
      {
        name: 'e2e p99 at 300/s',
        value: Math.round(b.p99),
        unit: 'ms',
        target: `≤ ${TARGET_P99_MS} ms`,
        pass: b.p99 <= TARGET_P99_MS,
      },
      {
        name: `e2e Odoo calls per event (${fmt(BURST_EVENTS)} burst)`,
        value: Math.round(callsPerEvent * 1000) / 1000,
        unit: 'calls',
        shown: `${callsPerEvent.toFixed(3)} (runs: ${runs.map((r) => (r.odooCalls / Math.max(1, r.enrolled)).toFixed(3)).join(', ')})`,
        target: `≤ ${TARGET_CALLS_PER_EVENT}`,
        pass: callsPerEvent <= TARGET_CALLS_PER_EVENT,
      },
      {
        name: 'e2e peak concurrent Odoo calls (burst)',
        value: peak,
        unit: 'calls',
        target: `≤ ODOO_MAX_CONCURRENCY (${config.ODOO_MAX_CONCURRENCY})`,
        pass: peak <= config.ODOO_MAX_CONCURRENCY,
      },
      {
        name: 'e2e Odoo 5xx (burst, db_maxconn 64)',
        value: odoo5xx,
        unit: 'answers',
        target: '0',
        pass: odoo5xx === 0,
      },
      {
        name: 'e2e PG commits per event (burst)',
        value: Math.round(last.commitsPerEvent * 100) / 100,
        unit: 'commits',
        target: `≤ ${TARGET_COMMITS_PER_EVENT}`,
        pass: last.commitsPerEvent <= TARGET_COMMITS_PER_EVENT,
      },
      {
        name: 'e2e burst drained in',
        value: Math.round(last.seconds * 10) / 10,
        unit: 's',
        target: '',
        pass: null,
      },
      ...runs.map((r, i) => ({
        name: `e2e RSS after burst ${i + 1}`,
        value: Math.round(r.rssMb),
        unit: 'MB',
        target: '',
        pass: null,
      })),
      {
        name: 'e2e heap growth, burst 1 → 3',
        value: Math.round(last.heapMb - first.heapMb),
        unit: 'MB',
        target: '',
        pass: null,
      },
      {
        name: 'e2e RSS growth, burst 1 → 3',
        value: Math.round(growthMb),
        unit: 'MB',
        target: `≤ ${RSS_SLACK_MB} MB`,
        pass: growthMb <= RSS_SLACK_MB,
      },
    ];
    return { name: 'e2e', correct, figures };
  } finally {
    await service?.stop();
    clients.close();
    await sims.stop();
    await deleteQueues(config).catch((err: Error) =>
      console.log(`could not delete the queues: ${err.message}`),
    );
    await db.drop();
  }
}

if (require.main === module) runAsMain(main);
