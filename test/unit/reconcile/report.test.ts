import { createHash } from 'node:crypto';
import { FINDING_KINDS } from '../../../src/reconcile/diff-types';
import { CSV_COLUMNS, renderCsv } from '../../../src/reconcile/report/csv';
import { humanDuration, jsonForScript } from '../../../src/reconcile/report/format';
import { renderHtml } from '../../../src/reconcile/report/html';
import { REPORT_SCRIPT } from '../../../src/reconcile/report/html-script';
import { renderJson } from '../../../src/reconcile/report/json';
import { sampleReportData } from '../../support/report-sample';
import type { FindingRow } from '../../../src/reconcile/report/types';

const finding = (o: Partial<FindingRow> = {}): FindingRow => ({
  fingerprint: 'missing_enrollment:4100:PY-K12:odoo-partner-7',
  kind: 'missing_enrollment',
  orderId: 4100,
  orderName: 'S04100',
  courseCode: 'PY-K12',
  studentId: 'odoo-partner-7',
  email: 'a***@example.com',
  enrollmentIds: [],
  detail: 'paid order S04100 has no enrollment for odoo-partner-7 in PY-K12',
  action: 'repair_queued',
  repairEventId: '0b585919-0001-4000-a000-000000000001',
  firstSeenAt: '2025-11-23T02:00:00.000Z',
  seenRuns: 2,
  ...o,
});

const dataBlock = (html: string) =>
  /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!;

describe('renderJson', () => {
  const data = sampleReportData();
  const json = renderJson(data);

  it('has the documented top-level shape, in order', () => {
    expect(Object.keys(json)).toEqual([
      'schema',
      'run',
      'counts',
      'findings',
      'healed',
      'history',
      'helpdesk',
      'dataQuality',
    ]);
    expect(json.schema).toBe('reconciliation-report/v1');
    expect(Object.keys(json.run)).toEqual([
      'id', 'status', 'mode', 'dryRun', 'trigger', 'startedAt', 'finishedAt',
      'durationMs', 'heldReason', 'brakeLifted', 'error', 'timingsMs',
    ]); // prettier-ignore
  });

  it('counts every kind, totals the findings and gives the run duration', () => {
    expect(json.counts.findings).toBe(40);
    expect(Object.keys(json.counts.findingsByKind)).toEqual([...FINDING_KINDS]);
    expect(json.counts.findingsByKind.missing_enrollment).toBe(15);
    expect(json.run.durationMs).toBe(4210);
    expect(json.history).toHaveLength(30);
    expect(json.history.at(-1)).toMatchObject({ id: data.run.id, findings: 40 });
  });

  it('fills a kind missing from a stored row with 0 and keeps absent values as null', () => {
    const run = { ...data.run, findingsByKind: { missing_enrollment: 2 } as typeof data.run.findingsByKind };
    const out = renderJson({ ...data, run, findings: [finding({ repairEventId: null, orderName: null })] });
    expect(out.counts.findingsByKind).toEqual({
      ...Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])),
      missing_enrollment: 2,
    });
    expect(out.findings[0]).toMatchObject({ repairEventId: null, orderName: null });
    expect(Object.keys(out.findings[0]!)).toHaveLength(13);
  });
});

describe('renderCsv', () => {
  const rows = (csv: string) => csv.split('\r\n');

  it('starts with the header and ends every line with CRLF', () => {
    const csv = renderCsv([finding(), finding({ seenRuns: 1 })]);
    expect(rows(csv)[0]).toBe(CSV_COLUMNS.join(','));
    expect(rows(csv)).toHaveLength(4); // header, 2 findings, '' after the final CRLF
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('writes only the header for a run without findings', () => {
    expect(renderCsv([])).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });

  it('quotes commas, quotes and line breaks, doubling inner quotes', () => {
    const csv = renderCsv([finding({ detail: 'said "no", then\r\nleft' })]);
    expect(rows(csv)[1]).toMatch(/,"said ""no"", then$/);
    expect(csv).toContain('"said ""no"", then\r\nleft"\r\n');
  });

  it.each([
    ['=', '=HYPERLINK("http://evil")'],
    ['+', '+1+1'],
    ['-', '-2+3'],
    ['@', '@SUM(A1)'],
    ['tab', '\tcmd'],
  ])('turns a cell starting with %s into text with a leading apostrophe', (_, value) => {
    const line = rows(renderCsv([finding({ orderName: value })]))[1]!;
    const cell = line.split(',')[2]!;
    expect(cell.replace(/^"/, '')).toMatch(/^'/);
  });

  it('leaves ordinary cells alone', () => {
    const line = rows(renderCsv([finding()]))[1]!;
    expect(line).toBe(
      'missing_enrollment:4100:PY-K12:odoo-partner-7,missing_enrollment,S04100,PY-K12,odoo-partner-7,' +
        'a***@example.com,repair_queued,0b585919-0001-4000-a000-000000000001,2025-11-23T02:00:00.000Z,2,' +
        'paid order S04100 has no enrollment for odoo-partner-7 in PY-K12',
    );
  });
});

describe('renderHtml', () => {
  const html = renderHtml(sampleReportData({ hostile: true }));

  it('shows the run counts', () => {
    expect(html).toMatch(/id="count-findings"><div class="n">40</);
    expect(html).toMatch(/id="count-repairs"><div class="n">15</);
    expect(html).toMatch(/id="count-kind-missing_enrollment"><div class="n">15</);
    expect(html).toMatch(/id="count-tth-p50"><div class="n">9 h</);
  });

  it('escapes hostile details and order names', () => {
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html.match(/<script/g)).toHaveLength(2); // the data block and the report script, nothing else
  });

  it('has both chart containers and a data block the charts can read', () => {
    expect(html).toContain('<svg id="chart-kinds"');
    expect(html).toContain('<svg id="chart-history"');
    const block = JSON.parse(dataBlock(html));
    expect(block.kinds).toHaveLength(FINDING_KINDS.length);
    expect(block.history).toHaveLength(30);
  });

  it('keeps data from breaking out of the data block', () => {
    const data = sampleReportData({ historyRuns: 2 });
    data.history[0]!.id = '</script><script>alert(3)</script><!--';
    const page = renderHtml(data);
    expect(dataBlock(page)).not.toMatch(/<\/|<!--/);
    expect(JSON.parse(dataBlock(page)).history[0].id).toBe(data.history[0]!.id);
    expect(jsonForScript({ s: '</script>' })).toBe('{"s":"\\u003c/script\\u003e"}');
  });

  it('allows exactly its own inline script through the CSP', () => {
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const hash = createHash('sha256').update(script).digest('base64');
    expect(html).toContain(`script-src 'sha256-${hash}'`);
    expect(() => new Function(REPORT_SCRIPT)).not.toThrow();
  });

  it('shows the held banner only for a held run', () => {
    expect(html).not.toContain('id="held-banner"');
    const held = renderHtml(sampleReportData({ status: 'held' }));
    expect(held).toContain('id="held-banner"');
    expect(held).toMatch(/HELD: no repairs were sent/);
    expect(held).toMatch(/above RECONCILE_MAX_REPAIR_RATIO 0\.2/);
  });

  it('says there are no findings for an empty run', () => {
    const empty = renderHtml(sampleReportData({ findings: 0, historyRuns: 1 }));
    expect(empty).toContain('id="no-findings"');
    expect(empty).not.toContain('<table id="findings"');
  });
});

describe('humanDuration', () => {
  it.each([
    [null, '—'],
    [850, '850 ms'],
    [4210, '4.2 s'],
    [42_000, '42 s'],
    [310_000, '5 min 10 s'],
    [12_000_000, '3 h 20 min'],
    [187_200_000, '2 d 4 h'],
    [172_830_000, '2 d'],
  ])('%p ms reads %p', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});
