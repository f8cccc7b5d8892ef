import { loadConfig } from '../../../src/config';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lms_sync',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
  WEBHOOK_SECRETS: 'whsec_dGVzdA==, whsec_b3RoZXI=',
  ADMIN_TOKEN: 'a-long-admin-token-123',
  ODOO_URL: 'http://127.0.0.1:8069',
  ODOO_DB: 'odoo',
  ODOO_USERNAME: 'lms-sync@example.com',
  ODOO_API_KEY: 'super-secret-api-key',
  LMS_BASE_URL: 'http://127.0.0.1:8080',
  LMS_API_TOKEN: 'lms-token',
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(valid);
    expect(c).toMatchObject({
      PORT: 3000,
      LMS_ADAPTER: 'rest',
      HELPDESK_FLAVOR: 'oca',
      COURSE_CATEGORY: 'Courses',
      RECONCILE_CRON: '0 2 * * *',
      QUEUE_PREFIX: 'lms-sync',
      LOG_LEVEL: 'info',
      HTTP_HEADERS_TIMEOUT_MS: 20_000,
      HTTP_REQUEST_TIMEOUT_MS: 30_000,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 65_000,
      HTTP_MAX_CONNECTIONS: 1000,
      WEBHOOK_RATE_LIMIT_PER_MINUTE: 60_000,
      ADMIN_RATE_LIMIT_PER_MINUTE: 6000,
    });
    expect(c.WEBHOOK_SECRETS).toEqual(['whsec_dGVzdA==', 'whsec_b3RoZXI=']);
  });

  it('names a missing variable in one line', () => {
    const { ODOO_URL: _missing, ...rest } = valid;
    expect(() => loadConfig(rest)).toThrow(/^configuration error: ODOO_URL is missing$/);
  });

  it('names a malformed variable and does not echo secret values', () => {
    let message = '';
    try {
      loadConfig({ ...valid, WEBHOOK_SECRETS: 'not-a-whsec-secret' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/WEBHOOK_SECRETS is invalid/);
    expect(message).not.toContain('not-a-whsec-secret');
    expect(message.split('\n')).toHaveLength(1);
  });

  it.each([
    ['PORT', 'eighty'],
    ['AMQP_URL', 'http://127.0.0.1'],
    ['HELPDESK_FLAVOR', 'zendesk'],
    ['QUEUE_PREFIX', 'Bad Prefix'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ ...valid, [name]: value })).toThrow(new RegExp(`${name} is invalid`));
  });
});

describe('assignment settings', () => {
  it('default to nobody out, leaders from Odoo, and 6 h / 24 h before reassignment', () => {
    expect(loadConfig(valid)).toMatchObject({
      HELPDESK_OUT_USERS: [],
      HELPDESK_TEAM_LEADERS: {},
      HELPDESK_REASSIGN_AFTER_HOURS: { urgent: 6, high: 6, normal: 24, low: 24 },
    });
  });

  it('read the out list, the leaders and the hours', () => {
    const c = loadConfig({
      ...valid,
      HELPDESK_OUT_USERS: 'Alice@example.com,7',
      HELPDESK_TEAM_LEADERS: 'Ops=bob@example.com',
      HELPDESK_REASSIGN_AFTER_HOURS: 'urgent=2,high=4,normal=12,low=48',
    });
    expect(c.HELPDESK_OUT_USERS).toEqual(['alice@example.com', '7']);
    expect(c.HELPDESK_TEAM_LEADERS).toEqual({ Ops: 'bob@example.com' });
    expect(c.HELPDESK_REASSIGN_AFTER_HOURS).toEqual({ urgent: 2, high: 4, normal: 12, low: 48 });
  });

  it.each([
    [
      'HELPDESK_TEAM_LEADERS',
      'Ops',
      /HELPDESK_TEAM_LEADERS is invalid: bad entry "Ops": use Team name=login/,
    ],
    [
      'HELPDESK_REASSIGN_AFTER_HOURS',
      'urgent=6',
      /HELPDESK_REASSIGN_AFTER_HOURS is invalid: reassignment for low is missing/,
    ],
    [
      'HELPDESK_REASSIGN_AFTER_HOURS',
      'urgent=0,high=6,normal=24,low=24',
      /bad reassignment entry "urgent=0"/,
    ],
  ])('refuses %s=%s with a clear message', (name, value, message) => {
    expect(() => loadConfig({ ...valid, [name]: value })).toThrow(message);
  });
});
