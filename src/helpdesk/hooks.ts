// Where problems come from: dead-lettered enrollment actions (consumer), successful syncs that heal
// them, and reconciliation runs (findings that need a person, held runs, what healed).
import type { Pool } from 'pg';
import { WRITEBACK_FAILED, type ActionFailure } from '../enrollment';
import { deadLetterFailure, deadLetterReason, recentAttempts, type AttemptRow } from '../enrollment';
import type { Logger } from '../observability';
import type { OrderSyncMessage } from '../enrollment';
import { deadLetterReports, type ConsumerHooks } from '../queue';
import type { Finding } from '../reconcile';
import { problemsFirstSeen, runStartedAt, type ReconcileHooks } from '../reconcile';
import { createCoalescer, errorMessage } from '../lib';
import { boundForeignText } from '../lib';
import {
  kindForDeadLetter,
  parseBusinessKey,
  problemKindForFinding,
  ticketFingerprint,
  type Problem,
} from './problems';
import type { ProblemKind } from './rules';
import type { Tickets } from './tickets';

/** Which findings on the same (order, course) mean the ticket's problem is still there. */
const KEPT_OPEN_BY: Partial<Record<ProblemKind, ReadonlyArray<Finding['kind']>>> = {
  enrollment_failed: ['missing_enrollment', 'course_unmapped'],
  missing_enrollment: ['missing_enrollment', 'course_unmapped'],
  missing_email: ['missing_enrollment'],
  course_unmapped: ['course_unmapped'],
  student_mismatch: ['student_mismatch'],
  unpaid_enrollment: ['unpaid_enrollment'],
  seats_unassigned: ['unassigned_seats'],
};

/** When the sweep should (re)try a dead letter (migration 007). */

/** The ports the consumers and the reconciler call, and the dead-letter sweep. */
export interface HelpdeskHooks extends ConsumerHooks, ReconcileHooks {
  /**
   * Reports dead letters older than a minute that never became a problem (a crash between the two, or
   * a failed save), oldest due first; one that fails again is postponed, so it cannot block the rest.
   */
  reportUnreported(): Promise<number>;
}

/** What a run seeing a ticket's problem gone means, said on the ticket when it closes. */
const HEALED_BECAUSE: Partial<Record<ProblemKind, string>> = {
  course_unmapped:
    "the order's course product now has an Internal Reference the LMS knows (fixed in Odoo or in the LMS)",
  missing_email: 'the customer has an email address now and the student is enrolled',
  missing_enrollment: 'the student is enrolled in the LMS now',
  enrollment_failed: 'the student is enrolled in the LMS now',
  student_mismatch: "the LMS enrollment matches the Odoo customer's identity and email again",
  unpaid_enrollment: 'the order is paid again, or the enrollment is no longer active',
  seats_unassigned: 'every paid seat of the order has a learner now',
};

/** One line of a ticket's "tried": an attempt of the action and how it ended. */
export function attemptLine(r: AttemptRow): string {
  return `attempt ${r.attempt} at ${r.at.toISOString().slice(0, 19).replace('T', ' ')} UTC: ${r.outcome}${r.error_code ? ` (${r.error_code}: ${boundForeignText(r.error ?? '', 500)})` : ''}`;
}

/** Retries used only to write a result back to Odoo (Odoo away) are not an enrollment problem. */
export function needsTicket(f: ActionFailure): boolean {
  return !f.code.endsWith(WRITEBACK_FAILED);
}

/** A dead-lettered action as a problem; `tried`: the lines of its attempts, oldest first. */
export function deadLetterProblem(msg: OrderSyncMessage, f: ActionFailure, tried: string[]): Problem {
  const key = parseBusinessKey(f.businessKey);
  return {
    kind: kindForDeadLetter(f.code),
    source: 'dead_letter',
    orderId: msg.orderId,
    orderName: msg.orderName,
    courseCode: key && !key.courseCode.startsWith('unmapped-line-') ? key.courseCode : null,
    studentId: key?.studentId ?? null,
    blockedSince: msg.acceptedAt ? new Date(msg.acceptedAt) : new Date(),
    summary: boundForeignText(`${deadLetterReason(f)}: ${f.message}`),
    tried: [
      ...tried,
      `dead-lettered after the retry ladder (trigger ${msg.trigger}); replayable from /admin/dead-letters`,
    ],
  };
}

/** A reconciliation finding that needs a person, as a problem of `kind` first seen at `seen`. */
export function findingProblem(f: Finding, kind: ProblemKind, runId: string, seen: Date): Problem {
  return {
    kind,
    source: 'reconcile',
    orderId: f.orderId,
    orderName: f.orderName,
    // seats without learners are one ticket per order, whatever its lines
    courseCode: kind === 'seats_unassigned' ? null : f.courseCode,
    studentId: f.studentId,
    blockedSince: seen,
    summary: f.detail,
    tried: [
      `found by reconciliation run ${runId} (first seen ${seen.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
    ],
  };
}

/** An open ticket a run may heal, as helpdesk_tickets holds it. */
export interface OpenTicketRow {
  fingerprint: string;
  kind: ProblemKind;
  order_id: number | null;
  course_code: string | null;
}

/**
 * The open tickets a run heals: those whose problem it did not report again (`stillOpen`) and that no
 * finding on the same (order, course) keeps open.
 */
export function healedTickets(
  open: OpenTicketRow[],
  findings: Finding[],
  stillOpen: ReadonlySet<string>,
): OpenTicketRow[] {
  const found = new Set(findings.map((f) => `${f.kind}:${f.orderId}:${f.courseCode}`));
  const stillThere = (r: OpenTicketRow) =>
    (KEPT_OPEN_BY[r.kind] ?? []).some((k) => found.has(`${k}:${r.order_id}:${r.course_code}`));
  return open.filter((r) => !stillOpen.has(r.fingerprint) && !stillThere(r));
}

export function createHelpdeskHooks(deps: {
  pool: Pool;
  tickets: Tickets;
  log: Logger;
  urgentAfterHours: number;
  /** SEATS_TICKET_AFTER_DAYS */
  seatsTicketAfterDays?: number;
}): HelpdeskHooks {
  const { pool, tickets, log } = deps;
  // The orders a batch of messages synced are looked at together: one statement, not one per order.
  const healChecks = createCoalescer(
    async (synced: Array<{ orderId: number; courseCodes: string[] }>): Promise<null[]> => {
      await tickets.healOrders(synced, 'the enrollment succeeded');
      return synced.map(() => null);
    },
  );

  async function attemptsOf(businessKey: string): Promise<string[]> {
    return (await recentAttempts(pool, businessKey)).map(attemptLine);
  }

  async function problemFor(msg: OrderSyncMessage, f: ActionFailure): Promise<Problem> {
    return deadLetterProblem(msg, f, f.businessKey ? await attemptsOf(f.businessKey) : []);
  }

  return {
    async deadLettered(msg, failures) {
      for (const f of failures) {
        try {
          if (needsTicket(f)) await tickets.report(await problemFor(msg, f));
          await deadLetterReports.reported(pool, msg.messageId, f.businessKey);
        } catch (err) {
          log.error('could not record a helpdesk problem for a dead letter; the sweep retries', {
            orderId: msg.orderId,
            error: errorMessage(err),
          });
          await deadLetterReports.postpone(pool, msg.messageId, f.businessKey).catch(() => undefined);
        }
      }
    },

    async reportUnreported() {
      const rows = await deadLetterReports.due(pool);
      for (const r of rows) {
        await this.deadLettered(r.payload, [
          deadLetterFailure({ businessKey: r.business_key, reasonCode: r.reason_code, reason: r.reason }),
        ]);
      }
      return rows.length;
    },

    async synced(orderId, courseCodes) {
      if (courseCodes.length === 0) return;
      await healChecks.submit({ orderId, courseCodes });
    },

    async openOrderIds() {
      const { rows } = await pool.query<{ order_id: number }>(
        `SELECT DISTINCT order_id FROM helpdesk_tickets WHERE state = 'open' AND order_id IS NOT NULL`,
      );
      return rows.map((r) => r.order_id);
    },

    async reconciled({ runId, mode, held, findings, examinedOrderIds = null }) {
      if (held) {
        await tickets.report({
          kind: 'held_run',
          source: 'reconcile',
          orderId: null,
          orderName: null,
          courseCode: null,
          studentId: null,
          blockedSince: new Date(),
          summary: held,
          tried: [`reconciliation run ${runId} held every repair (the safety brake)`],
        });
      } else {
        await tickets.heal('held_run', null, null, `reconciliation run ${runId} was not held`);
      }
      const firstSeen = await problemsFirstSeen(
        pool,
        findings.map((f) => f.fingerprint),
      );
      const open = new Set<string>();
      const now = new Date();
      for (const f of findings) {
        const seen = firstSeen.get(f.fingerprint) ?? now;
        const kind = problemKindForFinding(f, seen, now, deps.urgentAfterHours, deps.seatsTicketAfterDays);
        if (!kind) continue;
        const problem = findingProblem(f, kind, runId, seen);
        const fingerprint = ticketFingerprint(kind, problem.orderId, problem.courseCode);
        // one ticket per order for its seats, reported once per run
        if (kind === 'seats_unassigned' && open.has(fingerprint)) continue;
        open.add(fingerprint);
        await tickets.report(problem);
      }
      await healAbsent(runId, findings, open, mode === 'full' ? null : examinedOrderIds);
    },
  };

  /**
   * An open ticket whose problem this run no longer finds has healed: any ticket after a full run, a
   * ticket of an order it read after an incremental run (never one whose order it did not look at).
   */
  async function healAbsent(
    runId: string,
    findings: Finding[],
    stillOpen: Set<string>,
    examinedOrderIds: readonly number[] | null,
  ): Promise<void> {
    if (examinedOrderIds && examinedOrderIds.length === 0) return;
    const { rows } = await pool.query<OpenTicketRow>(
      `SELECT fingerprint, kind, order_id, course_code FROM helpdesk_tickets
        WHERE state = 'open' AND kind = ANY($1) AND opened_at < $2
          AND ($3::int[] IS NULL OR order_id = ANY($3::int[]))`,
      [
        Object.keys(KEPT_OPEN_BY),
        await runStartedAt(pool, runId),
        examinedOrderIds ? [...examinedOrderIds] : null,
      ],
    );
    const healed = healedTickets(rows, findings, stillOpen);
    for (const kind of new Set(healed.map((r) => r.kind))) {
      await tickets.healFingerprints(
        healed.filter((r) => r.kind === kind).map((r) => r.fingerprint),
        `reconciliation run ${runId} no longer finds this problem: ${HEALED_BECAUSE[kind] ?? 'it is gone'}`,
      );
    }
  }
}
