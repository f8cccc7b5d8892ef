// Each data-quality check against the Odoo simulator: with the demo data set alone every check finds
// nothing; with the opt-in data-quality seed each counts exactly what was seeded, lists it as examples
// (ids, order names, masked emails) and writes nothing to Odoo.
import { createXmlRpcTransport } from '../../../src/odoo/xmlrpc-transport';
import { createOdooDataQuality, DATA_QUALITY_CHECKS } from '../../../src/reconcile/data-quality';
import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';

jest.setTimeout(60_000);

const sims: OdooSim[] = [];
afterAll(async () => Promise.all(sims.map((s) => s.close())));

async function checksOf(options: { dataQualityProblems: boolean; pageSize?: number }) {
  const sim = await startOdooSim({
    port: 0,
    db: 'odoo',
    username: 'svc',
    apiKey: 'odoo-key',
    seed: 5,
    orders: 60,
    ...options,
  });
  sims.push(sim);
  const calls: string[] = [];
  const raw = createXmlRpcTransport({ url: sim.url, db: 'odoo', username: 'svc', apiKey: 'odoo-key' });
  const transport = {
    ...raw,
    executeKw: <T>(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>) => {
      calls.push(`${model}.${method}`);
      return raw.executeKw<T>(model, method, args, kwargs);
    },
  };
  const results = await createOdooDataQuality({
    transport,
    courseCategory: 'Courses',
    pageSize: options.pageSize ?? 1000,
  }).run();
  raw.close?.();
  return { sim, calls, byCheck: Object.fromEntries(results.map((r) => [r.check, r])) };
}

describe('data-quality checks against the Odoo simulator', () => {
  it('find nothing in the demo data set', async () => {
    const { byCheck } = await checksOf({ dataQualityProblems: false });
    for (const check of DATA_QUALITY_CHECKS)
      expect(byCheck[check]).toEqual({ check, count: 0, examples: [], error: null });
  });

  describe('with the data-quality seed', () => {
    let run: Awaited<ReturnType<typeof checksOf>>;
    beforeAll(async () => {
      run = await checksOf({ dataQualityProblems: true, pageSize: 7 }); // small pages: keyset paging crosses pages
    });
    const ids = (check: string) => run.byCheck[check]!.examples.map((e) => e.id);

    it('counts paid course orders whose learner has no email (false or empty), not an unpaid one', () => {
      const seeded = run.sim.dataQuality!.paidOrdersWithoutEmail;
      expect(run.byCheck.paid_order_without_email).toMatchObject({ count: 2, error: null });
      expect(ids('paid_order_without_email')).toEqual(seeded);
      expect(run.byCheck.paid_order_without_email!.examples[0]).toMatchObject({
        model: 'sale.order',
        label: expect.stringMatching(/^S\d{5}$/),
      });
    });

    it('counts an email two partners share, however it is written, and masks it', () => {
      const [first, second] = run.sim.dataQuality!.duplicateEmailPartners;
      expect(run.byCheck.duplicate_partner_email).toMatchObject({ count: 1, error: null });
      expect(run.byCheck.duplicate_partner_email!.examples).toEqual([
        {
          model: 'res.partner',
          id: first,
          label: expect.not.stringContaining('twin@'),
          detail: `2 partners: ${first}, ${second}`,
        },
      ]);
    });

    it('counts course products without an Internal Reference (sub-categories too), not a fee', () => {
      expect(run.byCheck.course_product_without_code).toMatchObject({ count: 2, error: null });
      expect(ids('course_product_without_code')).toEqual(run.sim.dataQuality!.productsWithoutCode);
    });

    it('counts course products with a list price of 0 or below', () => {
      expect(run.byCheck.course_product_bad_price).toMatchObject({ count: 2, error: null });
      expect(ids('course_product_bad_price')).toEqual(run.sim.dataQuality!.productsWithBadPrice);
      expect(run.byCheck.course_product_bad_price!.examples.map((e) => e.detail)).toEqual([
        'list price 0',
        'list price -1',
      ]);
    });

    it('counts orders whose invoice is paid while the order is still a quotation', () => {
      expect(run.byCheck.paid_order_not_confirmed).toMatchObject({ count: 2, error: null });
      expect(ids('paid_order_not_confirmed')).toEqual(run.sim.dataQuality!.paidQuotations);
    });

    it('only reads, with batched calls', () => {
      const methods = new Set(run.calls.map((c) => c.split('.').at(-1)));
      expect([...methods].sort()).toEqual(['read', 'search', 'search_count', 'search_read']);
    });
  });

  it('lists a bounded number of examples while counting every row', async () => {
    const sim = await startOdooSim({ port: 0, db: 'odoo', username: 'svc', apiKey: 'odoo-key', orders: 0 });
    sims.push(sim);
    for (let i = 0; i < 13; i++) sim.store.createCourseProduct(false, `Uncoded ${i}`, 100);
    const transport = createXmlRpcTransport({
      url: sim.url,
      db: 'odoo',
      username: 'svc',
      apiKey: 'odoo-key',
    });
    const results = await createOdooDataQuality({ transport, courseCategory: 'Courses', pageSize: 5 }).run();
    transport.close?.();
    const uncoded = results.find((r) => r.check === 'course_product_without_code')!;
    expect(uncoded.count).toBe(13);
    expect(uncoded.examples).toHaveLength(10);
  });

  it('reports a check that cannot run, and runs the others', async () => {
    const sim = await startOdooSim({ port: 0, db: 'odoo', username: 'svc', apiKey: 'odoo-key', orders: 0 });
    sims.push(sim);
    const transport = createXmlRpcTransport({
      url: sim.url,
      db: 'odoo',
      username: 'svc',
      apiKey: 'odoo-key',
    });
    const results = await createOdooDataQuality({
      transport,
      courseCategory: 'No Such Category',
      pageSize: 5,
    }).run();
    transport.close?.();
    expect(results.find((r) => r.check === 'course_product_bad_price')!.error).toMatch(/No Such Category/);
    expect(results.find((r) => r.check === 'duplicate_partner_email')).toMatchObject({
      count: 0,
      error: null,
    });
  });
});
