// The one zod schema over process.env; nothing else reads process.env.
import cron from 'node-cron';
import { z } from 'zod';
import { parsePriorityHours, parseSla, parseTeamLeaders, parseUserList } from '../helpdesk';
import { ConfigError } from './config-error';
import { LMS_ADAPTERS, requireLmsSettings } from './lms-settings';

export { ConfigError };
export { LMS_ADAPTERS, type LmsAdapterName } from './lms-settings';
export { loadEnvFile } from './env-file';

/** A URL of one of `protocols`, checked as given (zod 4's z.url() would trim it), one message per value. */
const url = (protocols: string[]) =>
  z.string().check((ctx) => {
    const parsed = URL.canParse(ctx.value) ? new URL(ctx.value) : null;
    if (!parsed) ctx.issues.push({ code: 'custom', input: ctx.value, message: 'not a URL' });
    else if (!protocols.includes(parsed.protocol))
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
      });
  });

/**
 * What `.env.example` ships for a secret the operator must invent: refused, so a copied example never
 * runs with a value everyone can read.
 */
const PLACEHOLDER = /^(whsec_)?replace[-_]with/i;
const notPlaceholder = (s: string) => !PLACEHOLDER.test(s);
const PLACEHOLDER_MESSAGE = "still .env.example's placeholder; set a value of your own";

const secretList = z
  .string()
  .refine(notPlaceholder, { message: PLACEHOLDER_MESSAGE, abort: true })
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/, 'each secret must look like whsec_<base64>')).min(1),
  );

/** A setting parsed by `parse`; what it throws becomes the setting's error message. */
function parsed<T>(parse: (text: string) => T) {
  return (text: string, ctx: z.RefinementCtx): T => {
    try {
      return parse(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  };
}

export const configSchema = z
  .object({
    DATABASE_URL: url(['postgres:', 'postgresql:']),
    AMQP_URL: url(['amqp:', 'amqps:']),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    WEBHOOK_SECRETS: secretList,
    // .length, not .min(16): zod 4 counts code points there, and the token's length is in UTF-16 units
    ADMIN_TOKEN: z
      .string()
      .refine(notPlaceholder, { message: PLACEHOLDER_MESSAGE, abort: true })
      .refine((s) => s.length >= 16, 'must be at least 16 characters'),
    ODOO_URL: url(['http:', 'https:']),
    ODOO_DB: z.string().min(1),
    ODOO_USERNAME: z.string().min(1),
    ODOO_API_KEY: z.string().min(1),
    // which LMS the service enrolls into; each adapter needs its own settings below (lmsConnection)
    LMS_ADAPTER: z.enum(LMS_ADAPTERS).default('rest'),
    LMS_BASE_URL: url(['http:', 'https:']).optional(),
    LMS_API_TOKEN: z.string().min(1).optional(),
    MOODLE_URL: url(['http:', 'https:']).optional(),
    MOODLE_TOKEN: z.string().min(1).optional(),
    // Moodle's own student role is id 5 on a standard installation
    MOODLE_STUDENT_ROLE_ID: z.coerce.number().int().positive().default(5),
    LMS_ODOO_URL: url(['http:', 'https:']).optional(),
    LMS_ODOO_DB: z.string().min(1).optional(),
    LMS_ODOO_USERNAME: z.string().min(1).optional(),
    LMS_ODOO_API_KEY: z.string().min(1).optional(),
    HELPDESK_FLAVOR: z.enum(['oca', 'enterprise']).default('oca'),
    HELPDESK_ENABLED: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    HELPDESK_TEAM_SYSTEM: z.string().min(1).default('Technical Support'),
    HELPDESK_TEAM_DATA: z.string().min(1).default('Ops'),
    HELPDESK_SLA_HOURS: z.string().default('urgent=4,high=24,normal=72,low=168').transform(parsed(parseSla)),
    HELPDESK_OUT_USERS: z.string().default('').transform(parseUserList),
    HELPDESK_TEAM_LEADERS: z.string().default('').transform(parsed(parseTeamLeaders)),
    HELPDESK_REASSIGN_AFTER_HOURS: z
      .string()
      .default('urgent=6,high=6,normal=24,low=24')
      .transform(parsed((s) => parsePriorityHours(s, 'reassignment'))),
    URGENT_AFTER_HOURS: z.coerce.number().positive().default(24),
    COURSE_CATEGORY: z.string().min(1).default('Courses'),
    // who is enrolled for a course line (enrollment/learner.ts): the customer, the delivery address, or
    // the learners named per line; kept in step with LEARNER_SOURCES there (a unit test checks)
    LEARNER_SOURCE: z.enum(['customer', 'delivery', 'attendees']).default('customer'),
    // paid seats without a learner this long (from the first reconciliation that saw them) become a ticket
    SEATS_TICKET_AFTER_DAYS: z.coerce.number().positive().max(365).default(14),
    RECONCILE_CRON: z
      .string()
      .default('0 2 * * *')
      .refine((expr) => cron.validate(expr), 'must be a cron expression such as "0 2 * * *"'),
    RECONCILE_TZ: z
      .string()
      .default('UTC')
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone such as Asia/Ho_Chi_Minh'),
    RECONCILE_MAX_REPAIR_RATIO: z.coerce.number().min(0).max(1).default(0.2),
    RECONCILE_MIN_REPAIRS_TO_BRAKE: z.coerce.number().int().min(1).default(10),
    RECONCILE_UNPAID_POLICY: z.enum(['report', 'suspend']).default('report'),
    RECONCILE_PAGE_SIZE: z.coerce.number().int().min(10).max(5000).default(1000),
    RECONCILE_MAX_DURATION_MINUTES: z.coerce.number().positive().max(1440).default(120),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, dot, dash, underscore')
      .default('lms-sync'),
    LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
    WEBHOOK_MAX_BODY_BYTES: z.coerce.number().int().positive().default(65536),
    HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
    HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().positive().default(65_000),
    HTTP_MAX_CONNECTIONS: z.coerce.number().int().positive().default(1000),
    WEBHOOK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(60_000),
    ADMIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(6000),
    CONSUMER_PREFETCH: z.coerce.number().int().min(1).max(1000).default(100),
    RETRY_DELAYS_MS: z
      .string()
      .default('5000,30000,120000,600000,1800000,3600000')
      .transform((s) => s.split(',').map((x) => Number(x.trim())))
      .pipe(z.array(z.number().int().positive()).min(1)),
    ODOO_TIMEOUT_MS: z.coerce.number().int().positive().default(15000),
    ODOO_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(512).default(4),
    ODOO_PRODUCT_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
    // a JS string holds at most ~512 M characters: the cap stays well below that
    ODOO_MAX_RESPONSE_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(256 * 1024 * 1024)
      .default(64 * 1024 * 1024),
    LMS_TIMEOUT_MS: z.coerce.number().int().positive().default(10000),
    ACTION_LEASE_MS: z.coerce.number().int().min(1000).max(600000).default(10000),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600000).default(15000),
    // run also when other settings are wrong, so one start-up names every problem
  })
  .superRefine(requireLmsSettings, { when: () => true });

export type Config = z.infer<typeof configSchema>;

/** Variables whose values never appear in a message: secrets, and URLs that may carry a password. */
const UNECHOED = new Set([
  'WEBHOOK_SECRETS',
  'ADMIN_TOKEN',
  'ODOO_API_KEY',
  'LMS_API_TOKEN',
  'MOODLE_TOKEN',
  'LMS_ODOO_API_KEY',
  'DATABASE_URL',
  'AMQP_URL',
]);

/** zod's issue in words an operator reads, with the value given when it is not a secret. */
function describeIssue(issue: z.core.$ZodIssue, name: string, raw: string | undefined): string {
  const got = raw === undefined || UNECHOED.has(name) ? '' : ` (got ${JSON.stringify(raw.slice(0, 40))})`;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return `must be a whole number${got}`;
      if (issue.expected === 'number') return `must be a number${got}`;
      break;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}${got}`;
    case 'too_small':
      if (issue.origin !== 'string') return `must be at least ${String(issue.minimum)}${got}`;
      return Number(issue.minimum) <= 1
        ? 'must not be empty'
        : `must be at least ${String(issue.minimum)} characters`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}${got}`;
    case 'invalid_format':
      return `${issue.message}${got}`;
  }
  return issue.message;
}

/** One line naming each missing or malformed variable. */
function configError(issues: z.core.$ZodIssue[], env: NodeJS.ProcessEnv): ConfigError {
  const lines = issues.map((i) => {
    const name = String(i.path[0] ?? '(environment)');
    const missing = i.code === 'invalid_type' && env[name] === undefined;
    if (missing) return `${name} is missing`;
    if (i.code === 'custom' && i.params?.missing) return `${name} is missing: ${i.message}`;
    return `${name} is invalid: ${describeIssue(i, name, env[name])}`;
  });
  return new ConfigError(`configuration error: ${[...new Set(lines)].join('; ')}`);
}

/** Parses the environment; a bad value throws one line naming the variable (secrets' values are never echoed). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw configError(parsed.error.issues, env);
}

/** The simulators read the same credentials as the service, so one environment configures both sides. */
export const simConfigSchema = z.object({
  ODOO_DB: z.string().min(1).default('odoo'),
  ODOO_USERNAME: z.string().min(1).default('lms-sync@example.com'),
  ODOO_API_KEY: z.string().min(1).default('demo-odoo-api-key'),
  LMS_API_TOKEN: z.string().min(1).default('demo-lms-token'),
  MOODLE_TOKEN: z.string().min(1).default('demo-moodle-token'),
  // A simulator started without --port listens on the port the service will call it on.
  ODOO_URL: url(['http:', 'https:']).optional(),
  LMS_BASE_URL: url(['http:', 'https:']).optional(),
  MOODLE_URL: url(['http:', 'https:']).optional(),
});

export type SimConfig = z.infer<typeof simConfigSchema>;

export function loadSimConfig(env: NodeJS.ProcessEnv = process.env): SimConfig {
  const parsed = simConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw configError(parsed.error.issues, env);
}
