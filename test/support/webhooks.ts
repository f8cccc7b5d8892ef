// Builds signed deliveries the way Odoo's addon does (Standard Webhooks headers).
import { randomUUID } from 'node:crypto';
import { sign } from '../../src/webhooks/signature';

export const TEST_SECRET = 'whsec_' + Buffer.from('test-secret-key-0123456789abcdef').toString('base64');
export const OTHER_SECRET = 'whsec_' + Buffer.from('another-secret-key-for-rotation!').toString('base64');

export interface SignedDelivery {
  headers: Record<string, string>;
  body: string;
}

export function signedDelivery(
  payload: unknown,
  options: { secret?: string; id?: string; timestamp?: number; body?: string } = {},
): SignedDelivery {
  const body = options.body ?? JSON.stringify(payload);
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign(options.secret ?? TEST_SECRET, id, timestamp, body),
    },
  };
}

export const events = {
  paid: (orderId: number, orderName = `S${String(orderId).padStart(5, '0')}`) => ({
    type: 'order.paid',
    timestamp: new Date().toISOString(),
    data: { orderId, orderName },
  }),
  refunded: (orderId: number, orderName = `S${String(orderId).padStart(5, '0')}`) => ({
    type: 'order.refunded',
    timestamp: new Date().toISOString(),
    data: { orderId, orderName },
  }),
  learnersChanged: (orderId: number, orderName = `S${String(orderId).padStart(5, '0')}`) => ({
    type: 'order.learners_changed',
    timestamp: new Date().toISOString(),
    data: { orderId, orderName },
  }),
  retry: (orderId: number, orderName = `S${String(orderId).padStart(5, '0')}`, lineIds?: number[]) => ({
    type: 'enrollment.retry_requested',
    timestamp: new Date().toISOString(),
    data: {
      orderId,
      orderName,
      requestedBy: { userId: 2, name: 'Mitchell Admin' },
      ...(lineIds ? { lineIds } : {}),
    },
  }),
};
