// Unauthenticated: /healthz (process up), /readyz (dependencies), /metrics (Prometheus text).
// /readyz tells anyone only ok/not ok per dependency; the last errors (which may name students or
// hosts) and contact times only to a caller with the admin token.
import express, { type Router } from 'express';
import type { Metrics } from '../observability';
import { adminTokenCheck } from './admin-routes';

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string; lastContactAt?: string | null }>;
}

export type ReadinessProbe = () => Promise<Readiness>;

/** What anyone may see: ready or not, and ok or not per dependency. */
export function publicReadiness(r: Readiness): Readiness {
  const checks = Object.fromEntries(Object.entries(r.checks).map(([name, c]) => [name, { ok: c.ok }]));
  return { ready: r.ready, checks };
}

export function healthRoutes(deps: {
  metrics: Metrics;
  readiness: ReadinessProbe;
  adminToken: string;
}): Router {
  const router = express.Router();
  const isAdmin = adminTokenCheck(deps.adminToken);
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    const r = await deps.readiness();
    res.status(r.ready ? 200 : 503).json(isAdmin(req) ? r : publicReadiness(r));
  });
  router.get('/metrics', async (_req, res) => {
    res.set('Content-Type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
