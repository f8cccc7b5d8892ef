// The HTML report in a real browser: Debian's headless Chromium, driven by playwright-core, opening the
// page from a file:// URL with no network. A missing /usr/bin/chromium fails the suite, never skips it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { FINDING_KINDS } from '../../src/reconcile/diff-types';
import { renderHtml } from '../../src/reconcile/report/html';
import { KIND_META } from '../../src/reconcile/report/format';
import { sampleReportData, type SampleOptions } from '../support/report-sample';
import type { ReportData } from '../../src/reconcile/report/types';
import { launchChromium } from '../support/chromium';
import { computeSyncHealth } from '../../src/helpdesk/analytics';
import { HEALED_PROBLEMS, TICKETS, WINDOW } from '../support/sync-health-fixture';

let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'report-html-'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  /** console errors, page errors, dialogs and any request that is not the page itself */
  problems: string[];
}

/** Writes the rendered page to a file and opens it, recording anything a clean page must not do. */
async function open(name: string, options: SampleOptions | ReportData, width = 1366): Promise<Opened> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, renderHtml('run' in options ? options : sampleReportData(options)));
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const problems: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (r.url() !== url) problems.push(`request: ${r.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction('document.body.dataset.chartsDrawn === "2"', undefined, { timeout: 5000 });
  return { page, problems };
}

// Strings, not functions: the project compiles without the DOM lib, and these run in the page.
const count = (page: Page, selector: string) =>
  page.evaluate<number>(`document.querySelectorAll(${JSON.stringify(selector)}).length`);
const visibleKinds = (page: Page) =>
  page.evaluate<string[]>(
    `[...new Set([...document.querySelectorAll('#findings tbody tr')].filter(r => !r.hidden).map(r => r.dataset.kind))]`,
  );

describe('the HTML report in headless Chromium', () => {
  it('renders 40 findings and 30 runs with both charts drawn and no console errors', async () => {
    const { page, problems } = await open('full', { findings: 40, historyRuns: 30 });
    expect(await page.title()).toMatch(/^Reconciliation succeeded · run /);
    expect(await page.evaluate('document.body.dataset.chartsDrawn')).toBe('2');
    expect(await count(page, '#chart-kinds rect')).toBeGreaterThanOrEqual(FINDING_KINDS.length);
    expect(await count(page, '#chart-history rect')).toBeGreaterThanOrEqual(30 * 3);
    expect(await count(page, '#chart-history path')).toBeGreaterThanOrEqual(1);
    expect(await count(page, '#findings tbody tr')).toBe(40);
    await page.screenshot({ path: '/tmp/report.png', fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('filters the findings table to one kind, and back', async () => {
    const { page, problems } = await open('filter', { findings: 40 });
    expect((await visibleKinds(page)).sort()).toEqual([...FINDING_KINDS].sort());
    for (const kind of FINDING_KINDS.filter((k) => k !== 'unpaid_enrollment')) {
      await page.getByRole('checkbox', { name: new RegExp(KIND_META[kind].label, 'i') }).uncheck();
    }
    expect(await visibleKinds(page)).toEqual(['unpaid_enrollment']);
    expect(await page.textContent('#findings-shown')).toMatch(/^\d+ of 40 shown$/);
    await page.click('#kinds-all');
    expect(await count(page, '#findings tbody tr:not([hidden])')).toBe(40);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('narrows the table with the search box', async () => {
    const { page } = await open('search', { findings: 40 });
    await page.fill('#finding-search', 'LEGACY-');
    expect(await visibleKinds(page)).toEqual(['course_unmapped']);
    await page.close();
  });

  it('shows hostile order names and details as text and runs none of them', async () => {
    const { page, problems } = await open('hostile', { findings: 40, hostile: true });
    const detail = await page.textContent('#findings tbody tr:first-child td.detail');
    expect(detail).toContain('<script>alert(1)</script>');
    expect(await count(page, '#findings script, #findings img')).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('makes a held run loud: red banner, no repairs sent, charts still drawn', async () => {
    const { page, problems } = await open('held', { findings: 40, status: 'held' });
    expect(await page.title()).toMatch(/^Reconciliation held/);
    const banner = await page.textContent('#held-banner');
    expect(banner).toMatch(/HELD: no repairs were sent/);
    expect(banner).toMatch(/RECONCILE_MAX_REPAIR_RATIO/);
    expect(
      await page.evaluate('getComputedStyle(document.getElementById("held-banner")).borderTopColor'),
    ).toBe('rgb(185, 28, 28)');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('renders an empty run with one run of history and a friendly line', async () => {
    const { page, problems } = await open('empty', { findings: 0, historyRuns: 1 });
    expect(await page.textContent('#no-findings')).toMatch(/No findings/);
    expect(await count(page, '#chart-kinds rect')).toBe(FINDING_KINDS.length);
    expect(await count(page, '#chart-history rect')).toBeGreaterThanOrEqual(3);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens a 20,000-finding run at once: causes first, every cause one click from its rows', async () => {
    const started = Date.now();
    const { page, problems } = await open('big', { findings: 20_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await page.isVisible('#causes')).toBe(true);
    const causes = await count(page, '#causes tbody tr');
    expect(causes).toBeGreaterThan(5);
    const total = await page.evaluate<number>(
      `[...document.querySelectorAll('#causes td.num')].reduce((n, td) => n + Number(td.dataset.sort), 0)`,
    );
    expect(total).toBe(20_000);
    const button = page.locator('#causes button[data-group]').first();
    const group = await button.getAttribute('data-group');
    await button.click();
    const shown = await page.evaluate<string[]>(
      `[...document.querySelectorAll('#findings tbody tr')].filter(r => !r.hidden).map(r => r.dataset.group)`,
    );
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown)).toEqual(new Set([group]));
    expect(await page.isVisible('#group-clear')).toBe(true);
    await page.click('#group-clear');
    expect(await count(page, '#findings tbody tr:not([hidden])')).toBe(
      await count(page, '#findings tbody tr'),
    );
    const href = await page.locator('#causes a').first().getAttribute('href');
    expect(href).toMatch(/^\/admin\/reconciliations\/[^/]+\/findings\.html\?kind=[a-z_]+&course=/);
    expect(problems).toEqual([]);
    await page.close();
  });

  describe('the trend chart at 800 px', () => {
    /** Seven runs of one day, one of them 15,000 findings, one a dry run. */
    function oneDay(): ReportData {
      const data = sampleReportData({ findings: 12, historyRuns: 7 });
      data.history.forEach((r, i) => (r.startedAt = `2026-12-02T0${i + 1}:00:00.000Z`));
      data.history[2]!.findingsByKind.course_unmapped = 14_951;
      data.history[4]!.dryRun = true;
      return data;
    }

    it('labels runs of one day by date and time, and marks the dry run', async () => {
      const { page, problems } = await open('one-day', oneDay(), 800);
      const labels = await page.evaluate<string[]>(
        `[...document.querySelectorAll('#chart-history text.run-label')].map(t => [...t.children].map(s => s.textContent).join(' '))`,
      );
      expect(labels).toHaveLength(7);
      expect(new Set(labels).size).toBe(7);
      expect(labels[0]).toBe('12-02 01:00');
      expect(
        await page.evaluate(
          `[...document.querySelectorAll('#chart-history .mark-dry')].map(t => t.textContent)`,
        ),
      ).toEqual(['D']);
      expect(problems).toEqual([]);
      await page.close();
    });

    it('keeps a small run visible next to a big one, on a labelled log scale', async () => {
      const { page } = await open('one-day-scale', oneDay(), 800);
      expect(await page.textContent('#bars-scale')).toBe('log scale');
      const heights = await page.evaluate<number[]>(
        `[...document.querySelectorAll('#chart-history rect.s-findings')].map(r => Number(r.getAttribute('height')))`,
      );
      const big = Math.max(...heights);
      expect(Math.min(...heights)).toBeGreaterThan(big / 5);
      await page.close();
    });

    it('says "linear scale" for runs of a size', async () => {
      const { page } = await open('linear', { findings: 40, historyRuns: 30 }, 800);
      expect(await page.textContent('#bars-scale')).toBe('linear scale');
      await page.close();
    });

    it('clips neither the legend nor any chart text', async () => {
      for (const data of [oneDay(), sampleReportData({ findings: 40, historyRuns: 30 })]) {
        const { page } = await open('clip', data, 800);
        const outside = await page.evaluate<string[]>(`(() => {
          const out = [];
          const fig = document.getElementById('chart-history').closest('figure').getBoundingClientRect();
          for (const li of document.querySelectorAll('figure .legend li')) {
            const r = li.getBoundingClientRect();
            if (r.left < fig.left || r.right > fig.right || r.right > document.documentElement.clientWidth) out.push('legend: ' + li.textContent);
          }
          for (const svg of document.querySelectorAll('svg.chart')) {
            const [, , w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
            for (const t of svg.querySelectorAll('text')) {
              const b = t.getBBox();
              if (b.x < 0 || b.y < 0 || b.x + b.width > w || b.y + b.height > h) out.push(svg.id + ': ' + t.textContent);
            }
          }
          return out;
        })()`);
        expect(outside).toEqual([]);
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(800);
        await page.close();
      }
    });
  });

  it('shows the sync-health figures of a fixed data set and the data-quality checks', async () => {
    const tickets = TICKETS.map((t) => ({
      ...t,
      firstResponseAt: t.responseAfterMs === null ? null : new Date(t.openedAt.getTime() + t.responseAfterMs),
    }));
    const avoided = HEALED_PROBLEMS.filter((p) => ['p1', 'p5'].includes(p.fingerprint));
    const health = computeSyncHealth({ tickets, avoided, ...WINDOW });
    const sample = sampleReportData({ findings: 5 });
    const data: ReportData = {
      ...sample,
      helpdesk: {
        since: WINDOW.since.toISOString(),
        opened: 6,
        open: 2,
        recurring: 2,
        escalated: 0,
        autoClosed: 3,
        closedByPerson: 1,
        byPriority: { low: 0, normal: 4, high: 0, urgent: 2 },
        byTag: {},
        byKind: {},
        urgentShare: 0.333,
        medianTimeToAutoCloseMs: 86_400_000,
        pendingWrites: 0,
        health,
      },
      dataQuality: [
        {
          check: 'paid_order_without_email',
          count: 12,
          examples: [{ model: 'sale.order', id: 7, label: '<b>S00007</b>', detail: 'paid' }],
          error: null,
        },
        { check: 'duplicate_partner_email', count: 0, examples: [], error: null },
        { check: 'course_product_without_code', count: 0, examples: [], error: 'Odoo answered a fault' },
      ],
    };
    const { page, problems } = await open('health', data);
    const text = (selector: string) => page.textContent(selector);
    expect(await text('#health-urgent-7d .n')).toBe('25%');
    expect(await text('#health-urgent-prev-7d .n')).toBe('50%');
    expect(await text('#health-urgent-trend')).toContain('↓ falling');
    expect(await text('#health-backlog-open .n')).toBe('3');
    expect(await text('#health-avoided .n')).toBe('2');
    const rows = (id: string) =>
      page.evaluate<string[][]>(
        `[...document.querySelectorAll('#${id} tbody tr')].map(r => [...r.children].map(c => c.textContent.trim()))`,
      );
    expect(await rows('health-close')).toEqual([
      ['all of ours', '4', '15 h', '1 d 20 h'],
      ['closed by a person', '1', '6 h', '6 h'],
      ['auto-closed when healed', '3', '1 d', '1 d 21 h'],
    ]);
    expect((await rows('health-backlog')).map((r) => r[1])).toEqual(['0', '1', '1', '0', '1']);
    expect(await rows('health-per-week')).toEqual([
      ['2026-02-23', '0', '0', 'n/a'],
      ['2026-03-02', '2', '1', '50%'],
      ['2026-03-09', '4', '1', '25%'],
    ]);
    expect((await rows('health-recurring')).map((r) => r.slice(1))).toEqual([
      ['2', '4'],
      ['1', '2'],
    ]);
    expect(await page.locator('#health-per-day tbody tr').count()).toBe(14);
    expect(await text('#data-quality-table tr[data-check="paid_order_without_email"] .dq-count')).toBe('12');
    expect(await text('#data-quality-table tr[data-check="paid_order_without_email"] ul.examples')).toContain(
      '<b>S00007</b> paidand 11 more',
    );
    expect(await text('#data-quality-table tr[data-check="course_product_without_code"]')).toContain(
      'could not run: Odoo answered a fault',
    );
    expect(await page.locator('#data-quality b').count()).toBe(0); // the label is text, not markup
    expect(problems).toEqual([]);
    await page.close();
  });
});
