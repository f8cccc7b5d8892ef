// Bad answers from Odoo (or a proxy in front of it) cost only the message they belong to: a reply past
// ODOO_MAX_RESPONSE_BYTES, a Fault with megabytes of text, an error thrown inside a callback. Each is
// dead-lettered with a clear, bounded reason, and the next order is enrolled as usual.
import request from 'supertest';
import { installProcessGuard } from '../../src/lib/process-guard';
import { createOdooGateway } from '../../src/odoo/transport-gateway';
import { createOdooOrderLines } from '../../src/reconcile/odoo-order-lines';
import { xmlRpcTransportFromConfig } from '../../src/odoo/xmlrpc-transport';
import { dumpFault } from '../../src/sim/odoo/xml-write';
import { waitFor } from '../support/db';
import { startHarness, type Harness } from '../support/harness';
import {
  odooCall,
  startHostileServer,
  type HostileServer,
  type SeenRequest,
} from '../support/hostile-server';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { events, signedDelivery } from '../support/webhooks';

jest.setTimeout(60_000);

const MAX_REPLY = 8 * 1024 * 1024;
const CREDENTIALS = 'proxy-user:proxy-s3cret';
const ADMIN = { Authorization: 'Bearer admin-token-for-tests-only' };

let h: Harness;
let hostile: HostileServer;
/**
 * Order ids whose read throws inside an I/O callback, as a library bug would (no real one is left to
 * provoke). jest keeps the real process's 'uncaughtException' to itself, so the callback hands the error
 * to the test's process object the way Node would; test/integration/lib/process-guard.test.ts shows a
 * real process doing so.
 */
const throwsInCallback = new Set<number>();
const throwInCallback = () =>
  new Promise<never>(() =>
    setImmediate(() => {
      const err = new Error('a library threw inside its I/O callback');
      for (const listener of process.listeners('uncaughtException')) listener(err, 'uncaughtException');
    }),
  );

beforeAll(async () => {
  h = await startHarness({
    env: { ODOO_MAX_RESPONSE_BYTES: String(MAX_REPLY) },
    odooUrl: async (simUrl) => {
      hostile = await startHostileServer(simUrl);
      return hostile.url.replace('http://', `http://${CREDENTIALS}@`);
    },
    odoo: (config, log) => {
      const transport = xmlRpcTransportFromConfig(config, log);
      const gateway = createOdooGateway({ transport, log, courseCategory: config.COURSE_CATEGORY });
      const read = gateway.readOrderForEnrollment.bind(gateway);
      gateway.readOrderForEnrollment = (orderId) =>
        throwsInCallback.has(orderId) ? throwInCallback() : read(orderId);
      const orderLines = createOdooOrderLines({ transport, log, courseCategory: config.COURSE_CATEGORY });
      return { transport, gateway, orderLines };
    },
  });
});
afterEach(() => hostile.answer(null));
afterAll(async () => {
  await h.stop();
  await hostile.close();
});

const readsOrder = (req: SeenRequest, orderId: number) => {
  const { model, method } = odooCall(req);
  return (
    model === 'sale.order' &&
    method === 'read' &&
    new RegExp(`<data>(?:<value><int>\\d+</int></value>)*<value><int>${orderId}</int></value>`).test(req.body)
  );
};

async function send(orderId: number, name: string): Promise<string> {
  const d = signedDelivery(events.paid(orderId, name));
  const res = await request(h.service.app).post('/webhooks/odoo').set(d.headers).send(d.body);
  expect(res.status).toBe(202);
  return res.body.eventId;
}

const outcomeOf = (eventId: string) =>
  waitFor(async () => {
    const { rows } = await h.db.pool.query<{ outcome: string }>(
      'SELECT outcome FROM consumed_messages WHERE event_id = $1',
      [eventId],
    );
    return rows[0]?.outcome;
  }, 'the message to be handled');

async function deadLetterOf(eventId: string) {
  await outcomeOf(eventId);
  const { rows } = await h.db.pool.query<{ id: string; reason_code: string; reason: string }>(
    'SELECT id::text, reason_code, reason FROM dead_letters WHERE event_id = $1',
    [eventId],
  );
  return rows[0];
}

function order(code: string) {
  h.lms.state.addCourse({ courseCode: code, title: code });
  const student = makeStudent(h.odoo);
  return { ...paidOrder(h.odoo, student, [makeCourse(h.odoo, code)]), student };
}

async function expectEnrolled(code: string) {
  const good = order(code);
  expect(await outcomeOf(await send(good.orderId, good.name))).toBe('done');
  expect(h.lms.state.enrollment(code, `odoo-partner-${good.student}`)).toMatchObject({ status: 'active' });
}

it('dead-letters an order whose Odoo reply passes ODOO_MAX_RESPONSE_BYTES, and goes on enrolling', async () => {
  const poison = order('HOSTILE-BIG');
  hostile.answer((req) =>
    readsOrder(req, poison.orderId)
      ? {
          stream: {
            prefix: '<?xml version="1.0"?><methodResponse>',
            chunk: ' '.repeat(65536),
            upTo: 4 * MAX_REPLY,
          },
        }
      : undefined,
  );
  const dead = await deadLetterOf(await send(poison.orderId, poison.name));
  expect(dead).toMatchObject({ reason_code: 'retries_exhausted:odoo_reply_too_large' });
  expect(dead?.reason).toMatch(/more than 8388608 bytes \(ODOO_MAX_RESPONSE_BYTES\)/);
  expect(hostile.streams.every((s) => s.cutByClient && s.bytesSent < 4 * MAX_REPLY)).toBe(true);
  await expectEnrolled('HOSTILE-AFTER-BIG');
});

it('bounds a 5 MB faultString in the dead letter, the admin listing and the helpdesk ticket', async () => {
  const poison = order('HOSTILE-FAULT');
  const lastLine = `ValidationError: the record ${poison.orderId} is locked`;
  const faultString = `${'Odoo went on and on about this record. '.repeat(130_000)}\n${lastLine}`;
  expect(faultString.length).toBeGreaterThan(5_000_000);
  const fault = dumpFault(2, faultString);
  hostile.answer((req) => (readsOrder(req, poison.orderId) ? { body: fault } : undefined));
  const eventId = await send(poison.orderId, poison.name);

  const dead = await deadLetterOf(eventId);
  expect(dead?.reason_code).toBe('retries_exhausted:odoo_user_error');
  expect(dead?.reason.length).toBeLessThanOrEqual(2000);
  expect(dead?.reason).toMatch(/^Odoo sale\.order\.read: Odoo went on and on/);
  expect(dead?.reason.endsWith(` … ${lastLine}`)).toBe(true);

  const listing = await request(h.service.app).get('/admin/dead-letters').set(ADMIN);
  const listed = listing.body.items.find((d: { event_id: string }) => d.event_id === eventId);
  expect(listed.reason).toBe(dead?.reason);

  await h.service.helpdesk.worker.drainNow();
  const tickets = h.odoo.store.read('helpdesk.ticket', h.odoo.store.search('helpdesk.ticket', []), [
    'description',
  ]);
  const ticket = tickets.find((t) => String(t.description).includes(poison.name));
  expect(ticket).toBeDefined();
  const description = String(ticket?.description);
  expect(description.length).toBeLessThan(8000);
  expect(description).toContain(lastLine);
  const { rows } = await h.db.pool.query<{ size: number }>(
    `SELECT max(length(c.payload::text)) AS size FROM helpdesk_commands c
       JOIN helpdesk_tickets t ON t.id = c.ticket_row_id WHERE t.order_id = $1`,
    [poison.orderId],
  );
  expect(rows[0]?.size).toBeLessThan(10_000);
});

it('writes ticket and chatter links without the user and password of ODOO_URL, which the transport still sends', async () => {
  const poison = order('HOSTILE-LINK');
  hostile.answer((req) => (readsOrder(req, poison.orderId) ? { body: dumpFault(2, 'Locked') } : undefined));
  await deadLetterOf(await send(poison.orderId, poison.name));
  await h.service.helpdesk.worker.drainNow();
  const notes = h.odoo.store.messagesFor('sale.order', poison.orderId).map((m) => String(m.body));
  const ticketNote = notes.find((b) => b.includes('helpdesk ticket was opened'));
  expect(ticketNote).toMatch(/http:\/\/127\.0\.0\.1:\d+\/web#id=\d+&amp;model=helpdesk\.ticket/);
  const written = hostile.seen.map((r) => r.body).join('\n');
  expect(written).toContain('/web#id=');
  expect(written).not.toContain('proxy-s3cret');
  expect(written).not.toContain('proxy-user');
  const basic = `Basic ${Buffer.from(CREDENTIALS).toString('base64')}`;
  expect(hostile.seen.every((r) => r.authorization === basic)).toBe(true);
});

describe('with the process guard installed', () => {
  const fatal: unknown[] = [];
  let uninstall: () => void;
  beforeAll(() => {
    uninstall = installProcessGuard({ log: h.log, onFatal: (err) => fatal.push(err) });
  });
  afterAll(() => uninstall());

  it('fails only the message during which an error was thrown inside a callback', async () => {
    const poison = order('HOSTILE-THROW');
    throwsInCallback.add(poison.orderId);
    const dead = await deadLetterOf(await send(poison.orderId, poison.name));
    expect(dead?.reason_code).toBe('stray_error');
    expect(dead?.reason).toMatch(
      /uncaught error while handling message .*: a library threw inside its I\/O callback/,
    );
    expect(fatal).toEqual([]);
    await expectEnrolled('HOSTILE-AFTER-THROW');
  });
});
