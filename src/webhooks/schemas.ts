// One zod schema per webhook event type, discriminated on `type`. Types come from these schemas.
// Unknown extra keys are dropped (tolerant reader); unknown types and wrong shapes are refused.
import { z } from 'zod';
import { isIsoDateTime } from '../lib';
import { odooId } from '../odoo';
import { storableTextIssues } from './storable-text';

const isoTimestamp = z.string().refine(isIsoDateTime, 'Invalid datetime');

// Name limits, in UTF-16 code units (a string's length here; an emoji counts 2). The Odoo
// addon cleans and cuts the names it sends to these same limits
// (odoo-addon/lms_sync/lib/payload_text.py; test/addon checks that both agree), so a long
// name never costs a delivery its 400 and the real-time path.
export const ORDER_NAME_MAX_LENGTH = 64;
export const USER_NAME_MAX_LENGTH = 256;

/** 1 to `max` UTF-16 code units (zod 4's `.max()` counts code points: an emoji would count 1). */
const name = (max: number) =>
  z
    .string()
    .min(1)
    .refine((s) => s.length <= max, `must be at most ${max} UTF-16 code units (an emoji counts 2)`);

const orderRef = { orderId: odooId, orderName: name(ORDER_NAME_MAX_LENGTH) };

export const enrollmentRetryRequested = z.object({
  type: z.literal('enrollment.retry_requested'),
  timestamp: isoTimestamp,
  data: z.object({
    ...orderRef,
    requestedBy: z.object({ userId: odooId, name: name(USER_NAME_MAX_LENGTH) }),
    lineIds: z.array(odooId).min(1).max(500).optional(),
  }),
});

export const orderPaid = z.object({
  type: z.literal('order.paid'),
  timestamp: isoTimestamp,
  data: z.object(orderRef),
});

export const orderRefunded = z.object({
  type: z.literal('order.refunded'),
  timestamp: isoTimestamp,
  data: z.object(orderRef),
});

/** The learners named on the order's course lines changed (the addon's Assign learners). */
export const orderLearnersChanged = z.object({
  type: z.literal('order.learners_changed'),
  timestamp: isoTimestamp,
  data: z.object(orderRef),
});

const eventByType = z.discriminatedUnion('type', [
  enrollmentRetryRequested,
  orderPaid,
  orderRefunded,
  orderLearnersChanged,
]);

/** Every string kept from the body is checked once, whatever its field (storable-text.ts says why). */
export const webhookEvent = eventByType.superRefine((event, ctx) => {
  for (const issue of storableTextIssues(event)) ctx.addIssue({ code: 'custom', ...issue });
});

export type WebhookEvent = z.infer<typeof webhookEvent>;
export type WebhookEventType = WebhookEvent['type'];
export const WEBHOOK_EVENT_TYPES = eventByType.options.map((o) => o.shape.type.value);

export interface PayloadIssue {
  path: string;
  message: string;
}

export function describeIssues(error: z.ZodError): PayloadIssue[] {
  return error.issues.map((i) => ({
    path: i.path.length ? i.path.join('.') : '(body)',
    message:
      i.code === 'invalid_union' && i.discriminator !== undefined
        ? `unknown type; expected one of ${WEBHOOK_EVENT_TYPES.join(', ')}`
        : i.message,
  }));
}
