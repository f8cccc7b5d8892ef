// Webhook intake benchmark, not a test: the real app (signature check, zod, one commit per delivery)
// against a bare Express handler, same load generator, same run. Each server runs in a child process of
// its own and the load generator here, so neither shares an event loop with the clients (on 2 cores the
// generator, the server and PostgreSQL still share the CPUs: the ratio is the fair figure). Afterwards
// every 202 must be in webhook_deliveries and in outbox. Target: ≥ 55% of bare.
//   npm run bench -- --only intake
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { BENCH_SECRET } from './intake-server-child';
import { createClient, paidDelivery, type Delivery, type LoadResult } from './load';
import { createBenchDb, fmt, machineLine, startChild, runAsMain, type BenchResult } from './support';

const CONCURRENCY = 50;
const WARMUP_MS = 1_000;
const DURATION_MS = 10_000;
const ROUNDS = 2;
const MAX_DELIVERIES = 240_000; // bounds the run whatever the machine: each app window ≥ 10,000/s
const TARGET_RATIO = 0.55;
const CpuOf = (c: { userMs: number; systemMs: number }) => c.userMs + c.systemMs;

interface Phase {
  warmup: LoadResult;
  measured: LoadResult;
  rps: number;
  serverCpuMs: number;
}

async function drive(mode: 'bare' | 'app', list: Delivery[], dbUrl: string, from: number): Promise<Phase> {
  const server = await startChild<{ url: string }>('intake-server-child.js', ['--mode', mode, '--db', dbUrl]);
  const client = createClient(server.ready.url, CONCURRENCY);
  try {
    const warmup = await client.flood(list, from, WARMUP_MS);
    await server.ask('resetCpu');
    const measured = await client.flood(list, from + warmup.sent, DURATION_MS);
    const serverCpuMs = CpuOf(await server.ask<{ userMs: number; systemMs: number }>('cpu'));
    const rps = (measured.sent / measured.ms) * 1000;
    console.log(
      `${mode.padEnd(4)}: ${fmt(measured.sent)} requests in ${fmt(measured.ms)} ms = ${fmt(rps)} req/s ` +
        `(${CONCURRENCY} keep-alive clients; server cpu ${fmt((serverCpuMs / measured.ms) * 100)}% of a core); ` +
        `answers ${JSON.stringify(measured.byStatus)}`,
    );
    if (from + measured.sent + warmup.sent >= list.length)
      console.log(`  (${mode}: ran out of pre-built deliveries)`);
    return { warmup, measured, rps, serverCpuMs };
  } finally {
    client.close();
    await server.stop();
  }
}

// Diagnostic, same run: the intake's statement (a copy of src/webhooks/intake.ts STORE_DELIVERY) straight
// from 20 connections, with and without its pg_notify CTE: what PostgreSQL commits cost here.
const STORE = (notify: boolean) => `
WITH lock AS (SELECT pg_try_advisory_xact_lock(hashtextextended($1, 7431)) AS ok),
ins AS (INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, body_sha256, payload)
  SELECT $1, $2, 'order.paid', $3, '{}' FROM lock WHERE ok ON CONFLICT (webhook_id) DO NOTHING RETURNING event_id),
ob AS (INSERT INTO outbox (message_id, event_id, routing_key, payload)
  SELECT $4, event_id, 'order.sync', '{}' FROM ins RETURNING id)
${notify ? ", n AS (SELECT pg_notify('lms_sync_outbox', '') FROM ob)" : ''}
SELECT (SELECT count(*) FROM ins)::int AS inserted`;

/**
 * A pool whose idle connections may be cut by the database's drop (WITH FORCE) while they close: an
 * 'error' without a listener would end the benchmark before it reports.
 */
function quietPool(url: string, max: number): Pool {
  const pool = new Pool({ connectionString: url, max });
  pool.on('error', () => undefined);
  return pool;
}

async function commitCeiling(dbUrl: string, notify: boolean, ms = 3_000): Promise<number> {
  const pool = quietPool(dbUrl, 20);
  let n = 0;
  const until = performance.now() + ms;
  const sql = STORE(notify);
  try {
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (performance.now() < until) {
          await pool.query(sql, [randomUUID(), randomUUID(), Buffer.alloc(32), randomUUID()]);
          n++;
        }
      }),
    );
  } finally {
    await pool.end();
  }
  return (n / ms) * 1000;
}

export async function main(): Promise<BenchResult> {
  console.log(machineLine());
  const t0 = performance.now();
  const list = Array.from({ length: MAX_DELIVERIES }, (_, i) =>
    paidDelivery(BENCH_SECRET, 1_000 + i, `S${1_000 + i}`),
  );
  console.log(`${fmt(list.length)} signed deliveries pre-built in ${fmt(performance.now() - t0)} ms`);
  const db = await createBenchDb('intake');
  try {
    // two rounds, bare and app in turn, and the ratio of their totals: on a shared 2-core machine one
    // 10-second window of either can be 30% off the other (bench/README.md, "Noise")
    const rounds: { bare: Phase; app: Phase }[] = [];
    let offset = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const bare = await drive('bare', list, db.url, 0); // stores nothing: it may resend the same ones
      const app = await drive('app', list, db.url, offset);
      offset += app.warmup.sent + app.measured.sent;
      rounds.push({ bare, app });
    }
    const rate = (ps: Phase[]) =>
      (ps.reduce((n, p) => n + p.measured.sent, 0) / ps.reduce((n, p) => n + p.measured.ms, 0)) * 1000;
    const bare = { rps: rate(rounds.map((r) => r.bare)) };
    const apps = rounds.map((r) => r.app);
    const app = { rps: rate(apps) };
    const ratio = app.rps / bare.rps;
    console.log(
      `app / bare = ${(ratio * 100).toFixed(1)}% over ${ROUNDS} rounds (${rounds
        .map((r) => `${((r.app.rps / r.bare.rps) * 100).toFixed(1)}%`)
        .join(', ')}; target ≥ ${Math.round(TARGET_RATIO * 100)}%)`,
    );

    const pool = quietPool(db.url, 1);
    const counts = await pool
      .query<{ deliveries: number; outbox: number }>(
        'SELECT (SELECT count(*) FROM webhook_deliveries)::int AS deliveries, (SELECT count(*) FROM outbox)::int AS outbox',
      )
      .finally(() => pool.end());
    const { deliveries, outbox } = counts.rows[0]!;
    const loads = apps.flatMap((p) => [p.warmup, p.measured]);
    const accepted = loads.reduce((n, r) => n + (r.byStatus['202'] ?? 0), 0);
    const others = loads.reduce((n, r) => n + r.sent - (r.byStatus['202'] ?? 0), 0);
    const correct = deliveries === accepted && outbox === accepted && others === 0;
    console.log(
      `stored: ${fmt(accepted)} answered 202, ${fmt(deliveries)} in webhook_deliveries, ${fmt(outbox)} in outbox, ` +
        `${others} other answers: ${correct ? 'OK' : 'MISMATCH'}`,
    );
    const plain = await commitCeiling(db.url, false);
    const notified = await commitCeiling(db.url, true);
    console.log(
      `diagnostic, the intake statement from 20 connections, no HTTP: ${fmt(plain)} commits/s without ` +
        `pg_notify, ${fmt(notified)} commits/s with it (as in src/webhooks/intake.ts)`,
    );
    return {
      name: 'intake',
      correct,
      figures: [
        { name: 'intake bare Express', value: Math.round(bare.rps), unit: 'req/s', target: '', pass: null },
        { name: 'intake real app', value: Math.round(app.rps), unit: 'req/s', target: '', pass: null },
        {
          name: 'intake app / bare',
          value: Math.round(ratio * 1000) / 10,
          unit: '%',
          target: `≥ ${Math.round(TARGET_RATIO * 100)}%`,
          pass: ratio >= TARGET_RATIO,
        },
        {
          name: 'PG intake statement, no notify',
          value: Math.round(plain),
          unit: 'commits/s',
          target: '',
          pass: null,
        },
        {
          name: 'PG intake statement, with notify',
          value: Math.round(notified),
          unit: 'commits/s',
          target: '',
          pass: null,
        },
      ],
    };
  } finally {
    await db.drop();
  }
}

if (require.main === module) runAsMain(main);
