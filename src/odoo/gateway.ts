// What the service needs from Odoo, in business terms. The transport under it (XML-RPC today, JSON-2
// later) is an OdooTransport; callers see only this interface (transport-gateway.ts implements it).

import type { ChatterNote, PostOptions } from './chatter';

export type { ChatterNote, PostOptions } from './chatter';

export type PaymentStatus = 'paid' | 'unpaid' | 'refunded';

export interface OrderPartner {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  /** parent_id: the company of a contact, the parent of a child */
  parentId: number | null;
  isCompany: boolean;
}

export interface OrderCourseLine {
  lineId: number;
  productId: number;
  productName: string;
  /** product default_code, or null when the course product has no Internal Reference */
  courseCode: string | null;
  /** A posted credit note took this line back (a partial refund refunds only its own lines). */
  refunded: boolean;
  /** product_uom_qty: the seats a line of several buys */
  quantity: number;
  /** the learners named on the line (the addon's lms_learner_ids), in Odoo's order; [] when not read */
  learnerIds: number[];
}

export interface EnrollmentOrder {
  id: number;
  name: string;
  /** sale.order.state as Odoo gives it: draft, sent, sale, done (≤16), cancel */
  state: string;
  /** `refunded` when every course line is refunded; a partial refund leaves the order `paid`. */
  paymentStatus: PaymentStatus;
  /** the customer (partner_id) */
  partner: OrderPartner;
  /** partner_shipping_id, the delivery address (often the child a parent buys for) */
  shippingPartnerId: number;
  /**
   * Every partner the order names (customer, delivery address, line learners) and, for those without an
   * email, their parents up to the first one with an email (a learner's guardian).
   */
  partners: ReadonlyMap<number, OrderPartner>;
  /** Only lines whose product is in the course category (sub-categories included). */
  courseLines: OrderCourseLine[];
  /** Lines with other products (fees, books): counted, ignored. */
  otherLineCount: number;
}

export type LmsSyncState = 'pending' | 'synced' | 'failed' | 'not_applicable';

export interface OdooGateway {
  /**
   * null when the order does not exist (read of a missing id returns []). `fresh`: nothing read earlier
   * is reused (products are otherwise kept for ODOO_PRODUCT_CACHE_SECONDS); Retry Enrollment asks so.
   */
  readOrderForEnrollment(orderId: number, options?: { fresh?: boolean }): Promise<EnrollmentOrder | null>;
  /**
   * Writes lms_sync_state / lms_last_sync_at / lms_last_error. When the addon is not installed
   * (fields_get, checked once) it logs one warning and does nothing.
   */
  writeSyncStatus(
    orderId: number,
    status: { state: LmsSyncState; error: string | null; at: Date },
  ): Promise<void>;
  /**
   * A plain-text internal note in the order's chatter. Notes for one order are posted one post at a time,
   * those made close together as one; a note is posted once per key, also when `retried`.
   */
  postOrderNote(orderId: number, note: ChatterNote, options?: PostOptions): Promise<void>;
  /**
   * Another confirmed order of these partners that still pays for this course (a paid, unrefunded line
   * of it), read from Odoo now; null when there is none. A refund suspends only what nothing else covers.
   */
  findCoveringOrder(query: {
    /** the orders of these customers, or delivered to them (a learner bought for by another) */
    partnerIds: number[];
    courseCode: string;
    exceptOrderId: number;
    /** whether an order, as read, still pays for this course for the learner (default: stillPaysFor) */
    covers?: (order: EnrollmentOrder) => boolean;
  }): Promise<{ id: number; name: string } | null>;
  /** common.version(); for /readyz. */
  ping(): Promise<void>;
}
