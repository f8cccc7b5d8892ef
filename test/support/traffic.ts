// Signed webhooks into a running harness, and waiting for the consumer to have handled them.
import request from 'supertest';
import type { Harness } from './harness';
import { waitFor } from './db';
import { signedDelivery } from './webhooks';

/** Sends one signed delivery; expects 202 and returns its event id. */
export async function send(h: Harness, payload: unknown): Promise<string> {
  const d = signedDelivery(payload);
  const res = await request(h.service.app).post('/webhooks/odoo').set(d.headers).send(d.body);
  expect(res.status).toBe(202);
  return res.body.eventId;
}

/** Resolves once the event's message was consumed (whatever its outcome). */
export const consumed = (h: Harness, eventId: string) =>
  waitFor(
    async () =>
      (await h.db.pool.query('SELECT 1 FROM consumed_messages WHERE event_id = $1', [eventId])).rowCount,
    'consumed',
  );
