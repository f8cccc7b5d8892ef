// What the demo runs on: the local PostgreSQL (a database recreated each run) and RabbitMQ (a fresh
// queue prefix, deleted at the end), plus both simulators on free loopback ports.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig, type Config } from '../config';
import { deleteTopology, topologyFor } from '../queue';
import { sign } from '../webhooks';

export const DEMO_SECRET = 'whsec_' + Buffer.from('odoo-lms-sync demo secret, local only').toString('base64');
export { sign };

export interface DemoUrls {
  adminDatabaseUrl: string;
  databaseUrl: string;
  amqpUrl: string;
}

/** DEMO_DATABASE_URL / AMQP_URL may point elsewhere; the defaults are the local services. */
export function demoUrls(env: NodeJS.ProcessEnv): DemoUrls {
  const databaseUrl = env.DEMO_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lms_sync_demo';
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  return {
    adminDatabaseUrl: admin.toString(),
    databaseUrl,
    amqpUrl: env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  };
}

export async function recreateDatabase(urls: DemoUrls): Promise<void> {
  const name = new URL(urls.databaseUrl).pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name))
    throw new Error(`demo database name must be lowercase letters, digits, underscores: ${name}`);
  const admin = new Client({ connectionString: urls.adminDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

/** `lms`: the settings pointing at the run's LMS simulator (LMS_ADAPTER and that adapter's own). */
export function demoConfig(urls: DemoUrls, odooUrl: string, lms: Record<string, string>): Config {
  return loadConfig({
    DATABASE_URL: urls.databaseUrl,
    AMQP_URL: urls.amqpUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    WEBHOOK_SECRETS: DEMO_SECRET,
    ADMIN_TOKEN: randomBytes(24).toString('hex'),
    ODOO_URL: odooUrl,
    ODOO_DB: 'demo',
    ODOO_USERNAME: 'lms-sync@example.com',
    ODOO_API_KEY: 'demo-odoo-api-key',
    ...lms,
    QUEUE_PREFIX: `lms-sync-demo-${Date.now().toString(36)}`,
    // A short ladder so the demo's retries finish in seconds (production: 5 s … 1 h).
    RETRY_DELAYS_MS: '200,400,800,1600,3200',
    LOG_LEVEL: 'warn',
  });
}

export async function deleteQueues(config: Config): Promise<void> {
  await deleteTopology(config.AMQP_URL, topologyFor(config.QUEUE_PREFIX, config.RETRY_DELAYS_MS));
}
