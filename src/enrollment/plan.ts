// Pure: what one order-sync message should do, given the order as Odoo has it now.
// Odoo is the truth: the webhook only says "look at this order".
import { CONFIRMED_ORDER_STATES } from '../odoo/conventions';
import type { EnrollmentOrder, LmsSyncState } from '../odoo/gateway';
import type { OrderSyncMessage } from '../queue/messages';
import { studentIdForPartner } from '../lms/adapter';

export interface PlannedAction {
  action: 'enroll' | 'suspend';
  businessKey: string;
  courseCode: string | null;
  lineId: number;
  studentId: string;
  /** A reason no LMS call can succeed (a data problem for a person): the action is dead at once. */
  problem?: { code: 'course_unmapped' | 'missing_email'; message: string };
}

export type Plan =
  | { kind: 'actions'; actions: PlannedAction[] }
  | { kind: 'nothing'; syncState: LmsSyncState; reason: string };

export function enrollmentKey(orderId: number, courseCode: string, studentId: string): string {
  return `enroll:${orderId}:${courseCode}:${studentId}`;
}

export function suspensionKey(orderId: number, courseCode: string, studentId: string): string {
  return `suspend:${orderId}:${courseCode}:${studentId}`;
}

const CONFIRMED = new Set(CONFIRMED_ORDER_STATES);

export function planOrderSync(order: EnrollmentOrder, msg: OrderSyncMessage): Plan {
  if (!CONFIRMED.has(order.state)) {
    const state = order.state === 'cancel' ? 'not_applicable' : 'pending';
    return {
      kind: 'nothing',
      syncState: state,
      reason: `order ${order.name} is in state '${order.state}', not confirmed: nobody enrolled`,
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
    };
  }
  const studentId = studentIdForPartner(order.partner.id);
  const byKey = new Map<string, PlannedAction>();
  for (const line of lines) {
    const action = refunded(line) ? 'suspend' : paid ? 'enroll' : null;
    if (action === null) continue;
    if (action === 'suspend' && line.courseCode === null) continue; // nothing was ever enrolled for it
    const code = line.courseCode ?? `unmapped-line-${line.lineId}`;
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
      ...problemFor(order, line, action),
    });
  }
  if (byKey.size === 0) {
    return {
      kind: 'nothing',
      syncState: paid ? 'synced' : 'not_applicable',
      reason: `order ${order.name} is refunded and has no mapped course`,
    };
  }
  return { kind: 'actions', actions: [...byKey.values()] };
}

function problemFor(
  order: EnrollmentOrder,
  line: EnrollmentOrder['courseLines'][number],
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
  if (action === 'enroll' && !order.partner.email) {
    return {
      problem: { code: 'missing_email', message: `customer "${order.partner.name}" has no email address` },
    };
  }
  return {};
}
