// enrollment_actions and action_attempts: claim an action before calling the LMS, record the result.
import type { Pool } from 'pg';
import { boundForeignText } from '../lib';
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

const CLAIM = `
INSERT INTO enrollment_actions
  (business_key, action, order_id, order_name, course_code, student_id, status, lease_until, attempts, first_event_id)
SELECT $1, $2, $3, $4, $5, $6, 'in_progress', now() + make_interval(secs => $12::float8), 1, $7
 WHERE $14::text IS NULL OR pg_try_advisory_xact_lock_shared(${LEARNER_COURSE_LOCK}, hashtext($14::text))
ON CONFLICT (business_key) DO UPDATE
   SET status = 'in_progress', lease_until = EXCLUDED.lease_until,
       attempts = enrollment_actions.attempts + 1, updated_at = now(),
       generation = enrollment_actions.generation + CASE WHEN enrollment_actions.status = 'succeeded' THEN 1 ELSE 0 END,
       redo_message_id = CASE WHEN enrollment_actions.status = 'succeeded' THEN $10::uuid ELSE enrollment_actions.redo_message_id END
 WHERE (enrollment_actions.status <> 'succeeded'
        OR (enrollment_actions.redo_message_id IS DISTINCT FROM $10::uuid
            AND ($9 = 'always' OR ($9 = 'stale' AND enrollment_actions.completed_at <
                 coalesce($13::timestamptz, (SELECT o.created_at FROM outbox o WHERE o.message_id = $10::uuid), now())
                   - interval '10 minutes'))))
   AND (enrollment_actions.status <> 'in_progress' OR enrollment_actions.lease_until < now())
   AND (enrollment_actions.status <> 'dead' OR $8)
RETURNING attempts, generation,
  (SELECT c.completed_at FROM enrollment_actions c WHERE c.business_key = $11 AND c.status = 'succeeded') AS counterpart_done_at`;

/**
 * When a succeeded action is done again: `always` (a reconcile repair: the run saw the LMS without it),
 * `stale` (Retry Enrollment: only if it had succeeded more than 10 minutes before the click, so a double
 * click, or a click made while the enrollment was still running, stays one call) or `never` (a payment webhook). At most once per message.
 */
export type RedoPolicy = 'never' | 'stale' | 'always';

const FINISH = `
WITH a AS (
  UPDATE enrollment_actions
     SET status = $2, lease_until = NULL, updated_at = now(),
         lms_enrollment_id = coalesce($3, lms_enrollment_id), lms_status = coalesce($4, lms_status),
         last_error_code = $5, last_error = $6,
         completed_at = CASE WHEN $2 = 'succeeded' THEN now() ELSE completed_at END
   WHERE business_key = $1
  RETURNING business_key, attempts
)
INSERT INTO action_attempts (business_key, event_id, message_id, attempt, outcome, error_code, error, duration_ms)
SELECT business_key, $7, $8, attempts, $9, $5, $6, $10 FROM a`;

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

/** An action's row as BUSY_STATE reads it. */
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

const BUSY_STATE = `
SELECT status, last_error_code, last_error,
       greatest(0, extract(epoch FROM lease_until - now()) * 1000)::float8 AS lease_ends_in_ms
  FROM enrollment_actions WHERE business_key = $1`;

export function createActionsRepo(pool: Pool, leaseMs = DEFAULT_LEASE_MS) {
  const leaseSeconds = leaseMs / 1000;
  return {
    leaseMs,
    /**
     * `reopenDead`: a fresh message (not a delayed retry) may try a dead action again.
     * `redo`: whether a succeeded action is done again, as a new generation (see RedoPolicy).
     */
    /** `counterpartKey`: an action whose completion time comes back with the claim (one round trip). */
    async claim(
      a: ClaimedAction,
      ctx: ActionContext,
      reopenDead: boolean,
      redo: RedoPolicy = 'never',
      counterpartKey: string | null = null,
    ): Promise<Claim> {
      const { rows } = await pool.query<{
        attempts: number;
        generation: number;
        counterpart_done_at: Date | null;
      }>(CLAIM, [
        a.businessKey,
        a.action,
        ctx.orderId,
        ctx.orderName,
        a.courseCode,
        a.studentId,
        ctx.eventId,
        reopenDead,
        redo,
        ctx.messageId,
        counterpartKey,
        leaseSeconds,
        ctx.requestedAt ?? null,
        claimLockKey(a),
      ]);
      const claimed = rows[0];
      if (claimed) {
        return {
          kind: 'claimed',
          attempt: claimed.attempts,
          idempotencyKey: idempotencyKeyFor(a.businessKey, claimed.generation),
          counterpartDoneAt: claimed.counterpart_done_at,
        };
      }
      const current = await pool.query<ActionStateRow>(BUSY_STATE, [a.businessKey]);
      return refusedClaim(current.rows[0]);
    },

    /**
     * Extends the lease of a claim still held (`attempt` from the claim fences off a holder whose lease
     * lapsed and was claimed again). False when the claim is no longer ours.
     */
    async renew(businessKey: string, attempt: number): Promise<boolean> {
      const r = await pool.query(RENEW, [businessKey, attempt, leaseSeconds]);
      return (r.rowCount ?? 0) > 0;
    },

    async finish(businessKey: string, ctx: ActionContext, r: ActionResult): Promise<void> {
      await pool.query(FINISH, [
        businessKey,
        r.status,
        r.lmsEnrollmentId ?? null,
        r.lmsStatus ?? null,
        r.errorCode ?? null,
        r.error == null ? null : boundForeignText(r.error),
        ctx.eventId,
        ctx.messageId,
        r.outcome,
        Math.round(r.durationMs),
      ]);
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
