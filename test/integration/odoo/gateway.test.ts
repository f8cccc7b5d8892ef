import { noteMarker } from '../../../src/odoo/chatter';
import { createOdooGateway } from '../../../src/odoo/transport-gateway';
import { createXmlRpcTransport } from '../../../src/odoo/xmlrpc-transport';
import type { OdooGateway } from '../../../src/odoo/gateway';
import type { Logger } from '../../../src/observability/logger';
import { CATEGORY, startOdooSim, type OdooSim } from '../../../src/sim/odoo';

const CREDS = { db: 'odoo', username: 'svc', apiKey: 'a'.repeat(40) };

/** Records warnings so a test can count them. */
function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const log = {
    warn: (msg: string) => warnings.push(msg),
    info: () => undefined,
    debug: () => undefined,
    error: () => undefined,
  };
  return Object.assign(log, { warnings }) as unknown as Logger & { warnings: string[] };
}

async function withGateway(sim: OdooSim, log = recordingLog()) {
  const transport = createXmlRpcTransport({ url: sim.url, ...CREDS, timeoutMs: 5000 });
  const gateway = createOdooGateway({ transport, log, courseCategory: 'Courses' });
  return { gateway, transport, log };
}

describe('OdooGateway against the Odoo simulator', () => {
  let sim: OdooSim;
  let gateway: OdooGateway;
  let close: () => void;
  let partnerId: number;
  let python: number;
  let dataScience: number;
  let fee: number;

  beforeAll(async () => {
    sim = await startOdooSim({ port: 0, ...CREDS });
    const g = await withGateway(sim);
    gateway = g.gateway;
    close = () => g.transport.close();
    partnerId = sim.store.createPartner({
      name: 'Lan Nguyen',
      email: '  Lan@Example.com ',
      phone: '+84 90 000 0001',
    });
    python = sim.store.createCourseProduct('PY-K12', 'Python for Kids', 2500000, { category: CATEGORY.kids });
    dataScience = sim.store.createCourseProduct('DS-101', 'Data Science 101', 4750000);
    fee = sim.store.createOtherProduct('Registration Fee', 200000, { code: 'FEE' });
  });
  afterAll(async () => {
    close();
    await sim.close();
  });

  const orderWith = (productIds: number[]) =>
    sim.store.createOrder({ partnerId, lines: productIds.map((productId) => ({ productId })) });

  it('reads a paid order: course lines only (fee ignored), partner with a trimmed email', async () => {
    const orderId = orderWith([dataScience, fee]);
    sim.store.payInvoice(sim.store.invoiceOrder(orderId));
    const order = await gateway.readOrderForEnrollment(orderId);
    expect(order).toMatchObject({
      id: orderId,
      state: 'sale',
      paymentStatus: 'paid',
      partner: { id: partnerId, name: 'Lan Nguyen', email: 'Lan@Example.com', phone: '+84 90 000 0001' },
      otherLineCount: 1,
    });
    expect(order?.courseLines).toEqual([
      {
        lineId: expect.any(Number),
        productId: dataScience,
        productName: 'Data Science 101',
        courseCode: 'DS-101',
        refunded: false,
        quantity: 1,
        learnerIds: [],
      },
    ]);
  });

  it("reads the delivery address, a seat line's quantity and the learners' parents up to an email", async () => {
    const school = sim.store.createPartner({
      name: 'School',
      email: 'office@school.example',
      isCompany: true,
    });
    const klass = sim.store.createPartner({ name: 'Class 5A', parentId: school });
    const pupil = sim.store.createPartner({ name: 'Pupil', parentId: klass });
    const orderId = sim.store.createOrder({
      partnerId: school,
      shippingPartnerId: klass,
      lines: [{ productId: python, qty: 12, learnerIds: [pupil] }],
    });
    sim.store.payInvoice(sim.store.invoiceOrder(orderId));
    const transport = createXmlRpcTransport({ url: sim.url, ...CREDS, timeoutMs: 5000 });
    try {
      const withLearners = createOdooGateway({
        transport,
        log: recordingLog(),
        courseCategory: 'Courses',
        lineLearners: true,
      });
      const order = await withLearners.readOrderForEnrollment(orderId);
      expect(order?.shippingPartnerId).toBe(klass);
      expect(order?.courseLines).toMatchObject([{ courseCode: 'PY-K12', quantity: 12, learnerIds: [pupil] }]);
      expect(order?.partners.get(pupil)).toEqual({
        id: pupil,
        name: 'Pupil',
        email: null,
        phone: null,
        parentId: klass,
        isCompany: false,
      });
      expect(order?.partners.get(klass)).toMatchObject({ parentId: school, email: null });
      expect(order?.partners.get(school)).toMatchObject({ isCompany: true, email: 'office@school.example' });
      // without LEARNER_SOURCE=attendees the addon's field is not read (a real Odoo without it would refuse)
      const plain = await gateway.readOrderForEnrollment(orderId);
      expect(plain?.courseLines[0]?.learnerIds).toEqual([]);
    } finally {
      transport.close();
    }
  });

  it('counts a product of a sub-category of Courses as a course', async () => {
    const orderId = orderWith([python]);
    sim.store.payInvoice(sim.store.invoiceOrder(orderId));
    const order = await gateway.readOrderForEnrollment(orderId);
    expect(order?.courseLines.map((l) => l.courseCode)).toEqual(['PY-K12']);
  });

  it('reports a course product without an Internal Reference with courseCode null', async () => {
    const noCode = sim.store.createCourseProduct(false, 'Mystery Course', 100);
    const order = await gateway.readOrderForEnrollment(orderWith([noCode]));
    expect(order?.courseLines).toEqual([expect.objectContaining({ productId: noCode, courseCode: null })]);
  });

  it.each<[string, (invoiceId: number) => void, string]>([
    ['an invoiced, unpaid order', () => undefined, 'unpaid'],
    ['a partially paid order', (id) => sim.store.partiallyPay(id), 'unpaid'],
    [
      'a paid then refunded order',
      (id) => (sim.store.payInvoice(id), sim.store.refundInvoice(id)),
      'refunded',
    ],
  ])('reads %s as %s', async (_, act, expected) => {
    const orderId = orderWith([dataScience]);
    act(sim.store.invoiceOrder(orderId));
    expect((await gateway.readOrderForEnrollment(orderId))?.paymentStatus).toBe(expected);
  });

  it('reads a confirmed order without invoice and a quotation as unpaid', async () => {
    expect((await gateway.readOrderForEnrollment(orderWith([dataScience])))?.paymentStatus).toBe('unpaid');
    const quotation = sim.store.createOrder({
      partnerId,
      lines: [{ productId: dataScience }],
      state: 'draft',
    });
    expect(await gateway.readOrderForEnrollment(quotation)).toMatchObject({
      state: 'draft',
      paymentStatus: 'unpaid',
    });
  });

  it('answers null for an order that does not exist', async () => {
    expect(await gateway.readOrderForEnrollment(987654)).toBeNull();
  });

  it('writes the sync status in Odoo formats: UTC datetime string, truncated error, false for no error', async () => {
    const orderId = orderWith([dataScience]);
    const at = new Date('2024-05-01T10:11:12.345Z');
    await gateway.writeSyncStatus(orderId, { state: 'failed', error: 'x'.repeat(2000), at });
    const [failed] = sim.store.read(
      'sale.order',
      [orderId],
      ['lms_sync_state', 'lms_last_sync_at', 'lms_last_error'],
    );
    expect(failed).toMatchObject({ lms_sync_state: 'failed', lms_last_sync_at: '2024-05-01 10:11:12' });
    expect(String(failed?.lms_last_error).length).toBeLessThanOrEqual(500);
    await gateway.writeSyncStatus(orderId, { state: 'synced', error: null, at });
    const [synced] = sim.store.read('sale.order', [orderId], ['lms_sync_state', 'lms_last_error']);
    expect(synced).toMatchObject({ lms_sync_state: 'synced', lms_last_error: false });
  });

  it('posts a plain-text internal note in the order chatter, without a body_is_html warning in Odoo', async () => {
    const orderId = orderWith([dataScience]);
    const warnings = sim.store.warnings().length;
    await gateway.postOrderNote(orderId, { text: 'Enrolled in DS-101 & <PY-K12>.', key: 'gateway-test:1' });
    expect(sim.store.messagesFor('sale.order', orderId)).toEqual([
      expect.objectContaining({
        body: `Enrolled in DS-101 &amp; &lt;PY-K12&gt;.\n${noteMarker('gateway-test:1')}`,
        messageType: 'comment',
        subtypeXmlid: 'mail.mt_note',
      }),
    ]);
    expect(sim.store.warnings()).toHaveLength(warnings);
  });

  it('pings through version()', async () => {
    await expect(gateway.ping()).resolves.toBeUndefined();
  });
});

describe('OdooGateway when the lms_sync addon is not installed', () => {
  it('logs one warning and writes nothing, however often it is asked', async () => {
    const sim = await startOdooSim({ port: 0, ...CREDS, addonInstalled: false });
    const { gateway, transport, log } = await withGateway(sim);
    try {
      const partnerId = sim.store.createPartner({ name: 'No Addon' });
      const orderId = sim.store.createOrder({ partnerId, lines: [] });
      const before = sim.store.read('sale.order', [orderId], ['write_date'])[0];
      for (let i = 0; i < 3; i++)
        await gateway.writeSyncStatus(orderId, { state: 'synced', error: null, at: new Date() });
      expect(log.warnings).toHaveLength(1);
      expect(log.warnings[0]).toMatch(/lms_sync addon is not installed/);
      expect(sim.store.read('sale.order', [orderId], ['write_date'])[0]).toEqual(before);
    } finally {
      transport.close();
      await sim.close();
    }
  });
});

describe('the consumer gateway keeps course products for ODOO_PRODUCT_CACHE_SECONDS', () => {
  let sim: OdooSim;
  beforeAll(async () => {
    sim = await startOdooSim({ port: 0, ...CREDS });
  });
  afterAll(() => sim.close());

  async function gatewayWith(productCacheMs: number) {
    const transport = createXmlRpcTransport({ url: sim.url, ...CREDS, timeoutMs: 5000 });
    const gateway = createOdooGateway({
      transport,
      log: recordingLog(),
      courseCategory: 'Courses',
      productCacheMs,
    });
    return { gateway, close: () => transport.close() };
  }
  const productReads = () => sim.load().byMethod['product.product.read'] ?? 0;

  it('reads a product once for later orders, and anew for a Retry Enrollment (fresh) and after its time', async () => {
    const partnerId = sim.store.createPartner({ name: 'Mai Tran', email: 'mai@example.com' });
    const product = sim.store.createCourseProduct('WEB-1', 'Web Basics', 1000000);
    const order = () => sim.store.createOrder({ partnerId, lines: [{ productId: product }] });
    const { gateway, close } = await gatewayWith(60_000);
    try {
      const before = productReads();
      const first = await gateway.readOrderForEnrollment(order());
      const second = await gateway.readOrderForEnrollment(order());
      expect(productReads() - before).toBe(1);
      expect(second?.courseLines[0]?.courseCode).toBe('WEB-1');

      // an operator corrects the course code in Odoo: a plain read still has the kept product …
      sim.store.write('product.product', [product], { default_code: 'WEB-2' });
      const stale = await gateway.readOrderForEnrollment(first!.id);
      expect(stale?.courseLines[0]?.courseCode).toBe('WEB-1');
      // … and Retry Enrollment reads it anew, for the orders after it too
      const retried = await gateway.readOrderForEnrollment(first!.id, { fresh: true });
      expect(retried?.courseLines[0]?.courseCode).toBe('WEB-2');
      expect((await gateway.readOrderForEnrollment(order()))?.courseLines[0]?.courseCode).toBe('WEB-2');
      expect(productReads() - before).toBe(2);
    } finally {
      close();
    }
  });

  it('reads products with every order at 0', async () => {
    const partnerId = sim.store.createPartner({ name: 'Binh Le', email: 'binh@example.com' });
    const product = sim.store.createCourseProduct('WEB-3', 'Web Forms', 1000000);
    const { gateway, close } = await gatewayWith(0);
    try {
      const before = productReads();
      for (let i = 0; i < 3; i++)
        await gateway.readOrderForEnrollment(
          sim.store.createOrder({ partnerId, lines: [{ productId: product }] }),
        );
      expect(productReads() - before).toBe(3);
    } finally {
      close();
    }
  });
});
