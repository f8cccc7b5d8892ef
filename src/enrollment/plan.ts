// Pure: what one order-sync message should do, given the order as Odoo has it now.
// Odoo is the truth: the webhook only says "look at this order".
import { CONFIRMED_ORDER_STATES } from '../odoo';
import type { EnrollmentOrder, LmsSyncState } from '../odoo';
import type { OrderSyncMessage } from './message';
import { resolveLearners, type Learner, type LearnerSource } from './learner';

export interface PlannedAction {
  action: 'enroll' | 'suspend';
  businessKey: string;
  courseCode: string | null;
  lineId: number;
  studentId: string;
  learner: Learner;
  /** A reason no LMS call can succeed (a data problem for a person): the action is dead at once. */
  problem?: { code: 'course_unmapped' | 'missing_email'; message: string };
}

/** A paid course line with seats no learner is named for yet. */
export interface OpenSeats {
  lineId: number;
  courseCode: string | null;
  seats: number;
  assigned: number;
}

export type Plan =
  | { kind: 'actions'; actions: PlannedAction[]; openSeats: OpenSeats[] }
  | { kind: 'nothing'; syncState: LmsSyncState; reason: string; openSeats: OpenSeats[] };

/** "3 of 20 seats assigned (PY-K12)", for the order's status and chatter. */
export function describeOpenSeats(open: readonly OpenSeats[]): string {
  return open
    .map((o) => `${o.assigned} of ${o.seats} seats assigned (${o.courseCode ?? `line ${o.lineId}`})`)
    .join('; ');
}

export function enrollmentKey(orderId: number, courseCode: string, studentId: string): string {
  return `enroll:${orderId}:${courseCode}:${studentId}`;
}

export function suspensionKey(orderId: number, courseCode: string, studentId: string): string {
  return `suspend:${orderId}:${courseCode}:${studentId}`;
}

const CONFIRMED = new Set(CONFIRMED_ORDER_STATES);

export function planOrderSync(
  order: EnrollmentOrder,
  msg: OrderSyncMessage,
  source: LearnerSource = 'customer',
): Plan {
  if (!CONFIRMED.has(order.state)) {
    const state = order.state === 'cancel' ? 'not_applicable' : 'pending';
    return {
      kind: 'nothing',
      syncState: state,
      reason: `order ${order.name} is in state '${order.state}', not confirmed: nobody enrolled`,
      openSeats: [],
    };
  }
  const lines = order.courseLines.filter(
    (l) =>
      (!msg.lineIds || msg.lineIds.includes(l.lineId)) &&
      (!msg.courseCode || l.courseCode === msg.courseCode),
  );
  if (lines.length === 0) {
    return {
      kind: 'nothing',
      syncState: 'not_applicable',
      reason: `order ${order.name} has no course product to enroll`,
      openSeats: [],
    };
  }
  // Refunds are per line: a refunded line is suspended (unless something else still pays for the
  // course: decided when the action runs), the others are enrolled while the order is paid.
  const paid = order.paymentStatus === 'paid';
  const refunded = (l: (typeof lines)[number]) => l.refunded || order.paymentStatus === 'refunded';
  if (!paid && !lines.some(refunded)) {
    return {
      kind: 'nothing',
      syncState: 'pending',
      reason: `order ${order.name} is not paid yet (its customer invoices are not all paid): nobody enrolled`,
      openSeats: [],
    };
  }
  const byKey = new Map<string, PlannedAction>();
  const openSeats: OpenSeats[] = [];
  const wanted = new Set(lines.map((l) => l.lineId));
  for (const { line, learners, seats, unassigned } of resolveLearners(order, source)) {
    if (!wanted.has(line.lineId)) continue;
    const action = refunded(line) ? 'suspend' : paid ? 'enroll' : null;
    if (action === null) continue;
    if (action === 'suspend' && line.courseCode === null) continue; // nothing was ever enrolled for it
    if (action === 'enroll' && unassigned > 0) {
      openSeats.push({
        lineId: line.lineId,
        courseCode: line.courseCode,
        seats,
        assigned: seats - unassigned,
      });
    }
    const code = line.courseCode ?? `unmapped-line-${line.lineId}`;
    for (const learner of learners) {
      const { studentId } = learner;
      const key =
        action === 'enroll'
          ? enrollmentKey(order.id, code, studentId)
          : suspensionKey(order.id, code, studentId);
      if (byKey.has(key)) continue; // two lines of one course: one enrollment
      byKey.set(key, {
        action,
        businessKey: key,
        courseCode: line.courseCode,
        lineId: line.lineId,
        studentId,
        learner,
        ...problemFor(line, learner, action),
      });
    }
  }
  if (byKey.size === 0) {
    if (openSeats.length > 0) {
      return {
        kind: 'nothing',
        syncState: 'pending',
        reason: `order ${order.name}: ${describeOpenSeats(openSeats)}; the others are enrolled once named`,
        openSeats,
      };
    }
    return {
      kind: 'nothing',
      syncState: paid ? 'synced' : 'not_applicable',
      reason: `order ${order.name} is refunded and has no mapped course`,
      openSeats,
    };
  }
  return { kind: 'actions', actions: [...byKey.values()], openSeats };
}

function problemFor(
  line: EnrollmentOrder['courseLines'][number],
  learner: Learner,
  action: PlannedAction['action'],
): Pick<PlannedAction, 'problem'> {
  if (line.courseCode === null) {
    return {
      problem: {
        code: 'course_unmapped',
        message: `product "${line.productName}" is a course product without an Internal Reference (LMS course code)`,
      },
    };
  }
  if (action === 'enroll' && !learner.contact) {
    return {
      problem: {
        code: 'missing_email',
        message: `learner "${learner.name}" has no email address, nor has any parent contact or the customer`,
      },
    };
  }
  return {};
}

const PARTNER_STUDENT = /^odoo-partner-([1-9][0-9]{0,8})$/;

/**
 * Suspends for learners this order enrolled who are no longer among its learners (removed from a line):
 * each is then suspended unless something else still pays for them (checked when the action runs).
 */
export function removedLearnerSuspends(
  order: EnrollmentOrder,
  enrolled: ReadonlyArray<{ courseCode: string; studentId: string }>,
  planned: readonly PlannedAction[],
  source: LearnerSource,
): PlannedAction[] {
  if (order.paymentStatus !== 'paid') return [];
  const current = new Set(
    resolveLearners(order, source).flatMap((l) =>
      l.learners.map((x) => `${l.line.courseCode}|${x.studentId}`),
    ),
  );
  const plannedKeys = new Set(planned.map((a) => a.businessKey));
  const out: PlannedAction[] = [];
  for (const { courseCode, studentId } of enrolled) {
    const partner = PARTNER_STUDENT.exec(studentId);
    if (!partner || current.has(`${courseCode}|${studentId}`)) continue;
    const key = suspensionKey(order.id, courseCode, studentId);
    const line = order.courseLines.find((l) => l.courseCode === courseCode);
    if (!line || plannedKeys.has(key)) continue;
    plannedKeys.add(key);
    const partnerId = Number(partner[1]);
    out.push({
      action: 'suspend',
      businessKey: key,
      courseCode,
      lineId: line.lineId,
      studentId,
      learner: { partnerId, studentId, name: studentId, email: null, phone: null, contact: null },
    });
  }
  return out;
}
