// The business action for one message: read the order from Odoo, plan, run each enrollment against
// the LMS exactly once (claim → call with the business key → record), write the result back to Odoo.
import { PermanentError, TransientError, errorMessage } from '../lib';
import { loginForPartner, type LmsAdapter, type LmsStudent } from '../lms';
import type { EnrollmentOrder, OdooGateway } from '../odoo';
import type { Logger } from '../observability';
import type { Metrics } from '../observability';
import type { OrderSyncMessage } from './message';
import type { ActionContext, ActionResult, ActionsRepo, RedoPolicy } from './actions-repo';
import { combineOutcomes, type ActionOutcome, type SyncOutcome } from './outcome';

export type { ActionFailure, SyncOutcome } from './outcome';

// A repair comes from a run that saw the LMS without the enrollment; a person's retry or replay may
// also be about an enrollment the LMS lost (but a double click within minutes is not).
// These come after a person or the reconciler looked at Odoo (a product's course code fixed, often):
// nothing read earlier is reused for them. Webhooks of orders (a campaign's burst) share kept products.
const READS_ANEW = new Set<OrderSyncMessage['trigger']>([
  'enrollment.retry_requested',
  'reconcile.repair',
  'dlq.replay',
]);

const REDO: Record<OrderSyncMessage['trigger'], RedoPolicy> = {
  'order.paid': 'never',
  'order.refunded': 'never',
  'order.learners_changed': 'never',
  'enrollment.retry_requested': 'stale',
  'dlq.replay': 'stale',
  'reconcile.repair': 'always',
};
import { resolveLearners, type Learner, type LearnerSource } from './learner';
import {
  describeOpenSeats,
  planOrderSync,
  removedLearnerSuspends,
  suspensionKey,
  type OpenSeats,
  type Plan,
  type PlannedAction,
} from './plan';
import { describeOutcome, doneNoteWorthIt, orderNote as note } from './order-notes';
import { keepLeased } from './lease';

/** A learner as the LMS gets them: their own email, or (none of their own) a stable login and a guardian. */
function lmsStudent(learner: Learner): LmsStudent {
  const phone = learner.phone ? { phone: learner.phone } : {};
  const { contact } = learner;
  if (!contact || contact.via === 'own') {
    return { studentId: learner.studentId, email: learner.email ?? '', fullName: learner.name, ...phone };
  }
  return {
    studentId: learner.studentId,
    fullName: learner.name,
    ...phone,
    login: loginForPartner(learner.partnerId),
    guardian: { name: contact.guardianName, email: contact.email },
  };
}

function timeOrNull(iso: string | undefined): Date | null {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? null : new Date(t);
}

/** A retry that exists only to write the result back to Odoo: not an enrollment problem for Helpdesk. */
export const WRITEBACK_FAILED = 'odoo_writeback_failed';

/** The lms_status of a refund's suspend that was not made because something else still pays. */
export const STILL_COVERED = 'still_covered';

export interface OrderSyncDeps {
  odoo: OdooGateway;
  lms: LmsAdapter;
  actions: ActionsRepo;
  log: Logger;
  metrics: Metrics;
  /** LEARNER_SOURCE: who is enrolled for a course line (default: the customer) */
  learnerSource?: LearnerSource;
}

export function createOrderSync(deps: OrderSyncDeps) {
  const { odoo, lms, actions, log, metrics } = deps;
  const learnerSource = deps.learnerSource ?? 'customer';
  /** The order, as read, pays for this course for this learner (a paid, unrefunded line that is theirs). */
  const paysForLearner = (o: EnrollmentOrder, courseCode: string, studentId: string) =>
    o.paymentStatus === 'paid' &&
    resolveLearners(o, learnerSource).some(
      (l) =>
        l.line.courseCode === courseCode &&
        !l.line.refunded &&
        l.learners.some((x) => x.studentId === studentId),
    );

  /**
   * A refund takes a course from a learner only when nothing else pays for it: another paid line of this
   * order, or another paid order of the same customer (asked of Odoo now, under the lock that keeps
   * enrollments of this learner in this course out until the suspend is done).
   */
  async function suspendUnlessCovered(
    a: PlannedAction,
    order: EnrollmentOrder,
    idempotencyKey: string,
  ): Promise<Omit<ActionResult, 'durationMs'>> {
    const courseCode = a.courseCode as string;
    const covers = (o: EnrollmentOrder) => paysForLearner(o, courseCode, a.studentId);
    const cover = covers(order)
      ? order
      : await odoo.findCoveringOrder({
          partnerIds: [...new Set([order.partner.id, a.learner.partnerId])],
          courseCode,
          exceptOrderId: order.id,
          covers,
        });
    if (cover) {
      return { status: 'succeeded', outcome: 'succeeded', lmsStatus: STILL_COVERED, coveredBy: cover.name };
    }
    try {
      const r = await lms.suspend({ courseCode, studentId: a.studentId, idempotencyKey });
      return { status: 'succeeded', outcome: 'succeeded', lmsStatus: r.status };
    } catch (err) {
      // Nothing enrolled means nothing to suspend: the refund's goal already holds.
      if (err instanceof PermanentError && err.code === 'lms_not_enrolled') {
        return { status: 'succeeded', outcome: 'succeeded', lmsStatus: 'not_enrolled' };
      }
      throw err;
    }
  }

  async function callLms(
    a: PlannedAction,
    order: EnrollmentOrder,
    idempotencyKey: string,
  ): Promise<Omit<ActionResult, 'durationMs'>> {
    if (a.action === 'suspend') {
      const guarded = await actions.whileNoEnrollInFlight(a.courseCode as string, a.studentId, () =>
        suspendUnlessCovered(a, order, idempotencyKey),
      );
      if (guarded.kind === 'busy') {
        // An enroll of this learner in this course (from any order) is running: suspend after it, and
        // look again then at whether something still pays for the course.
        throw new TransientError(
          'enroll_in_flight',
          'an enrollment of this student in this course is in flight: suspend after it',
        );
      }
      return guarded.value;
    }
    const r = await lms.enroll({
      courseCode: a.courseCode as string,
      student: lmsStudent(a.learner),
      source: { orderId: order.id, orderName: order.name },
      idempotencyKey,
    });
    return {
      status: 'succeeded',
      outcome: 'succeeded',
      lmsEnrollmentId: r.enrollmentId,
      lmsStatus: r.status,
    };
  }

  async function runAction(
    a: PlannedAction,
    order: EnrollmentOrder,
    ctx: ActionContext,
    reopenDead: boolean,
    redo: RedoPolicy,
    readAt: Date,
  ): Promise<ActionOutcome> {
    const key = a.businessKey;
    // For an enroll, the claim also says when a suspend of the same enrollment finished (refund race).
    const suspendKey =
      a.action === 'enroll' && a.courseCode ? suspensionKey(order.id, a.courseCode, a.studentId) : null;
    const claim = await actions.claim(a, ctx, reopenDead, redo, suspendKey);
    if (claim.kind === 'done') return { kind: 'skipped', key };
    if (claim.kind === 'busy') {
      const message = 'another worker holds this action';
      return {
        kind: 'busy',
        failure: { businessKey: key, code: 'action_in_progress', message, permanent: false },
        retryAfterMs: claim.leaseEndsInMs,
      };
    }
    if (claim.kind === 'dead') {
      return {
        kind: 'permanent',
        failure: { businessKey: key, code: claim.code, message: claim.message, permanent: true },
      };
    }
    if (a.problem) {
      const { code, message } = a.problem;
      await actions.finish(key, ctx, {
        status: 'dead',
        outcome: 'permanent',
        errorCode: code,
        error: message,
        durationMs: 0,
      });
      return { kind: 'permanent', failure: { businessKey: key, code, message, permanent: true } };
    }
    if (claim.counterpartDoneAt && claim.counterpartDoneAt >= readAt) {
      // A suspend of this enrollment finished after we read the order: it changed under us.
      const message = 'the order was refunded after it was read: read it again';
      await actions.finish(key, ctx, {
        status: 'failed',
        outcome: 'transient',
        errorCode: 'order_changed',
        error: message,
        durationMs: 0,
      });
      return {
        kind: 'transient',
        failure: { businessKey: key, code: 'order_changed', message, permanent: false },
      };
    }
    const started = performance.now();
    try {
      const result = await keepLeased(actions, log, key, claim.attempt, () =>
        callLms(a, order, claim.idempotencyKey),
      );
      const durationMs = performance.now() - started;
      metrics.lmsCallSeconds.observe({ operation: a.action, result: 'ok' }, durationMs / 1000);
      await actions.finish(key, ctx, { ...result, durationMs });
      return { kind: 'succeeded', key, ...(result.coveredBy ? { coveredBy: result.coveredBy } : {}) };
    } catch (err) {
      const durationMs = performance.now() - started;
      const permanent = err instanceof PermanentError;
      const code = err instanceof TransientError || permanent ? err.code : 'unexpected_error';
      metrics.lmsCallSeconds.observe(
        { operation: a.action, result: permanent ? 'permanent' : 'transient' },
        durationMs / 1000,
      );
      const message = errorMessage(err);
      await actions.finish(key, ctx, {
        status: permanent ? 'dead' : 'failed',
        outcome: permanent ? 'permanent' : 'transient',
        errorCode: code,
        error: message,
        durationMs,
      });
      const failure = { businessKey: key, code, message, permanent };
      const retryAfterMs = err instanceof TransientError ? err.retryAfterMs : undefined;
      return permanent
        ? { kind: 'permanent', failure }
        : { kind: 'transient', failure, ...(retryAfterMs ? { retryAfterMs } : {}) };
    }
  }

  async function readOrder(msg: OrderSyncMessage): Promise<EnrollmentOrder | SyncOutcome> {
    try {
      const fresh = READS_ANEW.has(msg.trigger);
      const order = await odoo.readOrderForEnrollment(msg.orderId, fresh ? { fresh } : undefined);
      if (order) return order;
      const message = `order ${msg.orderId} does not exist in Odoo`;
      return {
        kind: 'dead',
        failures: [{ businessKey: null, code: 'order_not_found', message, permanent: true }],
      };
    } catch (err) {
      // A read is safe to repeat, and even a Fault (a server error, a key being rotated) often passes:
      // retried on the ladder, dead-lettered with its reason when the ladder is used up.
      const code = (err as { code?: string }).code ?? 'odoo_error';
      return {
        kind: 'retry',
        failures: [{ businessKey: null, code, message: errorMessage(err), permanent: false }],
      };
    }
  }

  /** `attempt` 1 is a fresh message; higher numbers are delayed retries of it. */
  return async function syncOrder(msg: OrderSyncMessage, attempt = 1): Promise<SyncOutcome> {
    const readAt = new Date(Date.now() - 1000); // a second of slack for clocks between us and PostgreSQL
    const read = await readOrder(msg);
    if ('kind' in read) return read;
    const order = read;
    const planned = planOrderSync(order, msg, learnerSource);
    const plan =
      msg.trigger === 'order.learners_changed' ? await withRemovedLearners(order, planned) : planned;
    if (plan.kind === 'nothing') {
      const done: SyncOutcome = { kind: 'done', detail: plan.reason, courseCodes: [] };
      return writeBackOrRetry(order.id, done, async () => {
        const error = plan.syncState === 'pending' ? plan.reason : null;
        await odoo.writeSyncStatus(order.id, { state: plan.syncState, error, at: new Date() });
        if (msg.trigger === 'enrollment.retry_requested') {
          await odoo.postOrderNote(order.id, note(msg, 'nothing', describeOutcome.nothing(plan.reason)), {
            retried: attempt > 1,
          });
        }
      });
    }
    const ctx: ActionContext = {
      orderId: order.id,
      orderName: order.name,
      eventId: msg.eventId,
      messageId: msg.messageId,
      requestedAt: timeOrNull(msg.acceptedAt),
    };
    const results: ActionOutcome[] = [];
    const redo = REDO[msg.trigger];
    for (const a of plan.actions) results.push(await runAction(a, order, ctx, attempt === 1, redo, readAt));
    const outcome = combineOutcomes(results, plan.actions);
    // The holder of the busy actions writes the result back; a "pending" from us could land after it.
    if (outcome.kind === 'busy') return outcome;
    return writeBackOrRetry(order.id, outcome, () =>
      writeBack(order, msg, plan.actions, outcome, attempt, plan.openSeats),
    );
  };

  /** Assigning learners may also have taken some off a line: those this order enrolled are suspended. */
  async function withRemovedLearners(order: EnrollmentOrder, plan: Plan): Promise<Plan> {
    const actionsSoFar = plan.kind === 'actions' ? plan.actions : [];
    const removed = removedLearnerSuspends(
      order,
      await actions.enrolledByOrder(order.id),
      actionsSoFar,
      learnerSource,
    );
    if (removed.length === 0) return plan;
    return { kind: 'actions', actions: [...actionsSoFar, ...removed], openSeats: plan.openSeats };
  }

  /**
   * The status and note on the order are worth another try when Odoo is briefly away (the retry skips
   * the LMS calls already done); a refusal (a Fault) is logged and the outcome stands.
   */
  async function writeBackOrRetry(
    orderId: number,
    outcome: SyncOutcome,
    write: () => Promise<void>,
  ): Promise<SyncOutcome> {
    try {
      await write();
      return outcome;
    } catch (err) {
      log.warn('could not write the sync result back to Odoo', { orderId, error: errorMessage(err) });
      if (outcome.kind !== 'done' || !(err instanceof TransientError)) return outcome;
      const failure = {
        businessKey: null,
        code: WRITEBACK_FAILED,
        message: errorMessage(err),
        permanent: false,
      };
      return { kind: 'retry', failures: [failure] };
    }
  }

  async function writeBack(
    order: EnrollmentOrder,
    msg: OrderSyncMessage,
    planned: PlannedAction[],
    outcome: SyncOutcome,
    attempt: number,
    openSeats: OpenSeats[],
  ) {
    const at = new Date();
    // a retry of this message redoes the write-back: the status is the same write, the note is looked for
    const retried = { retried: attempt > 1 };
    if (outcome.kind === 'done') {
      // seats without a learner keep the order pending (not failed): they are enrolled once named
      const seats = openSeats.length > 0 ? describeOpenSeats(openSeats) : null;
      await odoo.writeSyncStatus(order.id, { state: seats ? 'pending' : 'synced', error: seats, at });
      if (!doneNoteWorthIt(planned, msg, outcome.kept)) return;
      await odoo.postOrderNote(
        order.id,
        note(msg, 'done', describeOutcome.done(planned, msg, outcome.kept, order.partner.id)),
        retried,
      );
      return;
    }
    const first = outcome.failures[0];
    const error = first ? `${first.code}: ${first.message}` : 'unknown failure';
    await odoo.writeSyncStatus(order.id, {
      state: outcome.kind === 'dead' ? 'failed' : 'pending',
      error,
      at,
    });
    if (outcome.kind === 'dead') {
      await odoo.postOrderNote(
        order.id,
        note(msg, 'failed', describeOutcome.failed(outcome.failures)),
        retried,
      );
    }
  }
}

export type OrderSync = ReturnType<typeof createOrderSync>;
