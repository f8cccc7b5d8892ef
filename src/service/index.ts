// Composition root: builds pools and clients from the config and starts the roles asked for.
// Shutdown halts every loop at once, then stops the parts in reverse order of start-up, under a deadline.
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import type { Config } from '../config';
import { createPool } from '../db';
import { migrate } from '../db';
import { createActionsRepo } from '../enrollment';
import { createOrderSync } from '../enrollment';
import { getApp } from '../http';
import { closeServer, listenHttp } from '../http';
import type { Readiness } from '../http';
import { createLmsAdapter, lmsConnection } from '../lms';
import type { LmsAdapter } from '../lms';
import { createContactTracker } from '../observability';
import type { Logger } from '../observability';
import { createMetrics, recordOdooCall, type Metrics } from '../observability';
import { registerStateMetrics, type ServiceState } from '../observability';
import { observeOdooCalls } from '../odoo';
import { FINDING_KINDS } from '../reconcile';
import { reconcileHealth } from '../reconcile';
import { openDeadLetterCount } from '../queue';
import { createOdooGateway } from '../odoo';
import type { OdooGateway } from '../odoo';
import { xmlRpcTransportFromConfig } from '../odoo';
import { createRelay } from '../outbox';
import { createOutboxWakeup } from '../outbox';
import { connectBroker, type Broker } from '../queue';
import { createConsumer } from '../queue';
import { createDeadLetters } from '../queue';
import { createDeadQueueRecorder } from '../queue';
import { topologyFor } from '../queue';
import { createLmsBackoff, observedLms } from '../queue';
import { createIntake } from '../webhooks';
import { reconcileRoutes } from '../http';
import { createOdooDataQuality, createOdooOrderLines } from '../reconcile';
import { createRunStore } from '../reconcile';
import { createReconciler, type Reconciler } from '../reconcile';
import { createScheduler } from '../reconcile';
import type { OrderLineSource } from '../reconcile';
import { createHelpdesk, helpdeskHealth, type Helpdesk } from '../helpdesk';
import { helpdeskRoutes } from '../http';
import type { OdooTransport } from '../odoo';
import {
  DependencyError,
  createShutdown,
  failureReason,
  isConnectionFailure,
  refuseAfter,
  unavailable,
} from '../lib';
import type { Shutdown } from '../lib';
import { maskUrl, urlHost } from '../lib';

export const ROLES = ['api', 'relay', 'consumer', 'scheduler'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What the start-up line says about where everything is: Odoo and the LMS (no password, no query), the
 * database and broker hosts, the queue prefix. A person reading the log sees which systems it talks to.
 */
export function startupFields(config: Config): Record<string, string> {
  return {
    odoo: maskUrl(config.ODOO_URL),
    odooDatabase: config.ODOO_DB,
    lms: `${config.LMS_ADAPTER} ${maskUrl(lmsConnection(config).url)}`,
    database: `${urlHost(config.DATABASE_URL)}${new URL(config.DATABASE_URL).pathname}`,
    broker: urlHost(config.AMQP_URL),
    queuePrefix: config.QUEUE_PREFIX,
  };
}

export interface ServiceOptions {
  roles?: readonly Role[];
  log: Logger;
  metrics?: Metrics;
  /** Tests inject fakes here only for what cannot run locally; defaults build the real clients. */
  odoo?: { gateway: OdooGateway; orderLines: OrderLineSource; transport: OdooTransport };
  lms?: LmsAdapter;
  listen?: boolean;
  random?: () => number;
}

export interface Service {
  pool: Pool;
  broker: Broker;
  metrics: Metrics;
  port: number | null;
  app: ReturnType<typeof getApp>;
  reconciler: Reconciler;
  helpdesk: Helpdesk;
  scheduler: ReturnType<typeof createScheduler>;
  drainOutbox(): Promise<void>;
  stop(): Promise<void>;
}

export async function startService(config: Config, options: ServiceOptions): Promise<Service> {
  const { log } = options;
  const roles = new Set(options.roles ?? ROLES);
  const metrics = options.metrics ?? createMetrics({ defaultMetrics: true });
  const shutdown = createShutdown(log, config.SHUTDOWN_TIMEOUT_MS);
  const gate = <T extends object>(target: T, system: string) => refuseAfter(target, shutdown.signal, system);
  const pool = createPool(config.DATABASE_URL, log, 20);
  shutdown.onStop('postgres pool', () => pool.end());
  registerStateMetrics({
    registry: metrics.registry,
    log,
    findingKinds: FINDING_KINDS,
    read: () => readServiceState(pool),
  });
  try {
    const m = await migrate(pool).catch((err: unknown) => {
      throw isConnectionFailure(err)
        ? unavailable('PostgreSQL', 'DATABASE_URL', config.DATABASE_URL, err)
        : err;
    });
    if (m.applied.length) log.info('migrations applied', { applied: m.applied });

    const broker = connectBroker(
      config.AMQP_URL,
      topologyFor(config.QUEUE_PREFIX, config.RETRY_DELAYS_MS),
      log,
    );
    shutdown.onStop('broker', () => broker.close());

    const contacts = createContactTracker();
    const odooParts = options.odoo ?? buildOdoo(config, log, metrics, shutdown);
    // Once shutdown begins, nothing new goes to Odoo or the LMS: what is unfinished is redelivered.
    const odoo = contacts.track('odoo', gate(odooParts.gateway, 'Odoo'));
    const odooTransport = gate(odooParts.transport, 'Odoo');
    const helpdesk = createHelpdesk({
      settings: {
        flavor: config.HELPDESK_FLAVOR,
        teams: { system: config.HELPDESK_TEAM_SYSTEM, data: config.HELPDESK_TEAM_DATA },
        urgentAfterHours: config.URGENT_AFTER_HOURS,
        seatsTicketAfterDays: config.SEATS_TICKET_AFTER_DAYS,
        slaHours: config.HELPDESK_SLA_HOURS,
        odooUrl: config.ODOO_URL,
        assignment: {
          outUsers: config.HELPDESK_OUT_USERS,
          teamLeaders: config.HELPDESK_TEAM_LEADERS,
          reassignAfterHours: config.HELPDESK_REASSIGN_AFTER_HOURS,
        },
      },
      pool,
      transport: odooTransport,
      odoo,
      log,
    });
    const helpdeskHooks = config.HELPDESK_ENABLED ? helpdesk.hooks : undefined;
    shutdown.onHalt(helpdesk.halt);
    shutdown.onStop('helpdesk', () => helpdesk.stop());
    const lmsAdapter = options.lms ?? createLmsAdapter(lmsConnection(config), log);
    if (!options.lms && 'close' in lmsAdapter)
      shutdown.onStop('lms client', async () => (lmsAdapter as { close(): void }).close());
    const lms = contacts.track('lms', gate(lmsAdapter, 'the LMS'));
    const deadLetters = createDeadLetters(pool);

    const relay = createRelay({ pool, databaseUrl: config.DATABASE_URL, broker, log, metrics });
    const wakeup = createOutboxWakeup({ pool, log, localWake: roles.has('relay') ? relay.wake : undefined });
    shutdown.onHalt(wakeup.stop);
    if (roles.has('relay')) {
      await relay.start();
      shutdown.onHalt(relay.halt);
      shutdown.onStop('outbox relay', () => relay.stop());
      if (config.HELPDESK_ENABLED) helpdesk.startWorker();
    }
    if (roles.has('consumer')) {
      const actions = createActionsRepo(pool, config.ACTION_LEASE_MS);
      // the LMS's answers set the pace of the retries it causes (queue/lms-backoff.ts)
      const lmsBackoff = createLmsBackoff();
      const syncOrder = createOrderSync({
        odoo,
        lms: observedLms(lms, lmsBackoff),
        actions,
        log,
        metrics,
        learnerSource: config.LEARNER_SOURCE,
      });
      const consumer = createConsumer({
        pool,
        broker,
        syncOrder,
        deadLetters,
        log,
        metrics,
        prefetch: config.CONSUMER_PREFETCH,
        random: options.random,
        helpdesk: helpdeskHooks,
        markDead: (keys) => actions.markDead(keys),
        lmsBackoff,
      });
      const recorder = createDeadQueueRecorder({
        broker,
        deadLetters,
        log,
        metrics,
        helpdesk: helpdeskHooks,
      });
      await consumer.start();
      shutdown.onHalt(consumer.halt);
      shutdown.onStop('consumer', () => consumer.stop());
      await recorder.start();
      shutdown.onHalt(recorder.halt);
      shutdown.onStop('dead-letter recorder', () => recorder.stop());
    }

    const reconciler = createReconciler({
      pool,
      runs: createRunStore(pool),
      orderLines: odooParts.orderLines,
      dataQuality: createOdooDataQuality({
        transport: odooTransport,
        courseCategory: config.COURSE_CATEGORY,
        pageSize: config.RECONCILE_PAGE_SIZE,
      }),
      lms,
      log,
      policy: {
        maxRepairRatio: config.RECONCILE_MAX_REPAIR_RATIO,
        minRepairsToBrake: config.RECONCILE_MIN_REPAIRS_TO_BRAKE,
        unpaidPolicy: config.RECONCILE_UNPAID_POLICY,
        pageSize: config.RECONCILE_PAGE_SIZE,
        maxDurationMs: config.RECONCILE_MAX_DURATION_MINUTES * 60_000,
      },
      helpdesk: helpdeskHooks,
    });
    const scheduler = createScheduler({
      reconciler,
      cronExpression: config.RECONCILE_CRON,
      timezone: config.RECONCILE_TZ,
      log,
    });
    if (roles.has('scheduler')) {
      scheduler.start();
      shutdown.onStop('scheduler', () => scheduler.stop());
      if (config.HELPDESK_ENABLED) helpdesk.startSla();
    }

    const readiness = async (): Promise<Readiness> => {
      const pg = await pool.query('SELECT 1').then(
        () => ({ ok: true }),
        (err: Error) => ({ ok: false, detail: err.message }),
      );
      const amqp = broker.isConnected() ? { ok: true } : { ok: false, detail: 'not connected' };
      const seen = contacts.snapshot();
      const contact = (name: string) => {
        const s = seen[name];
        const ok = !s?.lastErrorAt || (s.lastOkAt !== null && s.lastOkAt > s.lastErrorAt);
        return {
          ok,
          lastContactAt: s?.lastOkAt?.toISOString() ?? null,
          ...(s?.lastError && !ok ? { detail: s.lastError } : {}),
        };
      };
      return {
        ready: pg.ok && amqp.ok,
        checks: { postgres: pg, rabbitmq: amqp, odoo: contact('odoo'), lms: contact('lms') },
      };
    };
    const app = getApp({
      pool,
      log,
      metrics,
      secrets: config.WEBHOOK_SECRETS,
      adminToken: config.ADMIN_TOKEN,
      maxBodyBytes: config.WEBHOOK_MAX_BODY_BYTES,
      storeDelivery: createIntake({ pool, onStored: wakeup.poke }),
      deadLetters,
      readiness,
      rateLimits: {
        webhooksPerMinute: config.WEBHOOK_RATE_LIMIT_PER_MINUTE,
        adminPerMinute: config.ADMIN_RATE_LIMIT_PER_MINUTE,
      },
      extraRoutes: [
        reconcileRoutes({ pool, reconciler, odooUrl: config.ODOO_URL }),
        helpdeskRoutes({ pool }),
      ],
    });
    let port: number | null = null;
    if (roles.has('api') && options.listen !== false) {
      const server = await listenHttp(
        app,
        { port: config.PORT, host: config.HOST },
        {
          headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
          requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
          keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
          maxConnections: config.HTTP_MAX_CONNECTIONS,
        },
      ).catch((err: unknown) => {
        const where = `${config.HOST}:${config.PORT}`;
        throw new DependencyError('cannot listen', 'PORT/HOST', where, failureReason(err), {
          cause: err,
        });
      });
      port = (server.address() as AddressInfo).port;
      shutdown.onStop('http server', () => closeServer(server));
      log.info('http listening', { port });
    }
    // a process with no role (the reconcile command) says what it starts itself
    if (roles.size) log.info('service started', { roles: [...roles], ...startupFields(config) });
    return {
      pool,
      broker,
      metrics,
      port,
      app,
      reconciler,
      helpdesk,
      scheduler,
      drainOutbox: () => relay.drainNow(),
      stop: () => shutdown.run(),
    };
  } catch (err) {
    await shutdown.run();
    throw err;
  }
}

/** What /metrics shows of the shared state, each part read by the owner of its tables. */
async function readServiceState(pool: Pool): Promise<ServiceState> {
  const [reconcile, helpdesk, openDeadLetters] = await Promise.all([
    reconcileHealth(pool),
    helpdeskHealth(pool),
    openDeadLetterCount(pool),
  ]);
  return { ...reconcile, ...helpdesk, openDeadLetters };
}

function buildOdoo(config: Config, log: Logger, metrics: Metrics, shutdown: Shutdown) {
  // one transport for every user of Odoo in this process: its limit is the process's ODOO_MAX_CONCURRENCY
  const raw = xmlRpcTransportFromConfig(
    config,
    log,
    (limit) => metrics.odooCallLimit.set(limit),
    // the gateway batches writes and the transport queues and retries calls: each is refused once the
    // stop began, not only the calls made after it
    shutdown.signal,
  );
  shutdown.onStop('odoo client', async () => raw.close());
  const transport = observeOdooCalls(raw, (call) => recordOdooCall(metrics, call));
  const lineLearners = config.LEARNER_SOURCE === 'attendees';
  return {
    transport,
    gateway: createOdooGateway({
      transport,
      log,
      courseCategory: config.COURSE_CATEGORY,
      lineLearners,
      productCacheMs: config.ODOO_PRODUCT_CACHE_SECONDS * 1000,
    }),
    orderLines: createOdooOrderLines({
      transport,
      log,
      courseCategory: config.COURSE_CATEGORY,
      learnerSource: config.LEARNER_SOURCE,
    }),
  };
}
