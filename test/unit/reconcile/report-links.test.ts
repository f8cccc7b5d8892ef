// Each finding leads somewhere: its Odoo order, its ticket, its repair event's story; and no link
// carries a credential or personal data.
import { renderFindingsPage } from '../../../src/reconcile/report/html-groups';
import { renderHtml } from '../../../src/reconcile/report/html';
import { findingsPage } from '../../../src/reconcile/report/groups';
import { ticketKey, type ReportLinks } from '../../../src/reconcile/report/links';
import { sampleReportData } from '../../support/report-sample';

const data = sampleReportData();
const withOrder = data.findings.find((f) => f.orderId !== null && f.kind === 'course_unmapped')!;
const repaired = data.findings.find((f) => f.repairEventId !== null)!;
const links: ReportLinks = {
  odooUrl: 'https://ops:s3cret-proxy@odoo.acme.test/odoo/?db=prod#x',
  tickets: new Map([
    [
      ticketKey(withOrder.orderId!, withOrder.courseCode),
      { odooTicketId: 77, reference: 'HT00077', state: 'open' },
    ],
  ]),
};
const html = renderHtml(data, links);
const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

describe('links in the report', () => {
  it("links each order to its form in Odoo, without ODOO_URL's userinfo, query or fragment", () => {
    const href = `https://odoo.acme.test/odoo/web#id=${withOrder.orderId}&model=sale.order&view_type=form`;
    expect(hrefs).toContain(href);
    const orders = hrefs.filter((x) => x.includes('model=sale.order'));
    expect(orders).toHaveLength(data.findings.filter((f) => f.orderId !== null).length);
    expect(html).not.toContain('s3cret');
    expect(html).not.toContain('ops:');
    expect(html).not.toContain('db=prod');
  });

  it('links the ticket where one exists, by its Odoo number', () => {
    expect(hrefs).toContain('https://odoo.acme.test/odoo/web#id=77&model=helpdesk.ticket&view_type=form');
    expect(html).toMatch(/<td class="nowrap ticket"><a [^>]*>HT00077<\/a><\/td>/);
    expect(hrefs.filter((x) => x.includes('helpdesk.ticket'))).toHaveLength(1);
  });

  it("shows repair event ids whole, each linked to the event's story", () => {
    for (const f of data.findings.filter((x) => x.repairEventId !== null)) {
      expect(hrefs).toContain(`/admin/events/${f.repairEventId}`);
      expect(html).toContain(`<code>${f.repairEventId}</code>`);
    }
    expect(html).not.toContain(`${repaired.repairEventId!.slice(0, 8)}…`);
  });

  it('puts no personal data in any link: no email, student id, name or order name', () => {
    for (const href of hrefs) {
      expect(href).not.toMatch(/@|odoo-partner|example\.com|S0\d{4}/);
    }
  });

  it('draws no Odoo link without ODOO_URL (a report rendered away from the service)', () => {
    const plain = renderHtml(data);
    expect(plain).not.toContain('model=sale.order');
    expect(plain).toContain(`/admin/events/${repaired.repairEventId}`);
  });

  it("links the rows of one cause's page the same way", () => {
    const page = renderFindingsPage(
      data.run,
      findingsPage(data.findings, withOrder.kind, withOrder.courseCode, 1),
      links,
    );
    expect(page).toContain(`web#id=${withOrder.orderId}&amp;model=sale.order`);
    expect(page).toContain('HT00077');
  });
});
