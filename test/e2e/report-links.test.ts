// The report served by the service leads to the fix: in headless Chromium, logged in with the
// browser's Basic box, a finding links to its Odoo order and ticket, and a repair event's id (whole)
// opens that event's story.
import type { Browser, Page } from 'playwright-core';
import { adminPage, launchChromium } from '../support/chromium';
import { startHarness, type Harness } from '../support/harness';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { consumed, send } from '../support/traffic';
import { events } from '../support/webhooks';

jest.setTimeout(90_000);

let h: Harness;
let browser: Browser;
let page: Page;
let base: string;
let runId: string;
let unmapped: { orderId: number };
let missing: { orderId: number };
const urls: string[] = [];

beforeAll(async () => {
  h = await startHarness({ env: { RECONCILE_MIN_REPAIRS_TO_BRAKE: '100' } });
  base = `http://127.0.0.1:${h.service.port}`;
  const py = makeCourse(h.odoo, 'PY-K12');
  // One enrollment in the LMS, so an empty listing does not trip the safety brake.
  const enrolled = paidOrder(h.odoo, makeStudent(h.odoo), [py]);
  await consumed(h, await send(h, events.paid(enrolled.orderId, enrolled.name)));
  unmapped = paidOrder(h.odoo, makeStudent(h.odoo), [makeCourse(h.odoo, 'NOT-IN-LMS')]);
  missing = paidOrder(h.odoo, makeStudent(h.odoo), [py]); // paid, never announced: a repair
  runId = (await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' })).runId;
  await h.service.helpdesk.worker.drainNow();
  browser = await launchChromium();
  page = await adminPage(browser, (url) => urls.push(url));
  expect((await page.goto(`${base}/admin/reconciliations/${runId}.html`))?.status()).toBe(200);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const row = (kind: string) => `#findings tbody tr[data-kind="${kind}"]`;

describe('links in the served report', () => {
  it('links a finding to its order in Odoo', async () => {
    const href = await page.getAttribute(`${row('course_unmapped')} td.order a`, 'href');
    expect(href).toBe(
      `${h.odoo.url.replace(/\/+$/, '')}/web#id=${unmapped.orderId}&model=sale.order&view_type=form`,
    );
  });

  it('links the ticket the finding opened', async () => {
    const { rows } = await h.db.pool.query<{ odoo_ticket_id: number }>(
      `SELECT odoo_ticket_id FROM helpdesk_tickets WHERE kind = 'course_unmapped' AND order_id = $1`,
      [unmapped.orderId],
    );
    expect(rows[0]?.odoo_ticket_id).toEqual(expect.any(Number));
    const href = await page.getAttribute(`${row('course_unmapped')} td.ticket a`, 'href');
    expect(href).toMatch(
      new RegExp(`/web#id=${rows[0]!.odoo_ticket_id}&model=helpdesk\\.ticket&view_type=form$`),
    );
  });

  it("shows the repair event's id whole and opens its story", async () => {
    const link = page.locator(`${row('missing_enrollment')} td.id a`);
    const id = (await link.textContent())!;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const [res] = await Promise.all([page.waitForResponse(`${base}/admin/events/${id}`), link.click()]);
    expect(res.status()).toBe(200);
    const story = JSON.parse((await page.textContent('body')) ?? '{}');
    expect(story).toMatchObject({ eventId: id });
    expect(story.published[0]).toMatchObject({ order_id: missing.orderId });
    await page.goBack();
  });

  it('puts neither the token nor personal data in any URL it opened or links to', async () => {
    await page.goto(`${base}/admin/reconciliations/${runId}.html`);
    const hrefs = await page.evaluate<string[]>(`[...document.querySelectorAll('a[href]')].map(a => a.href)`);
    for (const url of [...urls, ...hrefs]) {
      expect(url).not.toContain('admin-token-for-tests-only');
      expect(url).not.toMatch(/@|odoo-partner|example\.com/);
    }
  });
});
