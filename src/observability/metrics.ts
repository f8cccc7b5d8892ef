// Prometheus metrics, one registry per service instance (tests build several side by side).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const r = [registry];
  return {
    registry,
    webhookOutcomes: new Counter({
      name: 'lms_sync_webhook_deliveries_total',
      help: 'Webhook deliveries by outcome (accepted, duplicate, conflict, in_flight, invalid, unauthorized, ...)',
      labelNames: ['outcome'] as const,
      registers: r,
    }),
    outboxLagSeconds: new Gauge({
      name: 'lms_sync_outbox_lag_seconds',
      help: 'Age of the oldest unpublished outbox row at the last relay pass',
      registers: r,
    }),
    published: new Counter({
      name: 'lms_sync_published_total',
      help: 'Messages published and confirmed',
      registers: r,
    }),
    publishFailures: new Counter({
      name: 'lms_sync_publish_failures_total',
      help: 'Relay batches that failed to publish (left in the outbox)',
      registers: r,
    }),
    consumed: new Counter({
      name: 'lms_sync_consumed_total',
      help: 'Messages consumed by outcome (done, retry, dead, duplicate; busy: met an action another worker holds)',
      labelNames: ['outcome'] as const,
      registers: r,
    }),
    lmsCallSeconds: new Histogram({
      name: 'lms_sync_lms_call_seconds',
      help: 'LMS call latency by operation and result',
      labelNames: ['operation', 'result'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: r,
    }),
    retries: new Counter({
      name: 'lms_sync_retries_total',
      help: 'Messages scheduled for a delayed retry',
      registers: r,
    }),
    deadLetters: new Counter({
      name: 'lms_sync_dead_letters_total',
      help: 'Actions or messages dead-lettered, by reason code',
      labelNames: ['reason'] as const,
      registers: r,
    }),
    acceptToEnrolledSeconds: new Histogram({
      name: 'lms_sync_accept_to_enrolled_seconds',
      help: 'From webhook accepted to LMS enrollment confirmed',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: r,
    }),
    odooCalls: new Counter({
      name: 'lms_sync_odoo_calls_total',
      help: 'Odoo calls by method and outcome (ok, fault, overloaded, unreachable, timeout, error)',
      labelNames: ['method', 'outcome'] as const,
      registers: r,
    }),
    odooCallSeconds: new Histogram({
      name: 'lms_sync_odoo_call_seconds',
      help: 'Odoo call latency by method, whatever the outcome',
      labelNames: ['method'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: r,
    }),
    odooCallLimit: new Gauge({
      name: 'lms_sync_odoo_call_limit',
      help: 'Odoo calls this process allows at once: ODOO_MAX_CONCURRENCY, less while Odoo is overloaded',
      registers: r,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Feeds one Odoo call into its counter and histogram (see odoo/observed-transport.ts). */
export function recordOdooCall(
  metrics: Metrics,
  call: { method: string; outcome: string; seconds: number },
): void {
  metrics.odooCalls.inc({ method: call.method, outcome: call.outcome });
  metrics.odooCallSeconds.observe({ method: call.method }, call.seconds);
}
