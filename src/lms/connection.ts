// What the configured adapter needs to reach its LMS, gathered from the settings (src/config checks
// that the chosen adapter's are there), with the names of the settings to blame when it fails.

/** The settings read here; the service's Config has them all. */
interface LmsSettings {
  LMS_ADAPTER: 'rest' | 'moodle' | 'odoo-elearning';
  LMS_TIMEOUT_MS: number;
  LMS_BASE_URL?: string;
  LMS_API_TOKEN?: string;
  MOODLE_URL?: string;
  MOODLE_TOKEN?: string;
  MOODLE_STUDENT_ROLE_ID: number;
  LMS_ODOO_URL?: string;
  LMS_ODOO_DB?: string;
  LMS_ODOO_USERNAME?: string;
  LMS_ODOO_API_KEY?: string;
  ODOO_URL: string;
  ODOO_DB: string;
  ODOO_USERNAME: string;
  ODOO_API_KEY: string;
  ODOO_MAX_RESPONSE_BYTES: number;
}

/** What an adapter needs to reach its LMS, with the names of the settings to blame when it fails. */
export type LmsConnection =
  | {
      adapter: 'rest';
      url: string;
      token: string;
      timeoutMs: number;
      settings: { url: string; token: string };
    }
  | {
      adapter: 'moodle';
      url: string;
      token: string;
      studentRoleId: number;
      timeoutMs: number;
      settings: { url: string; token: string };
    }
  | {
      adapter: 'odoo-elearning';
      url: string;
      db: string;
      username: string;
      token: string;
      timeoutMs: number;
      maxResponseBytes: number;
      /** the LMS is the database the service sells from (ODOO_URL, ODOO_DB): its partners are the learners */
      sameDatabase: boolean;
      settings: { url: string; token: string };
    };

/** The connection of the configured adapter; loadConfig has checked that its settings are there. */
export function lmsConnection(config: LmsSettings): LmsConnection {
  const need = (value: string | undefined, name: string): string => {
    if (value === undefined)
      throw new Error(`${name} is missing: LMS_ADAPTER=${config.LMS_ADAPTER} needs it`);
    return value;
  };
  switch (config.LMS_ADAPTER) {
    case 'rest':
      return {
        adapter: 'rest',
        url: need(config.LMS_BASE_URL, 'LMS_BASE_URL'),
        token: need(config.LMS_API_TOKEN, 'LMS_API_TOKEN'),
        timeoutMs: config.LMS_TIMEOUT_MS,
        settings: { url: 'LMS_BASE_URL', token: 'LMS_API_TOKEN' },
      };
    case 'moodle':
      return {
        adapter: 'moodle',
        url: need(config.MOODLE_URL, 'MOODLE_URL'),
        token: need(config.MOODLE_TOKEN, 'MOODLE_TOKEN'),
        studentRoleId: config.MOODLE_STUDENT_ROLE_ID,
        timeoutMs: config.LMS_TIMEOUT_MS,
        settings: { url: 'MOODLE_URL', token: 'MOODLE_TOKEN' },
      };
    case 'odoo-elearning': {
      const url = config.LMS_ODOO_URL ?? config.ODOO_URL;
      const db = config.LMS_ODOO_DB ?? config.ODOO_DB;
      return {
        adapter: 'odoo-elearning',
        url,
        db,
        username: config.LMS_ODOO_USERNAME ?? config.ODOO_USERNAME,
        token: config.LMS_ODOO_API_KEY ?? config.ODOO_API_KEY,
        timeoutMs: config.LMS_TIMEOUT_MS,
        maxResponseBytes: config.ODOO_MAX_RESPONSE_BYTES,
        sameDatabase: db === config.ODOO_DB && sameServer(url, config.ODOO_URL),
        settings: {
          url: config.LMS_ODOO_URL === undefined ? 'ODOO_URL' : 'LMS_ODOO_URL',
          token: config.LMS_ODOO_API_KEY === undefined ? 'ODOO_API_KEY' : 'LMS_ODOO_API_KEY',
        },
      };
    }
  }
}

/** Two URLs of one Odoo server: the same origin (scheme, host, port), whatever the path or a trailing slash. */
function sameServer(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
  }
}
