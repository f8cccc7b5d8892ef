// Who learns, as opposed to who pays: the one place that turns an order into the learners of each of its
// course lines (LEARNER_SOURCE), and says where a learner without an email of their own is reached. Pure.
//
// - customer: the order's customer takes every course line (one enrollment per course, whatever the
//   quantity): the behaviour before learners existed.
// - delivery: the order's delivery address (partner_shipping_id) when it is a person other than the
//   customer (a parent's child), else the customer.
// - attendees: the learners named on each line (the addon's lms_learner_ids), at most its quantity; a
//   one-seat line without names falls back to `delivery`. Seats without a name are unassigned.
//
// The studentId is always derived from the learner's res.partner id, so a learner keeps one LMS identity
// across orders and buyers.
import { studentIdForPartner } from '../lms';
import type { EnrollmentOrder, OrderCourseLine, OrderPartner } from '../odoo';

export const LEARNER_SOURCES = ['customer', 'delivery', 'attendees'] as const;
export type LearnerSource = (typeof LEARNER_SOURCES)[number];

/** Where the LMS's invitation goes for this learner. */
export type LearnerContact =
  | { via: 'own'; email: string }
  /** the nearest parent contact with an email (a parent, a school) */
  | { via: 'guardian'; email: string; guardianId: number; guardianName: string }
  /** nobody up the chain has one: the customer who bought the seat */
  | { via: 'buyer'; email: string; guardianId: number; guardianName: string };

export interface Learner {
  partnerId: number;
  studentId: string;
  name: string;
  /** the learner's own email, null when they have none */
  email: string | null;
  phone: string | null;
  /** null when no email exists anywhere: neither theirs, nor a parent contact's, nor the buyer's */
  contact: LearnerContact | null;
}

export interface LineLearners {
  line: OrderCourseLine;
  learners: Learner[];
  /** seats the line buys (1 unless learners are named per line) */
  seats: number;
  /** seats without a learner yet */
  unassigned: number;
}

/** How far up parent_id a guardian is looked for; the order reader reads that far. */
const MAX_GUARDIAN_DEPTH = 4;

/** The nearest parent with an email, else the buyer, else nobody. */
export function contactFor(order: EnrollmentOrder, learner: OrderPartner): LearnerContact | null {
  if (learner.email) return { via: 'own', email: learner.email };
  let parentId = learner.parentId;
  for (let depth = 0; parentId !== null && depth < MAX_GUARDIAN_DEPTH; depth++) {
    const parent = order.partners.get(parentId);
    if (!parent) break;
    if (parent.email) {
      return { via: 'guardian', email: parent.email, guardianId: parent.id, guardianName: parent.name };
    }
    parentId = parent.parentId;
  }
  const buyer = order.partner;
  if (buyer.email && buyer.id !== learner.id) {
    return { via: 'buyer', email: buyer.email, guardianId: buyer.id, guardianName: buyer.name };
  }
  return null;
}

function learnerOf(order: EnrollmentOrder, partner: OrderPartner): Learner {
  return {
    partnerId: partner.id,
    studentId: studentIdForPartner(partner.id),
    name: partner.name,
    email: partner.email,
    phone: partner.phone,
    contact: contactFor(order, partner),
  };
}

/** The delivery address when it is a person other than the customer, else the customer. */
function deliveryLearner(order: EnrollmentOrder): OrderPartner {
  const shipping = order.partners.get(order.shippingPartnerId);
  if (shipping && shipping.id !== order.partner.id && !shipping.isCompany) return shipping;
  return order.partner;
}

function namedOnLine(order: EnrollmentOrder, line: OrderCourseLine): OrderPartner[] {
  const seen = new Set<number>();
  const named: OrderPartner[] = [];
  for (const id of line.learnerIds) {
    const p = order.partners.get(id);
    if (p && !seen.has(id)) named.push(p);
    seen.add(id);
  }
  return named.slice(0, line.quantity); // a line of quantity N takes at most N
}

export function resolveLearners(order: EnrollmentOrder, source: LearnerSource): LineLearners[] {
  return order.courseLines.map((line) => {
    if (source === 'customer')
      return { line, learners: [learnerOf(order, order.partner)], seats: 1, unassigned: 0 };
    if (source === 'delivery')
      return { line, learners: [learnerOf(order, deliveryLearner(order))], seats: 1, unassigned: 0 };
    const named = namedOnLine(order, line);
    if (named.length === 0 && line.quantity <= 1) {
      return { line, learners: [learnerOf(order, deliveryLearner(order))], seats: 1, unassigned: 0 };
    }
    const learners = named.map((p) => learnerOf(order, p));
    return { line, learners, seats: line.quantity, unassigned: line.quantity - learners.length };
  });
}
