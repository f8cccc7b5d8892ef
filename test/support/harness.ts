// The whole service against real PostgreSQL and RabbitMQ and the bundled simulators, each test file
// in its own database and QUEUE_PREFIX. Nothing here is mocked: the simulators speak real HTTP.
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config, type LmsAdapterName } from '../../src/config';
import { simulatedRest, startSimulatedLms, type SimulatedLms } from '../../src/sim/any-lms';
import { startService, type Role, type Service, type ServiceOptions } from '../../src/service';
import { silentLogger, type Logger } from '../../src/observability/logger';
import { startLmsSim, type RunningLmsSim, type StartLmsSimOptions } from '../../src/sim/lms';
import { startOdooSim, type OdooSimOptions } from '../../src/sim/odoo';
import { deleteTopology as deleteQueueTopology, topologyFor } from '../../src/queue/topology';
import { createTestDb, type TestDb } from './db';
import { amqpUrl } from './env';
import { TEST_SECRET } from './webhooks';

export type RunningOdooSim = Awaited<ReturnType<typeof startOdooSim>>;

export interface Harness {
  db: TestDb;
  odoo: RunningOdooSim;
  lms: RunningLmsSim;
  /** the LMS the service enrolls into, whichever adapter: `lms` above for rest, else that LMS's simulator */
  lmsUnderTest: SimulatedLms;
  config: Config;
  service: Service;
  log: Logger;
  queuePrefix: string;
  /** Starts another replica on the same database and queues (two-replica tests). */
  startReplica(roles?: Role[]): Promise<Service>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  lms?: Partial<StartLmsSimOptions>;
  /** the adapter the service runs with (default rest); another starts that LMS's simulator as lmsUnderTest */
  lmsAdapter?: LmsAdapterName;
  odooOrders?: number;
  /** seed the Odoo data the reconciliation's data-quality checks find (the simulator's opt-in seed) */
  odooDataQualityProblems?: boolean;
  helpdeskFlavor?: 'oca' | 'enterprise';
  /** the Odoo simulator's pool (db_maxconn) and time per call */
  odooLoad?: Pick<OdooSimOptions, 'dbMaxConn' | 'latencyMs'>;
  /** put the Odoo simulator behind this URL instead (e.g. a TCP proxy to cut) */
  odooUrl?: (simUrl: string) => Promise<string>;
  /** the service reaches its database through this URL instead (e.g. a TCP proxy to cut) */
  databaseUrl?: (directUrl: string) => Promise<string>;
  roles?: Role[];
  retryDelaysMs?: number[];
  env?: Record<string, string>;
  /** the service's Odoo parts, for a test that must fake what cannot happen for real here */
  odoo?: (config: Config, log: Logger) => NonNullable<ServiceOptions['odoo']>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const db = await createTestDb();
  const queuePrefix = `test-${process.env.TEST_RUN_ID}-${randomBytes(3).toString('hex')}`;
  const flavor = options.helpdeskFlavor ?? 'oca';
  const odoo = await startOdooSim({
    port: 0,
    db: 'odoo',
    username: 'svc',
    apiKey: 'odoo-key',
    seed: 7,
    orders: options.odooOrders ?? 0,
    helpdeskFlavor: flavor,
    dataQualityProblems: options.odooDataQualityProblems ?? false,
    ...options.odooLoad,
  });
  const odooUrl = options.odooUrl ? await options.odooUrl(odoo.url) : odoo.url;
  const lms = await startLmsSim({ port: 0, apiToken: 'lms-token', ...options.lms });
  const adapter = options.lmsAdapter ?? 'rest';
  const lmsUnderTest =
    adapter === 'rest' ? simulatedRest(lms, 'lms-token') : await startSimulatedLms(adapter, { odoo });
  const config = loadConfig({
    DATABASE_URL: options.databaseUrl ? await options.databaseUrl(db.url) : db.url,
    AMQP_URL: amqpUrl(),
    PORT: '0',
    HOST: '127.0.0.1',
    WEBHOOK_SECRETS: TEST_SECRET,
    ADMIN_TOKEN: 'admin-token-for-tests-only',
    ODOO_URL: odooUrl,
    HELPDESK_FLAVOR: flavor,
    ODOO_DB: 'odoo',
    ODOO_USERNAME: 'svc',
    ODOO_API_KEY: 'odoo-key',
    LMS_BASE_URL: lms.url,
    LMS_API_TOKEN: 'lms-token',
    QUEUE_PREFIX: queuePrefix,
    RETRY_DELAYS_MS: (options.retryDelaysMs ?? [100, 200, 400]).join(','),
    LMS_TIMEOUT_MS: '2000',
    ...(adapter === 'rest' ? {} : lmsUnderTest.settings),
    LOG_LEVEL: 'error',
    ODOO_TIMEOUT_MS: '5000',
    ...options.env,
  });
  const log = process.env.TEST_LOGS
    ? (await import('../../src/observability/logger')).createLogger('debug')
    : silentLogger();
  const replicas: Service[] = [];
  const odooParts = options.odoo?.(config, log);
  const service = await startService(config, { log, roles: options.roles, odoo: odooParts });
  return {
    db,
    odoo,
    lms,
    lmsUnderTest,
    config,
    service,
    log,
    queuePrefix,
    async startReplica(roles) {
      const r = await startService(config, { log, roles, odoo: odooParts });
      replicas.push(r);
      return r;
    },
    async stop() {
      for (const r of replicas) await r.stop();
      await service.stop();
      await odoo.close();
      await lms.close();
      if (lmsUnderTest.adapter !== 'rest') await lmsUnderTest.close();
      await deleteTopology(config);
      await db.drop();
    },
  };
}

/** Removes this test's exchanges and queues so runs leave nothing behind in the broker. */
export async function deleteTopology(config: Config): Promise<void> {
  await deleteQueueTopology(config.AMQP_URL, topologyFor(config.QUEUE_PREFIX, config.RETRY_DELAYS_MS));
}
