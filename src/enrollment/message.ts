// The one message the queue carries: "bring this order's enrollments in line with Odoo".
// Enrollment owns it: it is what enrollment acts on. Webhooks, reconcile repairs and dead-letter
// replays produce it, all through the outbox (outbox/enqueue.ts).
import { z } from 'zod';
import { odooId } from '../odoo';

export const TRIGGERS = [
  'order.paid',
  'order.refunded',
  'order.learners_changed',
  'enrollment.retry_requested',
  'reconcile.repair',
  'dlq.replay',
] as const;

export const orderSyncMessage = z.object({
  messageId: z.guid(),
  eventId: z.guid(),
  trigger: z.enum(TRIGGERS),
  orderId: odooId,
  orderName: z.string(),
  /** Only these order lines (retry of chosen lines); absent = every course line. */
  lineIds: z.array(odooId).optional(),
  /** Only this course (a reconcile repair of one enrollment). */
  courseCode: z.string().optional(),
  requestedBy: z.object({ userId: odooId, name: z.string() }).optional(),
  /** When the triggering delivery was accepted (ISO); for the accept→enrolled latency. */
  acceptedAt: z.string().optional(),
});

export type OrderSyncMessage = z.infer<typeof orderSyncMessage>;
export type Trigger = (typeof TRIGGERS)[number];

export const ORDER_SYNC_ROUTING_KEY = 'order.sync';
