// Full reconcile benchmark, not a test: 100,000 paid orders × ~100,000 enrollments through the Odoo and
// LMS simulators over HTTP (simulators in a child process, so this process's RSS is the reconciler's),
// a fresh database, and a known set of differences to find. Budgets (issue 4): < 30 s, < 400 MB.
//   npm run bench -- --only reconcile
import { silentLogger } from '../src/observability/logger';
import { createPool } from '../src/db/pool';
import { createRestLmsAdapter } from '../src/lms/rest-adapter';
import { createXmlRpcTransport } from '../src/odoo/xmlrpc-transport';
import { createOdooOrderLines } from '../src/reconcile/odoo-order-lines';
import { createRunStore } from '../src/reconcile/run-store';
import { createReconciler } from '../src/reconcile/run';
import { FINDING_KINDS } from '../src/reconcile/diff';
import { LMS_TOKEN, SIM_CREDS, type SimsReady } from './sims-child';
import {
  createBenchDb,
  fmt,
  machineLine,
  mb,
  sampleRss,
  startChild,
  runAsMain,
  type BenchResult,
} from './support';

const PAID = 100_000;
const MISSING = 100; // paid, never enrolled → missing_enrollment (repaired)
const REFUNDED = 50; // paid then refunded, still enrolled → unpaid_enrollment (reported)
const BUDGET_MS = 30_000;
const BUDGET_MB = 400;

export async function main(): Promise<BenchResult> {
  console.log(machineLine());
  const sims = await startChild<SimsReady>('sims-child.js', [
    '--paid',
    String(PAID),
    '--missing',
    String(MISSING),
    '--refunded',
    String(REFUNDED),
    '--enroll',
  ]);
  const db = await createBenchDb('reconcile');
  try {
    console.log(
      `simulators seeded in ${fmt(sims.ready.seedMs)} ms (child process): ${fmt(PAID)} paid orders ` +
        `+ ${REFUNDED} refunded, ${fmt(sims.ready.enrollments)} enrollments (${MISSING} paid left out)`,
    );
    sims.ready.paidOrders.length = 0; // not needed here: let it go before measuring
    return await measure(sims.ready, db.url);
  } finally {
    await sims.stop();
    await db.drop();
  }
}

async function measure(urls: SimsReady, databaseUrl: string): Promise<BenchResult> {
  const log = silentLogger();
  const pool = createPool(databaseUrl, log, 20);
  const transport = createXmlRpcTransport({ url: urls.odooUrl, ...SIM_CREDS, timeoutMs: 60_000, log });
  const lms = createRestLmsAdapter({ baseUrl: urls.lmsUrl, apiToken: LMS_TOKEN, timeoutMs: 60_000, log });
  try {
    const reconciler = createReconciler({
      pool,
      runs: createRunStore(pool),
      orderLines: createOdooOrderLines({ transport, log, courseCategory: 'Courses' }),
      lms,
      log,
      policy: { maxRepairRatio: 0.2, minRepairsToBrake: 10, unpaidPolicy: 'report', pageSize: 1000 },
    });
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    const sampler = sampleRss(50);
    const t0 = performance.now();
    const outcome = await reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' });
    const wallMs = performance.now() - t0;
    const { peakSampled, maxRss } = sampler.stop();
    const { rows } = await pool.query<{
      timings_ms: Record<string, number>;
      findings_by_kind: Record<string, number>;
      order_lines: number;
      enrollments: number;
      repairs_queued: number;
    }>(
      'SELECT timings_ms, findings_by_kind, order_lines, enrollments, repairs_queued FROM reconcile_runs WHERE id = $1',
      [outcome.runId],
    );
    const run = rows[0]!;
    const peak = Math.max(peakSampled, maxRss);
    console.log(
      `run ${outcome.runId}: ${outcome.status}${outcome.error ? ` (${outcome.error})` : ''}, ` +
        `${fmt(run.order_lines)} order lines × ${fmt(run.enrollments)} enrollments, ` +
        `${run.repairs_queued} repairs queued`,
    );
    console.log(
      `wall ${fmt(wallMs)} ms; timings (reconcile_runs.timings_ms): ${JSON.stringify(run.timings_ms)}`,
    );
    console.log(
      `rss: before ${mb(rss0)}, peak sampled every 50 ms ${mb(peakSampled)}, process maxRSS ${mb(maxRss)}`,
    );
    const expected: Record<string, number> = { missing_enrollment: MISSING, unpaid_enrollment: REFUNDED };
    const mismatched = FINDING_KINDS.filter((k) => (run.findings_by_kind[k] ?? 0) !== (expected[k] ?? 0));
    for (const k of FINDING_KINDS)
      console.log(`  ${k.padEnd(22)} ${run.findings_by_kind[k] ?? 0} (injected ${expected[k] ?? 0})`);
    const correct =
      outcome.status === 'succeeded' && mismatched.length === 0 && run.repairs_queued === MISSING;
    console.log(
      `findings: ${correct ? 'OK' : `MISMATCH ${mismatched.join(', ')} (status ${outcome.status})`}`,
    );
    const t = run.timings_ms;
    return {
      name: 'reconcile',
      correct,
      figures: [
        {
          name: 'reconcile 100k×100k wall',
          value: Math.round(wallMs),
          unit: 'ms',
          target: `< ${fmt(BUDGET_MS)} ms`,
          pass: wallMs < BUDGET_MS,
        },
        {
          name: 'reconcile peak RSS',
          value: Math.round(peak / 1024 / 1024),
          unit: 'MB',
          target: `< ${BUDGET_MB} MB`,
          pass: peak < BUDGET_MB * 1024 * 1024,
        },
        ...['odoo', 'lms', 'diff', 'writes'].map((k) => ({
          name: `reconcile phase ${k}`,
          value: Math.round(t[k] ?? 0),
          unit: 'ms',
          target: '',
          pass: null,
        })),
      ],
    };
  } finally {
    transport.close();
    lms.close();
    await pool.end();
  }
}

if (require.main === module) runAsMain(main);
