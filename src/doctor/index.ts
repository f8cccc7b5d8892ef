// `lms-sync doctor`: every dependency the service needs, checked at once, as rows of what is fine and what
// to fix. Builds its own short-lived clients from the configuration and closes them before it answers.
import type { Config } from '../config';
import { createPool } from '../db';
import { createLmsAdapter, lmsConnection } from '../lms';
import { createXmlRpcTransport } from '../odoo';
import { createLogger } from '../observability';
import { runChecks, type CheckRow } from './checks';
import type { CourseProduct } from './courses';
import { lmsChecks } from './lms';
import { odooChecks } from './odoo';
import { brokerCheck, postgresChecks } from './stores';

export { type CheckRow, type CheckStatus } from './checks';
export { doctorPassed, formatDoctorJson, formatDoctorTable } from './table';

export interface DoctorOptions {
  /** how many unknown course codes to name (default 10) */
  shownCourses?: number;
}

export async function runDoctor(config: Config, options: DoctorOptions = {}): Promise<CheckRow[]> {
  // Failures are the rows; a log line besides them would only repeat one.
  const log = createLogger('error', { silent: true });
  const pool = createPool(config.DATABASE_URL, log, 1);
  const transport = createXmlRpcTransport({
    url: config.ODOO_URL,
    db: config.ODOO_DB,
    username: config.ODOO_USERNAME,
    apiKey: config.ODOO_API_KEY,
    timeoutMs: config.ODOO_TIMEOUT_MS,
    retryDelaysMs: [], // one try: the doctor reports, it does not wait a flaky server out
    maxResponseBytes: config.ODOO_MAX_RESPONSE_BYTES,
  });
  const connection = lmsConnection(config);
  const lms = createLmsAdapter(connection, log);
  const sold: { products: CourseProduct[] } = { products: [] };
  try {
    return await runChecks(
      [
        ...postgresChecks(pool, config.DATABASE_URL),
        brokerCheck(config.AMQP_URL),
        ...odooChecks(
          transport,
          {
            url: config.ODOO_URL,
            db: config.ODOO_DB,
            username: config.ODOO_USERNAME,
            timeoutMs: config.ODOO_TIMEOUT_MS,
            helpdeskEnabled: config.HELPDESK_ENABLED,
            helpdeskFlavor: config.HELPDESK_FLAVOR,
            courseCategory: config.COURSE_CATEGORY,
            learnerSource: config.LEARNER_SOURCE,
            assignment: {
              teams: { system: config.HELPDESK_TEAM_SYSTEM, data: config.HELPDESK_TEAM_DATA },
              outUsers: config.HELPDESK_OUT_USERS,
              teamLeaders: config.HELPDESK_TEAM_LEADERS,
            },
          },
          sold,
        ),
        ...lmsChecks(lms, { connection, shown: options.shownCourses ?? 10 }, sold),
      ],
      { secrets: secretsOf(config) },
    );
  } finally {
    transport.close();
    lms.close();
    await pool.end().catch(() => undefined);
  }
}

function secretsOf(config: Config): string[] {
  const passwordOf = (url: string) => (URL.canParse(url) ? decodeURIComponent(new URL(url).password) : '');
  return [
    config.ODOO_API_KEY,
    config.LMS_API_TOKEN,
    config.MOODLE_TOKEN,
    config.LMS_ODOO_API_KEY,
    config.ADMIN_TOKEN,
    ...config.WEBHOOK_SECRETS,
    passwordOf(config.DATABASE_URL),
    passwordOf(config.AMQP_URL),
    passwordOf(config.ODOO_URL),
    ...[config.LMS_BASE_URL, config.MOODLE_URL, config.LMS_ODOO_URL].map((u) => passwordOf(u ?? '')),
  ].filter((s): s is string => Boolean(s));
}
