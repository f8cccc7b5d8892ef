// `lms-sync doctor` with LMS_ADAPTER=moodle against the Moodle simulator: the LMS rows name Moodle's
// settings, a refused token and a wrong address the way an operator meets them.
import { loadConfig } from '../../../src/config';
import { runDoctor, type CheckRow } from '../../../src/doctor';
import { startMoodleSim, type RunningMoodleSim } from '../../../src/sim/moodle';
import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';
import { createTestDb, type TestDb } from '../../support/db';
import { amqpUrl } from '../../support/env';
import { TEST_SECRET } from '../../support/webhooks';

jest.setTimeout(60_000);

const ODOO_KEY = 'odoo-key-for-moodle-doctor';
const MOODLE_TOKEN = 'moodle-token-for-doctor';

let db: TestDb;
let odoo: OdooSim;
let moodle: RunningMoodleSim;
let env: Record<string, string>;

beforeAll(async () => {
  db = await createTestDb();
  odoo = await startOdooSim({ db: 'odoo', username: 'svc', apiKey: ODOO_KEY });
  for (const code of ['PY-K12', 'DS-101', 'GHOST-1'])
    odoo.store.createCourseProduct(code, `Course ${code}`, 1000);
  moodle = await startMoodleSim({
    token: MOODLE_TOKEN,
    courses: [
      { courseCode: 'PY-K12', title: 'Python for Kids', by: 'idnumber' },
      { courseCode: 'DS-101', title: 'Data Science 101', by: 'shortname' },
    ],
  });
  env = {
    DATABASE_URL: db.url,
    AMQP_URL: amqpUrl(),
    WEBHOOK_SECRETS: TEST_SECRET,
    ADMIN_TOKEN: 'admin-token-for-moodle-doctor',
    ODOO_URL: odoo.url,
    ODOO_DB: 'odoo',
    ODOO_USERNAME: 'svc',
    ODOO_API_KEY: ODOO_KEY,
    LMS_ADAPTER: 'moodle',
    MOODLE_URL: moodle.url,
    MOODLE_TOKEN,
    ODOO_TIMEOUT_MS: '3000',
    LMS_TIMEOUT_MS: '3000',
  };
});
afterAll(async () => {
  await Promise.all([odoo.close(), moodle.close()]);
  await db.drop();
});

const row = (rows: CheckRow[], name: string): CheckRow => {
  const found = rows.find((r) => r.check === name);
  if (!found) throw new Error(`no row "${name}" in ${rows.map((r) => r.check).join(', ')}`);
  return found;
};

describe('lms-sync doctor with LMS_ADAPTER=moodle', () => {
  it('says Moodle answers, takes the token, lists its courses and names a course Odoo sells that Moodle lacks', async () => {
    const rows = await runDoctor(loadConfig(env));
    expect(row(rows, 'LMS reachable')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^an LMS \(moodle\) answers at http:\/\/127\.0\.0\.1:\d+$/),
    });
    expect(row(rows, 'LMS token')).toMatchObject({ status: 'ok', detail: 'accepted' });
    expect(row(rows, 'LMS courses')).toMatchObject({ status: 'ok', detail: '2 courses' });
    expect(row(rows, 'Courses known to the LMS')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('GHOST-1'),
    });
    expect(JSON.stringify(rows)).not.toContain(MOODLE_TOKEN);
  });

  it('fails the token row naming MOODLE_TOKEN when Moodle answers invalidtoken, and never shows the token', async () => {
    const rows = await runDoctor(loadConfig({ ...env, MOODLE_TOKEN: 'wrong-moodle-token-99' }));
    expect(row(rows, 'LMS reachable').status).toBe('ok');
    expect(row(rows, 'LMS token')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('invalidtoken'),
      fix: expect.stringContaining('MOODLE_TOKEN'),
    });
    expect(row(rows, 'LMS courses').status).toBe('skipped');
    expect(JSON.stringify(rows)).not.toContain('wrong-moodle-token-99');
  });

  it('fails the courses row naming MOODLE_URL when the address is not the site (a 404)', async () => {
    const rows = await runDoctor(loadConfig({ ...env, MOODLE_URL: `${moodle.url}/not-moodle` }));
    expect(row(rows, 'LMS courses')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('MOODLE_URL'),
      fix: expect.stringContaining('MOODLE_URL'),
    });
  });
});
