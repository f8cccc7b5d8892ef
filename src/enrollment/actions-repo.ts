// enrollment_actions and action_attempts: claim an action before calling the LMS, record the result.
import type { Pool } from 'pg';
import { boundForeignText } from '../lib/foreign-text';
import type { PlannedAction } from './plan';

export type Claim =
  | { kind: 'claimed'; attempt: number; idempotencyKey: string; counterpartDoneAt: Date | null }
  | { kind: 'done' }
  | { kind: 'busy' }
  | { kind: 'dead'; code: string; message: string };

export interface ActionContext {
  orderId: number;
  orderName: string;
  eventId: string;
  messageId: string;
}

export interface ActionResult {
  status: 'succeeded' | 'failed' | 'dead';
  outcome: 'succeeded' | 'transient' | 'permanent';
  lmsEnrollmentId?: string | null;
  lmsStatus?: string | null;
  errorCode?: string | null;
  error?: string | null;
  durationMs: number;
}

/** A claimed action is leased; a consumer that dies mid-call leaves it to expire, not stuck. */
export const LEASE_SECONDS = 60;

const CLAIM = `
INSERT INTO enrollment_actions
  (business_key, action, order_id, order_name, course_code, student_id, status, lease_until, attempts, first_event_id)
VALUES ($1, $2, $3, $4, $5, $6, 'in_progress', now() + make_interval(secs => ${LEASE_SECONDS}), 1, $7)
ON CONFLICT (business_key) DO UPDATE
   SET status = 'in_progress', lease_until = EXCLUDED.lease_until,
       attempts = enrollment_actions.attempts + 1, updated_at = now(),
       generation = enrollment_actions.generation + CASE WHEN enrollment_actions.status = 'succeeded' THEN 1 ELSE 0 END,
       redo_message_id = CASE WHEN enrollment_actions.status = 'succeeded' THEN $10::uuid ELSE enrollment_actions.redo_message_id END
 WHERE (enrollment_actions.status <> 'succeeded'
        OR (enrollment_actions.redo_message_id IS DISTINCT FROM $10::uuid
            AND ($9 = 'always' OR ($9 = 'stale' AND enrollment_actions.completed_at < now() - interval '10 minutes'))))
   AND (enrollment_actions.status <> 'in_progress' OR enrollment_actions.lease_until < now())
   AND (enrollment_actions.status <> 'dead' OR $8)
RETURNING attempts, generation,
  (SELECT c.completed_at FROM enrollment_actions c WHERE c.business_key = $11 AND c.status = 'succeeded') AS counterpart_done_at`;

/**
 * When a succeeded action is done again: `always` (a reconcile repair: the run saw the LMS without it),
 * `stale` (Retry Enrollment: only if it succeeded more than 10 minutes ago, so a double click stays one
 * call) or `never` (a payment webhook). At most once per message.
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

export function createActionsRepo(pool: Pool) {
  return {
    /**
     * `reopenDead`: a fresh message (not a delayed retry) may try a dead action again.
     * `redo`: whether a succeeded action is done again, as a new generation (see RedoPolicy).
     */
    /** `counterpartKey`: an action whose completion time comes back with the claim (one round trip). */
    async claim(
      a: PlannedAction,
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
      ]);
      const claimed = rows[0];
      if (claimed) {
        const idempotencyKey =
          claimed.generation === 1 ? a.businessKey : `${a.businessKey}#${claimed.generation}`;
        return {
          kind: 'claimed',
          attempt: claimed.attempts,
          idempotencyKey,
          counterpartDoneAt: claimed.counterpart_done_at,
        };
      }
      const current = await pool.query<{
        status: string;
        last_error_code: string | null;
        last_error: string | null;
      }>('SELECT status, last_error_code, last_error FROM enrollment_actions WHERE business_key = $1', [
        a.businessKey,
      ]);
      const row = current.rows[0];
      if (row?.status === 'succeeded') return { kind: 'done' };
      if (row?.status === 'dead') {
        return {
          kind: 'dead',
          code: row.last_error_code ?? 'dead',
          message: row.last_error ?? 'dead-lettered earlier',
        };
      }
      return { kind: 'busy' };
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

    /** Where another action stands (the enroll/suspend counterpart of a refund race). */
    async stateOf(businessKey: string): Promise<{ status: string; completedAt: Date | null } | null> {
      const { rows } = await pool.query<{ status: string; completed_at: Date | null }>(
        'SELECT status, completed_at FROM enrollment_actions WHERE business_key = $1',
        [businessKey],
      );
      const r = rows[0];
      return r ? { status: r.status, completedAt: r.completed_at } : null;
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
