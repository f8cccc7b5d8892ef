// The demo's closing report: what happened at each layer, and the one question that matters.
import type { Pool } from 'pg';
import { studentIdForPartner } from '../lms';
import type { Metrics } from '../observability';
import type { SimulatedLms } from '../sim/any-lms';
import type { RunOutcome } from '../reconcile';
import { helpdeskSummary } from '../helpdesk';
import type { DemoOrder } from './odoo-facts';
import { retryLines, type RetryFigures } from './retry-lines';

export interface TrafficCounts {
  sent: number;
  accepted: number;
  duplicates: number;
  conflicts: number;
  other: number;
  eventIds: string[];
  unpaidRetryEventId: string | null;
}

interface ReportInput {
  pool: Pool;
  metrics: Metrics;
  lms: SimulatedLms;
  orders: DemoOrder[];
  traffic: TrafficCounts;
  recon: { first: RunOutcome; second: RunOutcome; reportPath: string };
  say: (line: string) => void;
}

/** What the tries and retry lines count, from the same run's tables and the retry counter. */
async function retryFigures(pool: Pool, retriesScheduled: number): Promise<RetryFigures> {
  const { rows: tries } = await pool.query<{ outcome: string; code: string | null; n: number }>(
    'SELECT outcome, error_code AS code, count(*)::int AS n FROM action_attempts GROUP BY 1, 2',
  );
  const { rows } = await pool.query<{ deliveries: number; exhausted: number }>(
    `SELECT (SELECT count(*)::int FROM (SELECT DISTINCT message_id, attempt FROM action_attempts
                                         WHERE outcome = 'transient') d) AS deliveries,
            (SELECT count(*)::int FROM consumed_messages
              WHERE outcome = 'dead' AND detail = 'retries exhausted') AS exhausted`,
  );
  const sum = (outcome: string) => {
    const out: Record<string, number> = {};
    for (const t of tries)
      if (t.outcome === outcome) out[t.code ?? 'none'] = (out[t.code ?? 'none'] ?? 0) + t.n;
    return out;
  };
  const triesByOutcome: Record<string, number> = {};
  for (const t of tries) triesByOutcome[t.outcome] = (triesByOutcome[t.outcome] ?? 0) + t.n;
  return {
    triesByOutcome,
    transientByCode: sum('transient'),
    permanentByCode: sum('permanent'),
    failedDeliveries: rows[0]?.deliveries ?? 0,
    exhausted: rows[0]?.exhausted ?? 0,
    retriesScheduled,
  };
}

async function counterTotal(metric: Metrics['retries'] | Metrics['consumed']): Promise<number> {
  return (await metric.get()).values.reduce((n, v) => n + v.value, 0);
}

export async function printReport(input: ReportInput): Promise<number> {
  const { pool, lms, orders, traffic, say } = input;
  const byStatus = (s: DemoOrder['status']) => orders.filter((o) => o.status === s).length;
  const paid = orders.filter((o) => o.status === 'paid' && o.courseCodes.length > 0);
  // What a person must fix first (no email, a course the LMS does not know) is reported, not enrolled.
  const enrollable = paid.filter((o) => o.hasEmail && o.courseCodes.every((c) => lms.hasCourse(c)));

  const missing: string[] = [];
  const twice: string[] = [];
  for (const o of enrollable) {
    for (const code of o.courseCodes) {
      const studentId = studentIdForPartner(o.partnerId);
      // A re-creation after a hand deletion (the reconciliation's repair) is not a duplicate.
      const deletions =
        lms.duplicates().find((d) => d.courseCode === code && d.studentId === studentId)?.deletions ?? 0;
      const live = lms.creationCount(code, studentId) - deletions;
      // Active, not merely present: a refund of another order must not have suspended what this one pays.
      if (live < 1 || lms.status(code, studentId) !== 'active') missing.push(`${o.name}/${code}`);
      if (live > 1) twice.push(`${o.name}/${code}`);
    }
  }
  const dead = await pool.query<{ reason_code: string; n: number }>(
    'SELECT reason_code, count(*)::int AS n FROM dead_letters GROUP BY 1 ORDER BY 2 DESC',
  );
  const retries = await retryFigures(pool, await counterTotal(input.metrics.retries));
  const latency = await pool.query<{ p50: number; p99: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
       FROM (SELECT extract(epoch FROM c.finished_at - d.received_at) * 1000 AS ms
               FROM consumed_messages c JOIN webhook_deliveries d USING (event_id) WHERE c.outcome = 'done') t`,
  );
  const unpaidNote = traffic.unpaidRetryEventId
    ? (
        await pool.query<{ detail: string }>('SELECT detail FROM consumed_messages WHERE event_id = $1', [
          traffic.unpaidRetryEventId,
        ])
      ).rows[0]?.detail
    : null;
  const duplicates = lms.duplicates().filter((d) => d.creations - d.deletions > 1);
  const ok = missing.length === 0 && twice.length === 0 && duplicates.length === 0;
  const l = latency.rows[0];

  say('');
  say('── odoo-lms-sync demo report ──────────────────────────────────────────');
  say(
    `Odoo orders:          ${orders.length} (${byStatus('paid')} paid, ${byStatus('unpaid')} unpaid or partial, ${byStatus('refunded')} refunded, ${byStatus('draft')} quotations)`,
  );
  say(`Webhooks sent:        ${traffic.sent}`);
  say(`  accepted (202):     ${traffic.accepted}`);
  say(`  duplicates refused: ${traffic.duplicates} (200 duplicate: resent deliveries, processed once)`);
  say(`  id reused (422):    ${traffic.conflicts}`);
  if (traffic.other) say(`  other answers:      ${traffic.other}`);
  for (const line of retryLines(retries)) say(line);
  say(`Enrollments created:  ${lms.createdCount()} (LMS: ${lms.adapter})`);
  say(
    `Dead-lettered:        ${dead.rows.reduce((n, r) => n + r.n, 0)}${dead.rows.length ? ` (${dead.rows.map((r) => `${r.reason_code}: ${r.n}`).join(', ')})` : ''}`,
  );
  if (unpaidNote) say(`Retry on unpaid order: ${unpaidNote}`);
  if (l)
    say(`Accept → enrolled:    p50 ${Math.round(l.p50)} ms, p99 ${Math.round(l.p99)} ms (including retries)`);
  const { first, second, reportPath } = input.recon;
  const hd = await helpdeskSummary(pool);
  const pri = hd.byPriority;
  say(
    `Helpdesk tickets:     ${hd.opened} opened (urgent ${pri.urgent}, high ${pri.high}, normal ${pri.normal}, low ${pri.low}; ` +
      `${Math.round(hd.urgentShare * 100)}% urgent), ${hd.recurring} recurring kept on one ticket, ${hd.autoClosed} auto-closed`,
  );
  say(
    `  by kind:            ${
      Object.entries(hd.byKind)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none'
    }`,
  );
  say(
    `Reconciliation:       run ${first.runId} found ${first.findings}, queued ${first.repairsQueued} repairs; run ${second.runId} left ${second.findings} for a person`,
  );
  say(`Report:               ${reportPath}`);
  say(
    `                      (served as GET /admin/reconciliations/${second.runId}.html while the service runs)`,
  );
  say(
    `Paid orders with a course: ${paid.length}; enrollable (student has an email, the LMS knows the course): ${enrollable.length}`,
  );
  if (missing.length)
    say(`  NOT enrolled: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ' …' : ''}`);
  if (twice.length || duplicates.length)
    say(
      `  enrolled more than once: ${[...twice, ...duplicates.map((d) => `${d.courseCode}/${d.studentId}`)].slice(0, 10).join(', ')}`,
    );
  say(`every paid order enrolled exactly once: ${ok ? 'yes' : 'no'}`);
  return ok ? 0 : 1;
}
