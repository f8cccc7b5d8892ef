// `lms-sync doctor` with LMS_ADAPTER=odoo-elearning against the Odoo simulator, which is then the LMS
// too: the LMS rows speak of Odoo's eLearning, its rights and the lms_sync_slides addon.
import { loadConfig } from '../../../src/config';
import { runDoctor, type CheckRow } from '../../../src/doctor';
import { startOdooSim, type OdooSim, type OdooSimOptions } from '../../../src/sim/odoo';
import { SIM_CATALOG } from '../../../src/sim/catalog';
import { createTestDb, type TestDb } from '../../support/db';
import { amqpUrl } from '../../support/env';
import { TEST_SECRET } from '../../support/webhooks';

jest.setTimeout(60_000);

const ODOO_KEY = 'odoo-key-for-elearning-doctor';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.drop());

let odoo: OdooSim | undefined;
afterEach(async () => {
  await odoo?.close();
  odoo = undefined;
});

async function doctor(sim: Partial<OdooSimOptions> = {}, sells = ['PY-K12', 'DS-101']): Promise<CheckRow[]> {
  odoo = await startOdooSim({ db: 'odoo', username: 'svc', apiKey: ODOO_KEY, ...sim });
  for (const code of sells) odoo.store.createCourseProduct(code, `Course ${code}`, 1000);
  return runDoctor(
    loadConfig({
      DATABASE_URL: db.url,
      AMQP_URL: amqpUrl(),
      WEBHOOK_SECRETS: TEST_SECRET,
      ADMIN_TOKEN: 'admin-token-for-doctor-tests',
      ODOO_URL: odoo.url,
      ODOO_DB: 'odoo',
      ODOO_USERNAME: 'svc',
      ODOO_API_KEY: ODOO_KEY,
      LMS_ADAPTER: 'odoo-elearning',
      // the rows here are the LMS's: the simulator's helpdesk teams have nobody to assign tickets to
      HELPDESK_ENABLED: 'false',
      ODOO_TIMEOUT_MS: '3000',
      LMS_TIMEOUT_MS: '3000',
    }),
  );
}

const lmsRows = (rows: CheckRow[]) =>
  Object.fromEntries(
    rows
      .filter((r) => r.check.startsWith('LMS') || r.check === 'Courses known to the LMS')
      .map((r) => [r.check, { status: r.status, detail: r.detail, ...(r.fix ? { fix: r.fix } : {}) }]),
  );

describe('lms-sync doctor with LMS_ADAPTER=odoo-elearning', () => {
  it('finds the eLearning courses of the same Odoo, and every course it sells among them', async () => {
    const rows = await doctor();
    expect(rows.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(lmsRows(rows)).toEqual({
      'LMS reachable': { status: 'ok', detail: `an LMS (odoo-elearning) answers at ${odoo?.url}` },
      'LMS token': { status: 'ok', detail: 'accepted' },
      'LMS courses': { status: 'ok', detail: `${SIM_CATALOG.length} courses` },
      'Courses known to the LMS': { status: 'ok', detail: 'the LMS knows all 2 courses Odoo sells' },
    });
    expect(JSON.stringify(rows)).not.toContain(ODOO_KEY);
  });

  it('fails the token row, naming the eLearning / Officer rights, for a user without them', async () => {
    const rows = await doctor({ elearningOfficer: false });
    expect(lmsRows(rows)['LMS token']).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('eLearning / Officer'),
      fix: expect.stringContaining('ODOO_API_KEY'),
    });
    expect(lmsRows(rows)['LMS courses']).toMatchObject({ status: 'skipped' });
  });

  it('fails the token row, naming eLearning / Manager, for an Officer who is not the Responsible of the courses', async () => {
    const rows = await doctor({ elearningManager: false });
    expect(lmsRows(rows)['LMS token']).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('eLearning / Manager'),
    });
    expect(lmsRows(rows)['LMS courses']).toMatchObject({ status: 'skipped' });
  });

  it('fails the course list, saying what to install, without the lms_sync_slides addon', async () => {
    const rows = await doctor({ slidesAddonInstalled: false });
    expect(lmsRows(rows)['LMS reachable']).toMatchObject({ status: 'ok' });
    expect(lmsRows(rows)['LMS courses']).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('lms_sync_slides'),
    });
  });

  it('names a course Odoo sells that has no eLearning course with its code', async () => {
    const rows = await doctor({}, ['PY-K12', 'GHOST-1']);
    expect(lmsRows(rows)['Courses known to the LMS']).toMatchObject({
      status: 'fail',
      detail: '1 of 2 course codes Odoo sells are unknown to the LMS: GHOST-1',
    });
  });
});
