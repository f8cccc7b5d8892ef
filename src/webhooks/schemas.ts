// One zod schema per webhook event type, discriminated on `type`. Types come from these schemas.
// Unknown extra keys are dropped (tolerant reader); unknown types and wrong shapes are refused.
import { z } from 'zod';
import { odooId } from '../odoo/ids';
import { storableTextIssues } from './storable-text';

const isoTimestamp = z.string().datetime({ offset: true });

const orderRef = { orderId: odooId, orderName: z.string().min(1).max(64) };

export const enrollmentRetryRequested = z.object({
  type: z.literal('enrollment.retry_requested'),
  timestamp: isoTimestamp,
  data: z.object({
    ...orderRef,
    requestedBy: z.object({ userId: odooId, name: z.string().min(1).max(256) }),
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

const eventByType = z.discriminatedUnion('type', [enrollmentRetryRequested, orderPaid, orderRefunded]);

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
      i.code === 'invalid_union_discriminator'
        ? `unknown type; expected one of ${WEBHOOK_EVENT_TYPES.join(', ')}`
        : i.message,
  }));
}
