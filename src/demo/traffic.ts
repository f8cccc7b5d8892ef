// The demo's webhook traffic: signed deliveries over real HTTP, as the Odoo addon sends them.
import { randomUUID } from 'node:crypto';
import { sign } from '../webhooks';

export interface Delivery {
  id: string;
  body: string;
}

export interface Answer {
  status: number;
  eventId?: string;
}

export function delivery(type: string, data: Record<string, unknown>, id = `msg_${randomUUID()}`): Delivery {
  return { id, body: JSON.stringify({ type, timestamp: new Date().toISOString(), data }) };
}

export async function post(baseUrl: string, secret: string, d: Delivery): Promise<Answer> {
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${baseUrl}/webhooks/odoo`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': d.id,
      'webhook-timestamp': String(ts),
      'webhook-signature': sign(secret, d.id, ts, d.body),
    },
    body: d.body,
  });
  const json = (await res.json().catch(() => ({}))) as { eventId?: string };
  return { status: res.status, ...(json.eventId ? { eventId: json.eventId } : {}) };
}

/** Sends all deliveries with bounded concurrency, in order of the list. */
export async function postAll(
  baseUrl: string,
  secret: string,
  list: Delivery[],
  concurrency = 16,
): Promise<Answer[]> {
  const answers: Answer[] = new Array(list.length);
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      answers[i] = await post(baseUrl, secret, list[i] as Delivery);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, worker));
  return answers;
}
