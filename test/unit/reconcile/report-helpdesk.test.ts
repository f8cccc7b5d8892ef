import { renderHtml } from '../../../src/reconcile/report/html';
import { renderJson } from '../../../src/reconcile/report/json';
import { sampleReportData } from '../../support/report-sample';
import type { HelpdeskSummary } from '../../../src/helpdesk/summary';

const helpdesk: HelpdeskSummary = {
  since: '2026-10-26T00:00:00.000Z',
  opened: 40,
  open: 7,
  recurring: 12,
  escalated: 3,
  autoClosed: 30,
  closedByPerson: 3,
  byPriority: { low: 5, normal: 25, high: 8, urgent: 2 },
  byTag: { CRM: 30, '<b>odd</b>': 1 },
  byKind: { course_unmapped: 10 },
  urgentShare: 0.05,
  medianTimeToAutoCloseMs: 5_400_000,
  pendingWrites: 1,
};

describe('the helpdesk section of the report', () => {
  it('shows the numbers the support team watches, escaped', () => {
    const html = renderHtml({ ...sampleReportData(), helpdesk });
    expect(html).toContain('Helpdesk tickets since 2026-10-26');
    expect(html).toMatch(/id="helpdesk-urgent-share"><div class="n">5%/);
    expect(html).toMatch(/id="helpdesk-auto-closed"><div class="n">30/);
    expect(html).toContain('&lt;b&gt;odd&lt;/b&gt;');
    expect(html).not.toContain('<b>odd</b>');
  });

  it('is left out when there is no helpdesk data, and the JSON says null', () => {
    const data = sampleReportData();
    expect(renderHtml(data)).not.toContain('Helpdesk tickets');
    expect(renderJson(data).helpdesk).toBeNull();
    expect(renderJson({ ...data, helpdesk }).helpdesk).toMatchObject({ opened: 40, urgentShare: 0.05 });
  });
});
