// /readyz: anyone learns ok/not ok per dependency; the last error text only with the admin token.
import express from 'express';
import request from 'supertest';
import { healthRoutes, type Readiness } from '../../../src/http/health-routes';
import { createMetrics } from '../../../src/observability/metrics';

const TOKEN = 'admin-token-for-tests-only';
const degraded: Readiness = {
  ready: true,
  checks: {
    postgres: { ok: true },
    lms: {
      ok: false,
      lastContactAt: '2026-01-01T00:00:00.000Z',
      detail: 'lms_rejected: student odoo-partner-4711 (ann@example.com) is unknown',
    },
  },
};

const app = express().use(
  healthRoutes({ metrics: createMetrics(), readiness: async () => degraded, adminToken: TOKEN }),
);

describe('GET /readyz', () => {
  it('tells an unauthenticated caller only ok or not ok per dependency', async () => {
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ready: true, checks: { postgres: { ok: true }, lms: { ok: false } } });
    expect(res.text).not.toMatch(/4711|example\.com/);
  });

  it('does the same for a wrong token', async () => {
    const res = await request(app).get('/readyz').set('Authorization', 'Bearer not-the-token-at-all!!');
    expect(res.body.checks.lms).toEqual({ ok: false });
  });

  it('shows the last error and contact time with the admin token', async () => {
    const res = await request(app).get('/readyz').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.body).toEqual(degraded);
  });
});
