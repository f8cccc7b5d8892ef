// The load generator the intake and end-to-end benchmarks share: pre-signed deliveries (signing is not
// measured), N keep-alive clients on node:http, closed loop for a duration or paced at a fixed rate.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { sign } from '../src/webhooks/signature';

export interface Delivery {
  body: string;
  headers: Record<string, string>;
}

export function paidDelivery(secret: string, orderId: number, orderName: string): Delivery {
  const body = JSON.stringify({
    type: 'order.paid',
    timestamp: new Date().toISOString(),
    data: { orderId, orderName },
  });
  const id = `msg_${randomUUID()}`;
  const ts = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': sign(secret, id, ts, body),
    },
  };
}

export interface LoadResult {
  sent: number;
  byStatus: Record<string, number>;
  ms: number;
  /** first and last 2xx answer, epoch ms */
  firstAcceptAt: number;
  lastAcceptAt: number;
}

export function createClient(baseUrl: string, concurrency: number) {
  const url = new URL('/webhooks/odoo', baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

  function post(d: Delivery): Promise<number> {
    return new Promise((resolve) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: d.headers },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(d.body);
    });
  }

  /** Closed loop: `concurrency` clients send back to back until the list or the time runs out. */
  async function flood(list: readonly Delivery[], from: number, durationMs: number): Promise<LoadResult> {
    let next = from;
    const result: LoadResult = { sent: 0, byStatus: {}, ms: 0, firstAcceptAt: 0, lastAcceptAt: 0 };
    const t0 = performance.now();
    const until = t0 + durationMs;
    const worker = async () => {
      while (next < list.length && performance.now() < until) {
        const status = await post(list[next++]!);
        record(result, status);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    result.ms = performance.now() - t0;
    return result;
  }

  /** Open loop: `rate` deliveries a second (sent every 10 ms in small batches), whatever the answers. */
  async function paced(list: readonly Delivery[], rate: number): Promise<LoadResult> {
    const result: LoadResult = { sent: 0, byStatus: {}, ms: 0, firstAcceptAt: 0, lastAcceptAt: 0 };
    const t0 = performance.now();
    const inflight: Array<Promise<void>> = [];
    let i = 0;
    while (i < list.length) {
      const due = Math.min(list.length, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
      for (; i < due; i++) inflight.push(post(list[i]!).then((s) => record(result, s)));
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(inflight);
    result.ms = performance.now() - t0;
    return result;
  }

  return { post, flood, paced, close: () => agent.destroy() };
}

function record(result: LoadResult, status: number): void {
  result.sent++;
  result.byStatus[status] = (result.byStatus[status] ?? 0) + 1;
  if (status >= 200 && status < 300) {
    const now = Date.now();
    if (!result.firstAcceptAt) result.firstAcceptAt = now;
    result.lastAcceptAt = now;
  }
}
