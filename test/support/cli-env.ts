// The environment of an `lms-sync` process started from the sources against a harness's database,
// queues and simulators (the same settings the harness's in-process service has).
import type { Harness } from './harness';
import { amqpUrl } from './env';
import { TEST_SECRET } from './webhooks';

export function cliEnv(h: Harness, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: h.db.url,
    AMQP_URL: amqpUrl(),
    PORT: '0',
    HOST: '127.0.0.1',
    WEBHOOK_SECRETS: TEST_SECRET,
    ADMIN_TOKEN: 'admin-token-for-tests-only',
    ODOO_URL: h.odoo.url,
    ODOO_DB: 'odoo',
    ODOO_USERNAME: 'svc',
    ODOO_API_KEY: 'odoo-key',
    LMS_BASE_URL: h.lms.url,
    LMS_API_TOKEN: 'lms-token',
    QUEUE_PREFIX: h.queuePrefix,
    // the harness's ladder: its retry queues are the ones the harness deletes at the end
    RETRY_DELAYS_MS: h.config.RETRY_DELAYS_MS.join(','),
    LOG_LEVEL: 'info',
    ...extra,
  };
}
