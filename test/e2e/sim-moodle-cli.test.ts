// `lms-sync sim moodle` started by hand, as the README's Running it path would with LMS_ADAPTER=moodle:
// it takes MOODLE_TOKEN from the environment, and the moodle adapter finds every course the seeded Odoo
// shop sells in it.
import { createMoodleLmsAdapter } from '../../src/lms/moodle-adapter';
import { silentLogger } from '../../src/observability/logger';
import { SIM_CATALOG } from '../../src/sim/catalog';
import { startCliProcess, type CliProcess } from '../support/cli-process';

describe('lms-sync sim moodle, started by hand', () => {
  let sim: CliProcess;
  afterAll(() => sim.kill());

  it('answers the moodle adapter with the token of MOODLE_TOKEN, knowing every course the Odoo simulator sells', async () => {
    const token = 'sim-moodle-cli-token';
    sim = await startCliProcess(
      ['sim', 'moodle', '--port', '0'],
      { MOODLE_TOKEN: token },
      /Moodle simulator on (\S+) /,
    );
    const url = sim.ready[1] as string;
    const lms = createMoodleLmsAdapter({
      url,
      token,
      studentRoleId: 5,
      timeoutMs: 2000,
      log: silentLogger(),
    });
    const refused = createMoodleLmsAdapter({
      url,
      token: 'demo-moodle-token',
      studentRoleId: 5,
      timeoutMs: 2000,
      log: silentLogger(),
    });
    try {
      await expect(lms.ping()).resolves.toBeUndefined();
      await expect(refused.ping()).rejects.toMatchObject({ code: 'lms_auth_failed' });
      const known = new Set((await lms.listCourses()).map((c) => c.courseCode));
      const sold = SIM_CATALOG.filter((c) => c.product).map((c) => c.courseCode);
      expect(sold.filter((code) => !known.has(code))).toEqual([]);
    } finally {
      lms.close();
      refused.close();
    }
  });
});
