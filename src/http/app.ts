// The express app, without listen(): tests drive it with supertest, src/service decides ports.
import express, { type Express } from 'express';
import type { Pool } from 'pg';
import type { Logger } from '../observability';
import type { Metrics } from '../observability';
import type { DeadLetters } from '../queue';
import type { StoreDelivery } from '../webhooks';
import { WEBHOOK_PATH, webhookHandler } from '../webhooks';
import { adminRoutes, requireAdmin } from './admin-routes';
import { errorHandler } from './errors';
import { healthRoutes, type ReadinessProbe } from './health-routes';
import { rateLimit } from './rate-limit';

export interface AppDeps {
  pool: Pool;
  log: Logger;
  metrics: Metrics;
  secrets: readonly string[];
  adminToken: string;
  maxBodyBytes: number;
  storeDelivery: StoreDelivery;
  deadLetters: DeadLetters;
  readiness: ReadinessProbe;
  /** requests per minute per client address (0 = no limit); absent = no limits (benchmarks, tests) */
  rateLimits?: { webhooksPerMinute: number; adminPerMinute: number };
  extraRoutes?: express.Router[];
  now?: () => number;
}

export function getApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Express 5 parses queries with node:querystring by default; qs keeps `?limit[]=1` an array, which
  // the query schemas refuse (400), instead of an unknown key `limit[]` they would silently drop
  app.set('query parser', 'extended');
  // the webhook first: it is most of the traffic, and nothing before it has to look at its path
  const webhookLimit = rateLimit(deps.rateLimits?.webhooksPerMinute ?? 0, () =>
    deps.metrics.webhookOutcomes.inc({ outcome: 'rate_limited' }),
  );
  app.post(
    WEBHOOK_PATH,
    webhookLimit,
    webhookHandler({
      secrets: deps.secrets,
      storeDelivery: deps.storeDelivery,
      log: deps.log,
      metrics: deps.metrics,
      maxBodyBytes: deps.maxBodyBytes,
      now: deps.now,
    }),
  );
  app.use('/webhooks', webhookLimit); // the same budget for whatever else is sent under /webhooks
  app.use(healthRoutes({ metrics: deps.metrics, readiness: deps.readiness, adminToken: deps.adminToken }));
  // the token first: nothing of an admin request is read (not even its body) before it is checked
  app.use(
    '/admin',
    rateLimit(deps.rateLimits?.adminPerMinute ?? 0),
    requireAdmin(deps.adminToken),
    express.json({ limit: '100kb' }),
  );
  app.use(adminRoutes({ pool: deps.pool, deadLetters: deps.deadLetters }));
  for (const r of deps.extraRoutes ?? []) app.use(r);
  app.use((_req, res) => res.status(404).json({ error: 'not_found', message: 'no such route' }));
  app.use(errorHandler(deps.log));
  return app;
}
