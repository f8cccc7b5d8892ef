// The odoo-elearning LMS of a run: the run's own Odoo simulator, whose eLearning courses (slide.channel,
// seeded from the catalogue with their lms_course_code) and memberships (slide.channel.partner) the
// adapter reaches with the service's Odoo settings (every LMS_ODOO_* defaults to them).
import { COURSE_CODE_FIELD, ELEARNING_MODELS, type OdooSim } from '../odoo';
import type { DuplicateReport } from '../lms';
import type { SimulatedLms, SimulatedLmsOptions } from './index';

const MEMBERSHIP = 'slide.channel.partner';

export function simulatedOdooElearning(
  odoo: OdooSim,
  options: Omit<SimulatedLmsOptions, 'odoo'>,
): SimulatedLms {
  const db = odoo.store.db;
  // the LMS's outages hit the eLearning calls only: the service's sales reads stay healthy
  odoo.faults.scope(ELEARNING_MODELS);
  odoo.faults.setFailRate(options.failRate ?? 0, options.seed);
  const deletions = new Map<string, number>();

  const channelOf = (code: string): number | undefined =>
    db.search('slide.channel', [[COURSE_CODE_FIELD, '=', code]], { activeTest: false })[0];
  const codeOf = (channelId: number): string =>
    String(db.record('slide.channel', channelId)?.[COURSE_CODE_FIELD]);
  const partnerOf = (studentId: string): number | undefined => {
    const match = /^odoo-partner-(\d+)$/.exec(studentId);
    return match ? Number(match[1]) : undefined;
  };
  const membershipOf = (code: string, studentId: string): number | undefined => {
    const channel = channelOf(code);
    const partner = partnerOf(studentId);
    if (channel === undefined || partner === undefined) return undefined;
    const domain = [
      ['channel_id', '=', channel],
      ['partner_id', '=', partner],
    ];
    return db.search(MEMBERSHIP, domain, { activeTest: false })[0];
  };
  const keyOf = (channel: unknown, partner: unknown) => `${String(channel)}\u0000${String(partner)}`;
  const creations = (): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const rec of db.created(MEMBERSHIP)) {
      const key = keyOf(rec.channel_id, rec.partner_id);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  };

  return {
    adapter: 'odoo-elearning',
    settings: { LMS_ADAPTER: 'odoo-elearning' },
    createdCount: () => db.created(MEMBERSHIP).length,
    hasCourse: (code) => channelOf(code) !== undefined,
    creationCount: (code, studentId) => creations().get(keyOf(channelOf(code), partnerOf(studentId))) ?? 0,
    status(code, studentId) {
      const id = membershipOf(code, studentId);
      if (id === undefined) return undefined;
      return db.record(MEMBERSHIP, id)?.active === false ? 'suspended' : 'active';
    },
    duplicates() {
      const found: DuplicateReport[] = [];
      for (const [key, count] of creations()) {
        if (count < 2) continue;
        const [channel = '', partner = ''] = key.split('\u0000');
        found.push({
          courseCode: codeOf(Number(channel)),
          studentId: `odoo-partner-${partner}`,
          creations: count,
          deletions: deletions.get(key) ?? 0,
        });
      }
      return found;
    },
    deleteEnrollment(code, studentId) {
      const id = membershipOf(code, studentId);
      if (id === undefined) return false;
      const key = keyOf(channelOf(code), partnerOf(studentId));
      db.unlink(MEMBERSHIP, [id]);
      deletions.set(key, (deletions.get(key) ?? 0) + 1);
      return true;
    },
    setFailRate: (rate) => odoo.faults.setFailRate(rate),
    // the Odoo simulator is the run's, closed by whoever started it
    close: async () => odoo.faults.setFailRate(0),
  };
}
