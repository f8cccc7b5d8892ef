// A token bucket per client address, in process: each client may send `perMinute` requests a minute,
// in bursts of up to that many. Enough to keep one noisy or hostile client from taking the service
// from the others; the defaults sit far above what an Odoo sends. Every replica counts on its own.
import type { RequestHandler } from 'express';

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(options: { perMinute: number; maxClients?: number; now?: () => number }) {
  const { perMinute } = options;
  const maxClients = options.maxClients ?? 10_000;
  const now = options.now ?? Date.now;
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, Bucket>();

  function refill(b: Bucket, t: number): void {
    b.tokens = Math.min(perMinute, b.tokens + (t - b.at) * perMs);
    b.at = t;
  }

  /** Keeps the table bounded: first forget clients whose bucket is full again, then the oldest. */
  function makeRoom(t: number): void {
    for (const [key, b] of buckets) {
      refill(b, t);
      if (b.tokens >= perMinute) buckets.delete(key);
    }
    for (const key of buckets.keys()) {
      if (buckets.size < maxClients) break;
      buckets.delete(key);
    }
  }

  return function admit(client: string): Admission {
    const t = now();
    let b = buckets.get(client);
    if (!b) {
      if (buckets.size >= maxClients) makeRoom(t);
      b = { tokens: perMinute, at: t };
      buckets.set(client, b);
    } else refill(b, t);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { admitted: true };
    }
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
  };
}

/** 429 with Retry-After past the limit; `perMinute` 0 switches the limit off. */
export function rateLimit(perMinute: number, onLimited?: () => void): RequestHandler {
  if (perMinute <= 0) return (_req, _res, next) => next();
  const admit = createRateLimiter({ perMinute });
  return (req, res, next) => {
    const a = admit(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (a.admitted) return next();
    onLimited?.();
    res
      .set('Retry-After', String(a.retryAfterSeconds))
      .status(429)
      .json({ error: 'rate_limited', message: 'too many requests from this client; retry later' });
  };
}
