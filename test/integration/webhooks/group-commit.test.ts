// The intake's group commit against a real PostgreSQL: one member the database refuses fails alone.
import { createHash, randomUUID } from 'node:crypto';
import { createGroupCommit, type DeliveryRow } from '../../../src/webhooks/group-commit';
import { messageForEvent } from '../../../src/webhooks/intake';
import { webhookEvent } from '../../../src/webhooks/schemas';
import { createTestDb, type TestDb } from '../../support/db';
import { events } from '../../support/webhooks';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.drop());

function delivery(orderId: number, overrides: Partial<DeliveryRow> = {}): DeliveryRow {
  const event = webhookEvent.parse(events.paid(orderId));
  const eventId = randomUUID();
  const messageId = randomUUID();
  return {
    webhookId: `msg_${randomUUID()}`,
    eventId,
    eventType: event.type,
    bodyHash: createHash('sha256').update(JSON.stringify(event)).digest(),
    payload: event,
    messageId,
    message: messageForEvent(event, eventId, messageId),
    ...overrides,
  };
}

const stored = async (eventIds: string[]) => {
  const { rows } = await db.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM webhook_deliveries WHERE event_id = ANY($1)',
    [eventIds],
  );
  return rows[0]?.n;
};

describe('group commit', () => {
  it('stores the valid members of a batch that PostgreSQL refuses for one member', async () => {
    // one in flight at a time: the first delivery goes alone, all the others share the next batch
    const storeRow = createGroupCommit(db.pool, { maxInFlight: 1 });
    const taken = delivery(1);
    await storeRow(taken);
    const valid = Array.from({ length: 60 }, (_, i) => delivery(100 + i));
    // a message id already in the outbox: the batch statement hits the unique index
    const clash = delivery(99, { messageId: taken.messageId });
    const first = storeRow(delivery(2));
    const results = Promise.allSettled([...valid.slice(0, 30), clash, ...valid.slice(30)].map(storeRow));
    await first;
    const settled = await results;
    const refused = settled.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: '23505' });
    expect(settled[30]?.status).toBe('rejected');
    expect(await stored(valid.map((d) => d.eventId))).toBe(60);
    expect(await stored([clash.eventId])).toBe(0);
  });

  it('fails only the member whose payload jsonb refuses (a NUL), concurrently with valid ones', async () => {
    const storeRow = createGroupCommit(db.pool, { maxInFlight: 1 });
    const valid = Array.from({ length: 40 }, (_, i) => delivery(500 + i));
    const nul = delivery(499, { payload: { orderName: 'S\u0000' } });
    const settled = await Promise.allSettled([valid[0], nul, ...valid.slice(1)].map((d) => storeRow(d!)));
    expect(settled.map((r) => r.status).filter((s) => s === 'rejected')).toEqual(['rejected']);
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: { code: '22P05' } });
    expect(await stored(valid.map((d) => d.eventId))).toBe(40);
  });
});
