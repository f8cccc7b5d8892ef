// The write-back after the LMS calls, against the Odoo and LMS simulators and a real PostgreSQL (the
// actions table). A retry is run the way the consumer runs it: the same message again, attempt + 1.
import { randomUUID } from 'node:crypto';
import { createActionsRepo } from '../../../src/enrollment/actions-repo';
import { createOrderSync, type SyncOutcome } from '../../../src/enrollment/sync-order';
import { createRestLmsAdapter, type RestLmsAdapter } from '../../../src/lms/rest-adapter';
import { createMetrics } from '../../../src/observability/metrics';
import { silentLogger } from '../../../src/observability/logger';
import { createOdooGateway } from '../../../src/odoo/transport-gateway';
import { createXmlRpcTransport } from '../../../src/odoo/xmlrpc-transport';
import type { OrderSyncMessage } from '../../../src/enrollment/message';
import { startLmsSim, type RunningLmsSim } from '../../../src/sim/lms';
import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';
import { createTestDb, type TestDb } from '../../support/db';
import { makeCourse, makeStudent, paidOrder } from '../../support/orders';

const CREDS = { db: 'odoo', username: 'svc', apiKey: 'w'.repeat(40) };

describe('order write-back: each step is safe to redo', () => {
  let db: TestDb;
  let odoo: OdooSim;
  let lmsSim: RunningLmsSim;
  let lms: RestLmsAdapter;
  let closeOdoo: () => void;
  let syncOrder: ReturnType<typeof createOrderSync>;

  beforeAll(async () => {
    db = await createTestDb();
    odoo = await startOdooSim({ port: 0, ...CREDS });
    lmsSim = await startLmsSim({ port: 0, apiToken: 'lms-token' });
    const log = silentLogger();
    lms = createRestLmsAdapter({ baseUrl: lmsSim.url, apiToken: 'lms-token', timeoutMs: 5000, log });
    const transport = createXmlRpcTransport({
      url: odoo.url,
      ...CREDS,
      timeoutMs: 5000,
      retryDelaysMs: [1, 1],
    });
    closeOdoo = () => transport.close();
    const gateway = createOdooGateway({ transport, log, courseCategory: 'Courses' });
    syncOrder = createOrderSync({
      odoo: gateway,
      lms,
      actions: createActionsRepo(db.pool),
      log,
      metrics: createMetrics(),
    });
  });
  afterAll(async () => {
    closeOdoo();
    lms.close();
    await Promise.all([odoo.close(), lmsSim.close()]);
    await db.drop();
  });

  /** A person's Retry Enrollment on a paid order: its outcome is noted in the order's chatter. */
  function clickedMessage(
    trigger: OrderSyncMessage['trigger'] = 'enrollment.retry_requested',
  ): OrderSyncMessage {
    const { orderId, name } = paidOrder(odoo, makeStudent(odoo), [makeCourse(odoo, 'PY-K12')]);
    return {
      messageId: randomUUID(),
      eventId: randomUUID(),
      trigger,
      orderId,
      orderName: name,
    };
  }

  /** What the consumer does with a retry outcome: the same message again, a few times at most. */
  async function syncWithRetries(msg: OrderSyncMessage): Promise<SyncOutcome[]> {
    const outcomes = [await syncOrder(msg, 1)];
    for (let attempt = 2; attempt <= 3 && outcomes.at(-1)?.kind === 'retry'; attempt++) {
      outcomes.push(await syncOrder(msg, attempt));
    }
    return outcomes;
  }

  const notesOn = (orderId: number) => odoo.store.messagesFor('sale.order', orderId);

  it("writes a payment's plain enrollment as the order's status, without a chatter note", async () => {
    const msg = clickedMessage('order.paid');
    expect((await syncOrder(msg, 1)).kind).toBe('done');
    expect(odoo.store.read('sale.order', [msg.orderId], ['lms_sync_state'])[0]?.lms_sync_state).toBe(
      'synced',
    );
    expect(notesOn(msg.orderId)).toEqual([]);
  });

  it('posts one note when message_post was stored but its answer was reset', async () => {
    const msg = clickedMessage();
    odoo.resetAfterCommit('message_post');
    const outcomes = await syncWithRetries(msg);
    expect(outcomes.at(-1)?.kind).toBe('done');
    expect(notesOn(msg.orderId)).toHaveLength(1);
    expect(notesOn(msg.orderId)[0]?.body).toMatch(/^LMS sync \(Retry Enrollment\): Enrolled in PY-K12\.\n/);
  });

  it('posts one note when the answer was reset and Odoo could not be asked right after: the retry looks first', async () => {
    const msg = clickedMessage();
    odoo.resetAfterCommit('message_post');
    odoo.resetAfterCommit('search_read', 3); // the look-up right after, with its retries
    const outcomes = await syncWithRetries(msg);
    expect(outcomes.map((o) => o.kind)).toEqual(['retry', 'done']);
    expect(notesOn(msg.orderId)).toHaveLength(1);
  });

  it('writes no body_is_html note, so Odoo logs no warning for the service', () => {
    expect(odoo.store.warnings()).toEqual([]);
  });
});
