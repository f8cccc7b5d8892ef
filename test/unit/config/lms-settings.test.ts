import { loadConfig } from '../../../src/config';
import { lmsConnection } from '../../../src/lms';

const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lms_sync',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
  WEBHOOK_SECRETS: 'whsec_dGVzdA==',
  ADMIN_TOKEN: 'a-long-admin-token-123',
  ODOO_URL: 'http://127.0.0.1:8069',
  ODOO_DB: 'odoo',
  ODOO_USERNAME: 'lms-sync@example.com',
  ODOO_API_KEY: 'super-secret-api-key',
};

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('LMS_ADAPTER and the settings each adapter needs', () => {
  it('rest (the default) needs LMS_BASE_URL and LMS_API_TOKEN, named as missing for that adapter', () => {
    expect(errorOf(base)).toBe(
      'configuration error: LMS_BASE_URL is missing: LMS_ADAPTER=rest needs it; ' +
        'LMS_API_TOKEN is missing: LMS_ADAPTER=rest needs it',
    );
  });

  it('names a missing adapter setting together with the other configuration errors', () => {
    const { ODOO_DB: _gone, ...rest } = base;
    const message = errorOf({ ...rest, LMS_ADAPTER: 'moodle' });
    expect(message).toContain('ODOO_DB is missing');
    expect(message).toContain('MOODLE_URL is missing: LMS_ADAPTER=moodle needs it');
  });

  it('rest: the connection is the REST API and its token', () => {
    const config = loadConfig({ ...base, LMS_BASE_URL: 'http://127.0.0.1:8080', LMS_API_TOKEN: 't0k' });
    expect(lmsConnection(config)).toEqual({
      adapter: 'rest',
      url: 'http://127.0.0.1:8080',
      token: 't0k',
      timeoutMs: 10000,
      settings: { url: 'LMS_BASE_URL', token: 'LMS_API_TOKEN' },
    });
  });

  it('moodle needs MOODLE_URL and MOODLE_TOKEN, not the REST settings; the student role defaults to 5', () => {
    expect(errorOf({ ...base, LMS_ADAPTER: 'moodle' })).toBe(
      'configuration error: MOODLE_URL is missing: LMS_ADAPTER=moodle needs it; ' +
        'MOODLE_TOKEN is missing: LMS_ADAPTER=moodle needs it',
    );
    const config = loadConfig({
      ...base,
      LMS_ADAPTER: 'moodle',
      MOODLE_URL: 'https://moodle.example.com',
      MOODLE_TOKEN: 'moodle-secret',
    });
    expect(lmsConnection(config)).toMatchObject({
      adapter: 'moodle',
      url: 'https://moodle.example.com',
      token: 'moodle-secret',
      studentRoleId: 5,
      settings: { url: 'MOODLE_URL', token: 'MOODLE_TOKEN' },
    });
  });

  it('never echoes MOODLE_TOKEN or LMS_ODOO_API_KEY in an error', () => {
    const message = errorOf({ ...base, LMS_ADAPTER: 'moodle', MOODLE_TOKEN: '', LMS_ODOO_API_KEY: '' });
    expect(message).toContain('MOODLE_TOKEN is invalid: must not be empty');
    expect(errorOf({ ...base, MOODLE_STUDENT_ROLE_ID: 'student' })).toContain(
      'MOODLE_STUDENT_ROLE_ID is invalid: must be a number (got "student")',
    );
  });

  it('odoo-elearning needs nothing of its own: every LMS_ODOO_* defaults to the same Odoo', () => {
    const same = lmsConnection(loadConfig({ ...base, LMS_ADAPTER: 'odoo-elearning' }));
    expect(same).toMatchObject({
      adapter: 'odoo-elearning',
      url: base.ODOO_URL,
      db: 'odoo',
      username: base.ODOO_USERNAME,
      token: base.ODOO_API_KEY,
      sameDatabase: true,
      settings: { url: 'ODOO_URL', token: 'ODOO_API_KEY' },
    });
    const other = lmsConnection(
      loadConfig({
        ...base,
        LMS_ADAPTER: 'odoo-elearning',
        LMS_ODOO_URL: 'https://elearning.example.com',
        LMS_ODOO_DB: 'school',
        LMS_ODOO_USERNAME: 'lms@example.com',
        LMS_ODOO_API_KEY: 'other-key',
      }),
    );
    expect(other).toMatchObject({
      url: 'https://elearning.example.com',
      db: 'school',
      username: 'lms@example.com',
      token: 'other-key',
      sameDatabase: false,
      settings: { url: 'LMS_ODOO_URL', token: 'LMS_ODOO_API_KEY' },
    });
  });

  it('odoo-elearning tells the sales database from another one by server and database name', () => {
    const connect = (env: Record<string, string>) =>
      lmsConnection(loadConfig({ ...base, LMS_ADAPTER: 'odoo-elearning', ...env }));
    // the same server written another way, another user of it: still the sales database
    expect(
      connect({ LMS_ODOO_URL: 'http://127.0.0.1:8069/', LMS_ODOO_USERNAME: 'lms@example.com' }),
    ).toMatchObject({
      sameDatabase: true,
    });
    expect(connect({ LMS_ODOO_DB: 'school' })).toMatchObject({ sameDatabase: false });
    expect(connect({ LMS_ODOO_URL: 'http://127.0.0.1:8070' })).toMatchObject({ sameDatabase: false });
  });

  it('refuses an adapter it does not have, naming the ones it has', () => {
    expect(errorOf({ ...base, LMS_ADAPTER: 'canvas' })).toContain(
      'LMS_ADAPTER is invalid: must be one of rest, moodle, odoo-elearning (got "canvas")',
    );
  });
});
