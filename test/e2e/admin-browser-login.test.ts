// An engineer opens a report in a browser: the service's own HTTP server, headless Chromium, and the
// browser's login box (HTTP Basic, the ADMIN_TOKEN as password). The token must never be in a URL.
import type { Browser, BrowserContext } from 'playwright-core';
import request from 'supertest';
import { startHarness, type Harness } from '../support/harness';
import { launchChromium } from '../support/chromium';

jest.setTimeout(60_000);

const TOKEN = 'admin-token-for-tests-only';

let h: Harness;
let browser: Browser;
let base: string;
let runId: string;

beforeAll(async () => {
  h = await startHarness();
  base = `http://127.0.0.1:${h.service.port}`;
  runId = (await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' })).runId;
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

/** A fresh browser profile; every URL it requests is kept to check for the token. */
async function context(credentials?: { username: string; password: string }) {
  const ctx: BrowserContext = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    ...(credentials ? { httpCredentials: credentials } : {}),
  });
  const urls: string[] = [];
  ctx.on('request', (r) => urls.push(r.url()));
  return { ctx, urls };
}

describe('opening the admin pages in a browser', () => {
  it('shows the report after the login box, with any user name and the token as password', async () => {
    const { ctx, urls } = await context({ username: 'ops', password: TOKEN });
    const page = await ctx.newPage();
    const res = await page.goto(`${base}/admin/reconciliations/${runId}.html`);
    expect(res?.status()).toBe(200);
    await page.waitForFunction('document.body.dataset.chartsDrawn === "2"', undefined, { timeout: 5000 });
    expect(await page.title()).toMatch(/^Reconciliation succeeded · run /);
    const story = await page.goto(`${base}/admin/reconciliations/${runId}.json`);
    expect(story?.status()).toBe(200);
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const url of urls) expect(url).not.toContain(TOKEN);
    await ctx.close();
  });

  // Chromium may show its 401 page or, having no (right) credentials to answer the challenge, give up
  // with ERR_INVALID_AUTH_CREDENTIALS: either way the server's answers are what count.
  it.each([
    ['without credentials', undefined],
    ['with a wrong password', { username: 'ops', password: 'not-the-token-at-all' }],
  ])('answers 401 with the Basic challenge to a browser %s', async (_label, credentials) => {
    const { ctx, urls } = await context(credentials);
    const page = await ctx.newPage();
    const answers: { status: number; challenge: string | undefined }[] = [];
    page.on('response', (r) =>
      answers.push({ status: r.status(), challenge: r.headers()['www-authenticate'] }),
    );
    await page.goto(`${base}/admin/reconciliations/${runId}.html`).catch((err: Error) => {
      expect(err.message).toMatch(/ERR_INVALID_AUTH_CREDENTIALS/);
    });
    expect(answers.length).toBeGreaterThanOrEqual(1);
    for (const a of answers)
      expect(a).toEqual({ status: 401, challenge: 'Basic realm="lms-sync admin", charset="UTF-8"' });
    for (const url of urls) expect(url).not.toContain(TOKEN);
    await ctx.close();
  });

  it('lets a logged-in browser read but not write: a page elsewhere could make it POST', async () => {
    const { ctx } = await context({ username: 'ops', password: TOKEN });
    const page = await ctx.newPage();
    await page.goto(`${base}/admin/reconciliations/${runId}.json`);
    const status = await page.evaluate<number>(
      `fetch('/admin/reconciliations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(r => r.status)`,
    );
    expect(status).toBe(401);
    await ctx.close();
  });

  it("pages one cause's findings as JSON and as a page the browser opens", async () => {
    const ADMIN = { Authorization: `Bearer ${TOKEN}` };
    const path = `/admin/reconciliations/${runId}/findings`;
    const json = await request(h.service.app)
      .get(`${path}.json?kind=course_unmapped&course=&page=1`)
      .set(ADMIN);
    expect(json.status).toBe(200);
    expect(json.body).toEqual({
      kind: 'course_unmapped',
      courseCode: null,
      page: 1,
      pages: 1,
      total: 0,
      rows: [],
    });
    for (const q of ['kind=nope&course=', 'course=X', 'kind=course_unmapped&course=X&page=0'])
      expect((await request(h.service.app).get(`${path}?${q}`).set(ADMIN)).status).toBe(400);
    const missing = await request(h.service.app)
      .get('/admin/reconciliations/999999/findings.html?kind=course_unmapped&course=X')
      .set(ADMIN);
    expect(missing.status).toBe(404);
    expect((await request(h.service.app).get(`${path}?kind=course_unmapped&course=`)).status).toBe(401);
    const { ctx } = await context({ username: 'ops', password: TOKEN });
    const page = await ctx.newPage();
    const res = await page.goto(`${base}${path}.html?kind=course_unmapped&course=PY-K12`);
    expect(res?.status()).toBe(200);
    expect(await page.textContent('#no-rows')).toMatch(/No findings/);
    await page.click('text=the report of run');
    expect(page.url()).toBe(`${base}/admin/reconciliations/${runId}.html`);
    await ctx.close();
  });
});
