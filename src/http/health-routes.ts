// Unauthenticated: /healthz (process up), /readyz (dependencies), /metrics (Prometheus text).
import express, { type Router } from 'express';
import type { Metrics } from '../observability/metrics';

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string; lastContactAt?: string | null }>;
}

export type ReadinessProbe = () => Promise<Readiness>;

export function healthRoutes(deps: { metrics: Metrics; readiness: ReadinessProbe }): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const r = await deps.readiness();
    res.status(r.ready ? 200 : 503).json(r);
  });
  router.get('/metrics', async (_req, res) => {
    res.set('Content-Type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
