// The odoo-elearning adapter against the Odoo simulator, as the LMS in the sales database itself: the
// students are its partners, the courses its slide.channel records seeded from the catalogue.
import { createOdooElearningAdapter } from '../../../../src/lms/odoo-elearning-adapter';
import { silentLogger } from '../../../../src/observability/logger';
import { simulatedOdooElearning } from '../../../../src/sim/any-lms/odoo-elearning';
import { startOdooSim, type OdooSim } from '../../../../src/sim/odoo';
import type { ContractSubject } from './subject';

export const ODOO_KEY = 'odoo-elearning-api-key-123';

/** An Odoo simulator whose partners 4..14 are the fixtures' students (jane.<id>@…; 14 has no email). */
export async function startElearningOdoo(): Promise<OdooSim> {
  const sim = await startOdooSim({ db: 'odoo', username: 'svc', apiKey: ODOO_KEY });
  for (let id = 4; id <= 14; id += 1) {
    const created = sim.store.createPartner({
      name: `Jane ${id}`,
      ...(id === 14 ? {} : { email: `jane.${id}@example.com` }),
    });
    if (created !== id) throw new Error(`expected partner ${id}, the simulator made ${created}`);
  }
  return sim;
}

export const odooElearningSubject: ContractSubject = {
  name: 'odoo-elearning',
  takesStudentsWithoutEmail: true,
  async start() {
    const timeoutMs = 300;
    const sim = await startElearningOdoo();
    const face = simulatedOdooElearning(sim, {});
    const adapters: Array<{ close(): void }> = [];
    const adapter = (apiKey: string) => {
      const lms = createOdooElearningAdapter({
        url: sim.url,
        db: 'odoo',
        username: 'svc',
        apiKey,
        timeoutMs,
        sameDatabase: true,
        log: silentLogger(),
      });
      adapters.push(lms);
      return lms;
    };
    return {
      lms: adapter(ODOO_KEY),
      secret: ODOO_KEY,
      courseCode: 'PY-K12',
      timeoutMs,
      refused: () => adapter('a-key-odoo-refuses'),
      async seed(courseCode, n) {
        const [channel] = sim.store.search('slide.channel', [['lms_course_code', '=', courseCode]]);
        for (let i = 1; i <= n; i += 1) {
          const partner = sim.store.createPartner({ name: `Seeded ${i}`, email: `seeded.${i}@example.com` });
          sim.store.db.create('slide.channel.partner', { channel_id: channel, partner_id: partner });
        }
      },
      async held(courseCode, studentId) {
        return {
          count: face.creationCount(courseCode, studentId),
          status: face.status(courseCode, studentId),
        };
      },
      failNext: () => sim.faults.failNext(1),
      slow: () => sim.faults.setLatency(timeoutMs * 4),
      async stop() {
        adapters.forEach((lms) => lms.close());
        await sim.close();
      },
    };
  },
};
