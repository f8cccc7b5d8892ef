// The per-client token bucket (a clock passed in), and the 429 it makes.
import express from 'express';
import request from 'supertest';
import { createRateLimiter, rateLimit } from '../../../src/http/rate-limit';

describe('rate limiter', () => {
  it('admits a burst of perMinute, then refuses with the seconds until the next token', () => {
    let t = 0;
    const admit = createRateLimiter({ perMinute: 60, now: () => t });
    for (let i = 0; i < 60; i++) expect(admit('10.0.0.1')).toEqual({ admitted: true });
    expect(admit('10.0.0.1')).toEqual({ admitted: false, retryAfterSeconds: 1 });
    expect(admit('10.0.0.2')).toEqual({ admitted: true }); // another client has its own bucket
    t += 1000; // one token a second
    expect(admit('10.0.0.1')).toEqual({ admitted: true });
    expect(admit('10.0.0.1').admitted).toBe(false);
  });

  it('says how long to wait when tokens come slowly', () => {
    let t = 0;
    const admit = createRateLimiter({ perMinute: 2, now: () => t });
    admit('a');
    admit('a');
    expect(admit('a')).toEqual({ admitted: false, retryAfterSeconds: 30 });
    t += 10_000;
    expect(admit('a')).toEqual({ admitted: false, retryAfterSeconds: 20 });
  });

  it('keeps at most maxClients buckets: past that it forgets the oldest', () => {
    const admit = createRateLimiter({ perMinute: 1, maxClients: 2, now: () => 0 });
    admit('a');
    admit('b');
    admit('c'); // no room, nobody idle: 'a' is forgotten
    expect(admit('b').admitted).toBe(false);
    expect(admit('a').admitted).toBe(true); // a fresh bucket
  });

  it('forgets clients whose bucket is full again before one still counting', () => {
    let t = 0;
    const admit = createRateLimiter({ perMinute: 1, maxClients: 3, now: () => t });
    for (const c of ['b', 'a', 'c']) admit(c);
    t += 60_000; // everyone's bucket is full again; 'b' (the oldest) spends its token
    admit('b');
    admit('d'); // no room: 'a' and 'c' are idle and go, 'b' keeps its count
    expect(admit('b').admitted).toBe(false);
  });
});

describe('rateLimit middleware', () => {
  const app = (perMinute: number) =>
    express()
      .use(rateLimit(perMinute))
      .get('/x', (_req, res) => res.json({ ok: true }));

  it('answers 429 with Retry-After past the limit', async () => {
    const limited = app(3);
    for (let i = 0; i < 3; i++) expect((await request(limited).get('/x')).status).toBe(200);
    const res = await request(limited).get('/x');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(res.body.error).toBe('rate_limited');
  });

  it('never refuses when the limit is 0 (off)', async () => {
    const open = app(0);
    for (let i = 0; i < 20; i++) expect((await request(open).get('/x')).status).toBe(200);
  });
});
