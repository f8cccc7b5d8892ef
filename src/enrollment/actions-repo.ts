// enrollment_actions and action_attempts: claim an action before calling the LMS, record the result.
import type { Pool } from 'pg';
import { boundForeignText, createCoalescer } from '../lib';
import type { PlannedAction } from './plan';

/** What a claim needs of an action: its key and what it is about, not who the learner is. */
type ClaimedAction = Omit<PlannedAction, 'learner'>;

export type Claim =
  | { kind: 'claimed'; attempt: number; idempotencyKey: string; counterpartDoneAt: Date | null }
  | { kind: 'done' }
  | { kind: 'busy'; leaseEndsInMs: number }
  | { kind: 'dead'; code: string; message: string };

export interface ActionContext {
  orderId: number;
  orderName: string;
  eventId: string;
  messageId: string;
  /**
   * When the request behind the message was made (a webhook's acceptance, a replay's click); a redo is
   * judged against it, not against when a delayed message is finally handled. Absent: the message's
   * outbox row says, else now.
   */
  requestedAt?: Date | null;
}

export interface ActionResult {
  status: 'succeeded' | 'failed' | 'dead';
  outcome: 'succeeded' | 'transient' | 'permanent';
  lmsEnrollmentId?: string | null;
  lmsStatus?: string | null;
  errorCode?: string | null;
  error?: string | null;
  durationMs: number;
  /** A refund's suspend not made: the order that still pays for the course (for the order's note). */
  coveredBy?: string;
}

/**
 * A claimed action is leased; a consumer that dies mid-call leaves it to expire, not stuck. The lease is
 * short and renewed while the LMS call runs, so a dead holder is noticed within one lease.
 */
export const DEFAULT_LEASE_MS = 10_000;

/**
 * Enrollments and suspends of one (course, learner) exclude each other, whatever order they come from:
 * an enroll's claim takes this advisory lock shared, for the claim's own statement (and fails as busy
 * while a suspend holds it); a suspend holds it exclusively while it checks that nothing else still pays
 * for the course and suspends. Advisory locks are not snapshot-bound, so the check cannot miss a claim.
 */
const LEARNER_COURSE_LOCK = 7302;

/**
 * The claims of a batch in one statement (migrations/012_batched_claims.sql): each action its own upsert,
 * in business-key order, with the row of a refused one. The function takes LEARNER_COURSE_LOCK (7302).
 */
const CLAIM_MANY = `
SELECT r_ord, r_attempts, r_generation, r_counterpart_done_at, r_status, r_last_error_code, r_last_error,
       r_lease_ends_in_ms
  FROM lms_sync_claim_actions($1::text[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::text[],
       $7::uuid[], $8::boolean[], $9::text[], $10::uuid[], $11::text[], $12::float8, $13::timestamptz[],
       $14::text[])`;

/**
 * When a succeeded action is done again: `always` (a reconcile repair: the run saw the LMS without it),
 * `stale` (Retry Enrollment: only if it had succeeded more than 10 minutes before the click, so a double
 * click, or a click made while the enrollment was still running, stays one call) or `never` (a payment webhook). At most once per message.
 */
export type RedoPolicy = 'never' | 'stale' | 'always';

/** The results of a batch in one statement: each action's row, and one attempt row each. */
const FINISH_MANY = `
WITH u AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[],
                       $8::uuid[], $9::text[], $10::integer[])
           AS u(business_key, status, lms_enrollment_id, lms_status, error_code, error, event_id, message_id,
                outcome, duration_ms)
), a AS (
  UPDATE enrollment_actions e
     SET status = u.status, lease_until = NULL, updated_at = now(),
         lms_enrollment_id = coalesce(u.lms_enrollment_id, e.lms_enrollment_id),
         lms_status = coalesce(u.lms_status, e.lms_status),
         last_error_code = u.error_code, last_error = u.error,
         completed_at = CASE WHEN u.status = 'succeeded' THEN now() ELSE e.completed_at END
    FROM u
   WHERE e.business_key = u.business_key
  RETURNING e.business_key, e.attempts, u.event_id, u.message_id, u.outcome, u.error_code, u.error, u.duration_ms
)
INSERT INTO action_attempts (business_key, event_id, message_id, attempt, outcome, error_code, error, duration_ms)
SELECT business_key, event_id, message_id, attempts, outcome, error_code, error, duration_ms FROM a`;

// A collision of two keys only serialises two unrelated pairs: harmless.
const learnerCourse = (courseCode: string, studentId: string) => `${courseCode}|${studentId}`;

/** The (course, learner) lock an action's claim takes shared: an enroll's with a course, else none. */
export function claimLockKey(a: ClaimedAction): string | null {
  return a.action === 'enroll' && a.courseCode ? learnerCourse(a.courseCode, a.studentId) : null;
}

/** The LMS idempotency key of a claim: the business key, marked from the second generation (a redo) on. */
export function idempotencyKeyFor(businessKey: string, generation: number): string {
  return generation === 1 ? businessKey : `${businessKey}#${generation}`;
}

/** An action's row as the claim returns it when it refuses. */
interface ActionStateRow {
  status: string;
  last_error_code: string | null;
  last_error: string | null;
  lease_ends_in_ms: number | null;
}

/** What a claim the database refused means, from the action's current row (none: busy, lease over). */
export function refusedClaim(row: ActionStateRow | undefined): Exclude<Claim, { kind: 'claimed' }> {
  if (row?.status === 'succeeded') return { kind: 'done' };
  if (row?.status === 'dead') {
    return {
      kind: 'dead',
      code: row.last_error_code ?? 'dead',
      message: row.last_error ?? 'dead-lettered earlier',
    };
  }
  return { kind: 'busy', leaseEndsInMs: Math.ceil(row?.lease_ends_in_ms ?? 0) };
}

const RENEW = `
UPDATE enrollment_actions SET lease_until = now() + make_interval(secs => $3::float8)
 WHERE business_key = $1 AND status = 'in_progress' AND attempts = $2`;

interface ClaimItem {
  a: ClaimedAction;
  ctx: ActionContext;
  reopenDead: boolean;
  redo: RedoPolicy;
  counterpartKey: string | null;
}

interface ClaimRow {
  r_ord: number;
  r_attempts: number | null;
  r_generation: number | null;
  r_counterpart_done_at: Date | null;
  r_status: string | null;
  r_last_error_code: string | null;
  r_last_error: string | null;
  r_lease_ends_in_ms: number | null;
}

interface FinishItem {
  businessKey: string;
  ctx: ActionContext;
  r: ActionResult;
}

function claimOf(item: ClaimItem, row: ClaimRow | undefined): Claim {
  if (row && row.r_attempts !== null) {
    return {
      kind: 'claimed',
      attempt: row.r_attempts,
      idempotencyKey: idempotencyKeyFor(item.a.businessKey, row.r_generation ?? 1),
      counterpartDoneAt: row.r_counterpart_done_at,
    };
  }
  return refusedClaim(
    row?.r_status
      ? {
          status: row.r_status,
          last_error_code: row.r_last_error_code,
          last_error: row.r_last_error,
          lease_ends_in_ms: row.r_lease_ends_in_ms,
        }
      : undefined,
  );
}

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

export function createActionsRepo(pool: Pool, leaseMs = DEFAULT_LEASE_MS) {
  const leaseSeconds = leaseMs / 1000;

  // Claims asked for together (a batch of messages read in one Odoo call) share one statement.
  const claims = createCoalescer(async (items: ClaimItem[]): Promise<Claim[]> => {
    const order = items
      .map((_, i) => i)
      .sort((x, y) => cmp(items[x]!.a.businessKey, items[y]!.a.businessKey));
    const sorted = order.map((i) => items[i]!);
    const col = <V>(f: (it: ClaimItem) => V) => sorted.map(f);
    const { rows } = await pool.query<ClaimRow>(CLAIM_MANY, [
      col((it) => it.a.businessKey),
      col((it) => it.a.action),
      col((it) => it.ctx.orderId),
      col((it) => it.ctx.orderName),
      col((it) => it.a.courseCode),
      col((it) => it.a.studentId),
      col((it) => it.ctx.eventId),
      col((it) => it.reopenDead),
      col((it) => it.redo),
      col((it) => it.ctx.messageId),
      col((it) => it.counterpartKey),
      leaseSeconds,
      col((it) => it.ctx.requestedAt ?? null),
      col((it) => claimLockKey(it.a)),
    ]);
    const byOrd = new Map(rows.map((r) => [r.r_ord, r]));
    const out: Claim[] = new Array<Claim>(items.length);
    order.forEach((itemIndex, pos) => {
      out[itemIndex] = claimOf(items[itemIndex]!, byOrd.get(pos + 1));
    });
    return out;
  });

  // Results recorded together share one statement; one action's two results go in two.
  const finishes = createCoalescer(
    async (items: FinishItem[]): Promise<null[]> => {
      const col = <V>(f: (it: FinishItem) => V) => items.map(f);
      await pool.query(FINISH_MANY, [
        col((it) => it.businessKey),
        col((it) => it.r.status),
        col((it) => it.r.lmsEnrollmentId ?? null),
        col((it) => it.r.lmsStatus ?? null),
        col((it) => it.r.errorCode ?? null),
        col((it) => (it.r.error == null ? null : boundForeignText(it.r.error))),
        col((it) => it.ctx.eventId),
        col((it) => it.ctx.messageId),
        col((it) => it.r.outcome),
        col((it) => Math.round(it.r.durationMs)),
      ]);
      return items.map(() => null);
    },
    { keyOf: (it) => it.businessKey },
  );

  return {
    leaseMs,
    /**
     * `reopenDead`: a fresh message (not a delayed retry) may try a dead action again.
     * `redo`: whether a succeeded action is done again, as a new generation (see RedoPolicy).
     * `counterpartKey`: an action whose completion time comes back with the claim (one round trip).
     * Claims made together (in one turn, or while the previous batch's statement runs) share a statement.
     */
    claim(
      a: ClaimedAction,
      ctx: ActionContext,
      reopenDead: boolean,
      redo: RedoPolicy = 'never',
      counterpartKey: string | null = null,
    ): Promise<Claim> {
      return claims.submit({ a, ctx, reopenDead, redo, counterpartKey });
    },

    /**
     * Extends the lease of a claim still held (`attempt` from the claim fences off a holder whose lease
     * lapsed and was claimed again). False when the claim is no longer ours.
     */
    async renew(businessKey: string, attempt: number): Promise<boolean> {
      const r = await pool.query(RENEW, [businessKey, attempt, leaseSeconds]);
      return (r.rowCount ?? 0) > 0;
    },

    /** Results recorded together share a statement (one commit for a batch's LMS answers). */
    async finish(businessKey: string, ctx: ActionContext, r: ActionResult): Promise<void> {
      await finishes.submit({ businessKey, ctx, r });
    },

    /**
     * Runs `suspend` holding the (course, learner) lock exclusively, once no enrollment of that learner in
     * that course is in flight; `busy` (nothing run) while one is. The lock is held in a transaction of its
     * own for the time of `suspend` (an Odoo read and one LMS call): suspends are rare, enrolls never wait.
     */
    async whileNoEnrollInFlight<T>(
      courseCode: string,
      studentId: string,
      suspend: () => Promise<T>,
    ): Promise<{ kind: 'busy' } | { kind: 'ran'; value: T }> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
          LEARNER_COURSE_LOCK,
          learnerCourse(courseCode, studentId),
        ]);
        const inFlight = await client.query(
          `SELECT 1 FROM enrollment_actions
            WHERE action = 'enroll' AND status = 'in_progress' AND course_code = $1 AND student_id = $2
              AND lease_until > now() LIMIT 1`,
          [courseCode, studentId],
        );
        if (inFlight.rowCount) {
          await client.query('ROLLBACK');
          return { kind: 'busy' };
        }
        const value = await suspend();
        await client.query('COMMIT');
        return { kind: 'ran', value };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },

    /** The (course, student) pairs this order enrolled (for learners since removed from its lines). */
    async enrolledByOrder(orderId: number): Promise<Array<{ courseCode: string; studentId: string }>> {
      const { rows } = await pool.query<{ course_code: string; student_id: string }>(
        `SELECT course_code, student_id FROM enrollment_actions
          WHERE order_id = $1 AND action = 'enroll' AND status = 'succeeded' AND course_code IS NOT NULL
          ORDER BY business_key`,
        [orderId],
      );
      return rows.map((r) => ({ courseCode: r.course_code, studentId: r.student_id }));
    },

    /** Retries exhausted: what was still failing becomes dead (a person looks at it). */
    async markDead(businessKeys: string[]): Promise<void> {
      if (businessKeys.length === 0) return;
      await pool.query(
        `UPDATE enrollment_actions SET status = 'dead', lease_until = NULL, updated_at = now()
          WHERE business_key = ANY($1) AND status <> 'succeeded'`,
        [businessKeys],
      );
    },
  };
}

export type ActionsRepo = ReturnType<typeof createActionsRepo>;

/** An attempt of an action, as action_attempts holds it. */
export interface AttemptRow {
  attempt: number;
  outcome: string;
  error_code: string | null;
  error: string | null;
  at: Date;
}

/** The last `limit` attempts of one action, oldest first (what a ticket lists as "tried"). */
export async function recentAttempts(pool: Pool, businessKey: string, limit = 8): Promise<AttemptRow[]> {
  const { rows } = await pool.query<AttemptRow>(
    'SELECT attempt, outcome, error_code, error, at FROM action_attempts WHERE business_key = $1 ORDER BY id DESC LIMIT $2',
    [businessKey, limit],
  );
  return rows.reverse();
}
