// Findings grouped by cause: counts first, a few rows of each on the page, the rest paged, so a run
// of 20,000 findings still gives a page a browser opens at once.
import { FINDING_KINDS } from '../../../src/reconcile/diff-types';
import {
  findingsPage,
  groupFindings,
  groupQuery,
  INLINE_MAX,
  inlineFindings,
  PAGE_SIZE,
} from '../../../src/reconcile/report/groups';
import { renderFindingsPage } from '../../../src/reconcile/report/html-groups';
import { renderHtml } from '../../../src/reconcile/report/html';
import { sampleReportData } from '../../support/report-sample';

const big = sampleReportData({ findings: 20_000 });
const groups = groupFindings(big.findings);

describe('grouping findings by cause', () => {
  it('puts every finding in exactly one group of its kind and course, the largest first', () => {
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(20_000);
    for (const g of groups) {
      expect(g.rows).toHaveLength(g.count);
      for (const f of g.rows) expect([f.kind, f.courseCode]).toEqual([g.kind, g.courseCode]);
    }
    const keys = new Set(groups.map((g) => `${g.kind}|${g.courseCode}`));
    expect(keys.size).toBe(groups.length);
    expect(groups.map((g) => g.count)).toEqual([...groups.map((g) => g.count)].sort((a, b) => b - a));
  });

  it('lists every row of a small run and a bounded sample of each cause of a big one', () => {
    const small = sampleReportData();
    expect(inlineFindings(small.findings, groupFindings(small.findings))).toEqual(small.findings);
    const inline = inlineFindings(big.findings, groups);
    expect(inline.length).toBeLessThanOrEqual(INLINE_MAX);
    expect(new Set(inline.map((f) => `${f.kind}|${f.courseCode}`)).size).toBe(groups.length);
  });

  it('pages one cause, the last page short and past it empty', () => {
    const g = groups[0]!;
    const first = findingsPage(big.findings, g.kind, g.courseCode, 1);
    expect(first).toMatchObject({ total: g.count, pages: Math.ceil(g.count / PAGE_SIZE) });
    expect(first.rows).toEqual(g.rows.slice(0, PAGE_SIZE));
    const last = findingsPage(big.findings, g.kind, g.courseCode, first.pages);
    expect(last.rows).toEqual(g.rows.slice((first.pages - 1) * PAGE_SIZE));
    expect(findingsPage(big.findings, g.kind, g.courseCode, first.pages + 1).rows).toEqual([]);
    const none = findingsPage(big.findings, 'course_unmapped', null, 1);
    expect(none).toMatchObject({ total: 0, pages: 1, rows: [] });
  });

  it('names a group in a query without personal data', () => {
    expect(groupQuery({ kind: 'course_unmapped', courseCode: 'LEGACY-12' }, 3)).toBe(
      'kind=course_unmapped&course=LEGACY-12&page=3',
    );
    expect(groupQuery({ kind: 'course_unmapped', courseCode: null })).toBe('kind=course_unmapped&course=');
  });
});

describe('the page of a 20,000-finding run', () => {
  const html = renderHtml(big);

  it('stays under 2 MB', () => {
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);
  });

  it('lists the causes with counts that add up to the run', () => {
    const causes = /<table id="causes">[\s\S]*?<\/table>/.exec(html)![0];
    const counts = [...causes.matchAll(/<td class="num" data-sort="(\d+)">/g)].map((m) => Number(m[1]));
    expect(counts).toHaveLength(groups.length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(20_000);
    expect(html).toContain('id="findings-partial"');
    expect(causes.match(/<td class="step">/g)).toHaveLength(groups.length);
    expect(causes).toMatch(/Internal Reference \(default_code\)/);
  });

  it('links each cause to its paged rows', () => {
    const hrefs = [...html.matchAll(/href="(\/admin\/reconciliations\/[^"]*\/findings\.html\?[^"]*)"/g)];
    expect(hrefs).toHaveLength(groups.length);
    for (const [, href] of hrefs) expect(href).toMatch(/\?kind=[a-z_]+&amp;course=[A-Z0-9-]*$/);
  });

  it('renders one cause page, escaped, with links to its neighbours', () => {
    const g = groups[0]!;
    const page = renderFindingsPage(big.run, findingsPage(big.findings, g.kind, g.courseCode, 2));
    expect(page.match(/<tr data-kind=/g)).toHaveLength(Math.min(PAGE_SIZE, g.count - PAGE_SIZE));
    expect(page).toContain('rel="prev"');
    expect(page).not.toMatch(/<script/);
  });

  it('keeps the report exactly as before for a run that fits on the page', () => {
    const small = renderHtml(sampleReportData());
    expect(small.match(/<tr data-kind="[a-z_]+" data-fingerprint=/g)).toHaveLength(40);
    expect(small).not.toContain('id="findings-partial"');
    expect(FINDING_KINDS.every((k) => small.includes(`id="count-kind-${k}"`))).toBe(true);
  });
});
