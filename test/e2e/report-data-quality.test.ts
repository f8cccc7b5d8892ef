// Every reconciliation runs the data-quality checks on Odoo and keeps them with the run: against the
// Odoo simulator with its opt-in data-quality seed, the served report (headless Chromium, logged in with
// the browser's Basic box) shows each check's count and examples linked to their Odoo records, the JSON
// report carries them, and the helpdesk's sync-health figures are on the same page.
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { DATA_QUALITY_CHECKS } from '../../src/reconcile/data-quality';
import { adminPage, launchChromium } from '../support/chromium';
import { startHarness, type Harness } from '../support/harness';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { consumed, send } from '../support/traffic';
import { events } from '../support/webhooks';

jest.setTimeout(90_000);

const ADMIN = { Authorization: 'Bearer admin-token-for-tests-only' };
let h: Harness;
let browser: Browser;
let page: Page;
let runId: string;

beforeAll(async () => {
  h = await startHarness({ odooDataQualityProblems: true, env: { RECONCILE_MIN_REPAIRS_TO_BRAKE: '100' } });
  const py = makeCourse(h.odoo, 'PY-K12');
  const enrolled = paidOrder(h.odoo, makeStudent(h.odoo), [py]);
  await consumed(h, await send(h, events.paid(enrolled.orderId, enrolled.name)));
  runId = (await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' })).runId;
  await h.service.helpdesk.worker.drainNow();
  browser = await launchChromium();
  page = await adminPage(browser);
  const base = `http://127.0.0.1:${h.service.port}`;
  expect((await page.goto(`${base}/admin/reconciliations/${runId}.html`))?.status()).toBe(200);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const cell = (check: string, selector: string) => `#data-quality-table tr[data-check="${check}"] ${selector}`;

describe('data-quality checks with each reconciliation', () => {
  it.each<[string, number]>([
    ['paid_order_without_email', 2],
    ['duplicate_partner_email', 1],
    ['course_product_without_code', 2],
    ['course_product_bad_price', 2],
    ['paid_order_not_confirmed', 2],
  ])('the report counts %s: %d', async (check, n) => {
    expect(await page.textContent(cell(check, '.dq-count'))).toBe(String(n));
    expect(await page.locator(cell(check, 'ul.examples li a')).count()).toBe(n);
  });

  it('links each example to its record in Odoo, by id only', async () => {
    const seed = h.odoo.dataQuality!;
    const odoo = h.odoo.url.replace(/\/+$/, '');
    const hrefs = async (check: string) =>
      page
        .locator(cell(check, 'ul.examples li a'))
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(await hrefs('paid_order_not_confirmed')).toEqual(
      seed.paidQuotations.map((id) => `${odoo}/web#id=${id}&model=sale.order&view_type=form`),
    );
    expect(await hrefs('duplicate_partner_email')).toEqual([
      `${odoo}/web#id=${seed.duplicateEmailPartners[0]}&model=res.partner&view_type=form`,
    ]);
    expect(await hrefs('course_product_bad_price')).toEqual(
      seed.productsWithBadPrice.map((id) => `${odoo}/web#id=${id}&model=product.product&view_type=form`),
    );
    expect(await page.textContent('#data-quality')).not.toContain('twin@example.com');
  });

  it('keeps the checks with the run, in the JSON report too', async () => {
    const json = await request(h.service.app).get(`/admin/reconciliations/${runId}`).set(ADMIN);
    expect(json.body.dataQuality.map((r: { check: string }) => r.check)).toEqual([...DATA_QUALITY_CHECKS]);
    expect(json.body.dataQuality[0]).toMatchObject({
      check: 'paid_order_without_email',
      count: 2,
      error: null,
    });
    const { rows } = await h.db.pool.query(
      'SELECT check_name FROM reconcile_data_quality WHERE run_id = $1',
      [runId],
    );
    expect(rows).toHaveLength(DATA_QUALITY_CHECKS.length);
  });

  it('runs them again on the next run, a dry run too', async () => {
    const next = await h.service.reconciler.run({ mode: 'full', dryRun: true, trigger: 'cli' });
    const json = await request(h.service.app).get(`/admin/reconciliations/${next.runId}`).set(ADMIN);
    expect(
      json.body.dataQuality.find((r: { check: string }) => r.check === 'course_product_without_code').count,
    ).toBe(2);
  });

  it('shows the sync-health figures beside the helpdesk numbers', async () => {
    expect(await page.isVisible('#health')).toBe(true);
    expect(await page.textContent('#health-backlog-open .n')).toMatch(/^\d+$/);
    expect(await page.locator('#health-per-week tbody tr').count()).toBeGreaterThanOrEqual(5);
    expect(await page.textContent('#health-first-response')).toContain('auto-closed when healed');
  });
});
