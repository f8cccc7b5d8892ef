// The (course, learner) guard between enrollments and refund suspends, against the real PostgreSQL: an
// enroll of the same learner in the same course from another order cannot start while a suspend checks
// and suspends, and a suspend cannot start while such an enroll is in flight.
import { createActionsRepo, type ActionsRepo } from '../../../src/enrollment/actions-repo';
import type { PlannedAction } from '../../../src/enrollment/plan';
import { createTestDb, type TestDb } from '../../support/db';

let db: TestDb;
let repo: ActionsRepo;
beforeAll(async () => {
  db = await createTestDb();
  repo = createActionsRepo(db.pool);
});
afterAll(() => db.drop());

let seq = 0;
const ctx = (orderId: number) => ({
  orderId,
  orderName: `S${orderId}`,
  eventId: '00000000-0000-4000-8000-00000000000' + String(++seq % 10),
  messageId: '00000000-0000-4000-9000-00000000000' + String(seq % 10),
});
const enroll = (orderId: number, courseCode: string, studentId: string): Omit<PlannedAction, 'learner'> => ({
  action: 'enroll',
  businessKey: `enroll:${orderId}:${courseCode}:${studentId}`,
  courseCode,
  lineId: orderId * 10,
  studentId,
});

describe('the learner-course guard', () => {
  it('makes an enroll of the same learner and course busy while a suspend holds it, and free after', async () => {
    let during: string | undefined;
    const held = await repo.whileNoEnrollInFlight('WEB-PRO', 'odoo-partner-45', async () => {
      during = (await repo.claim(enroll(15, 'WEB-PRO', 'odoo-partner-45'), ctx(15), true)).kind;
      return 'suspended';
    });
    expect(held).toEqual({ kind: 'ran', value: 'suspended' });
    expect(during).toBe('busy');
    expect((await repo.claim(enroll(15, 'WEB-PRO', 'odoo-partner-45'), ctx(15), true)).kind).toBe('claimed');
  });

  it('lets enrolls of other learners or other courses through while a suspend holds one pair', async () => {
    const kinds = await repo.whileNoEnrollInFlight('WEB-PRO', 'odoo-partner-46', async () => [
      (await repo.claim(enroll(16, 'WEB-PRO', 'odoo-partner-47'), ctx(16), true)).kind,
      (await repo.claim(enroll(16, 'PY-K12', 'odoo-partner-46'), ctx(16), true)).kind,
    ]);
    expect(kinds).toEqual({ kind: 'ran', value: ['claimed', 'claimed'] });
  });

  it('does not run a suspend while an enroll of the same learner and course is in flight', async () => {
    await repo.claim(enroll(17, 'DS-101', 'odoo-partner-48'), ctx(17), true);
    let ran = false;
    const busy = await repo.whileNoEnrollInFlight('DS-101', 'odoo-partner-48', async () => {
      ran = true;
    });
    expect(busy).toEqual({ kind: 'busy' });
    expect(ran).toBe(false);
    await repo.finish(enroll(17, 'DS-101', 'odoo-partner-48').businessKey, ctx(17), {
      status: 'succeeded',
      outcome: 'succeeded',
      durationMs: 1,
    });
    expect(await repo.whileNoEnrollInFlight('DS-101', 'odoo-partner-48', async () => 'ok')).toEqual({
      kind: 'ran',
      value: 'ok',
    });
  });

  it('serialises two suspends of one pair and releases the guard when the suspend throws', async () => {
    const order: string[] = [];
    let release!: () => void;
    let started!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const firstStarted = new Promise<void>((r) => (started = r));
    const first = repo.whileNoEnrollInFlight('ML-301', 'odoo-partner-49', async () => {
      order.push('first start');
      started();
      await gate;
      order.push('first end');
    });
    await firstStarted;
    const second = repo
      .whileNoEnrollInFlight('ML-301', 'odoo-partner-49', async () => {
        order.push('second');
        throw new Error('LMS down');
      })
      .catch((err: Error) => err.message);
    setTimeout(release, 100);
    await first;
    expect(await second).toBe('LMS down');
    expect(order).toEqual(['first start', 'first end', 'second']);
    expect((await repo.claim(enroll(18, 'ML-301', 'odoo-partner-49'), ctx(18), true)).kind).toBe('claimed');
  });
});
