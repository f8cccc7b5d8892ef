import { hasUserinfo, odooRecordLink, odooWebBase } from '../../../src/odoo/links';

describe('links to Odoo records', () => {
  it.each<[string, string, string]>([
    ['a plain URL', 'https://erp.example.com', 'https://erp.example.com'],
    ['a trailing slash', 'https://erp.example.com/', 'https://erp.example.com'],
    ['user and password', 'https://lms:s3cr%40t@erp.example.com', 'https://erp.example.com'],
    ['a user only', 'http://svc@127.0.0.1:8069/', 'http://127.0.0.1:8069'],
    ['a path, a query and a fragment', 'https://u:p@example.com/odoo/?db=x#top', 'https://example.com/odoo'],
  ])('leave out userinfo, query and fragment: %s', (_, odooUrl, base) => {
    expect(odooWebBase(odooUrl)).toBe(base);
    const link = odooRecordLink(odooUrl, 'helpdesk.ticket', 42);
    expect(link).toBe(`${base}/web#id=42&model=helpdesk.ticket&view_type=form`);
    expect(link).not.toMatch(/s3cr|lms:|u:p@|svc@/);
  });

  it.each<[string, boolean]>([
    ['https://erp.example.com', false],
    ['https://lms:secret@erp.example.com', true],
    ['https://lms@erp.example.com', true],
  ])('tells whether %s carries userinfo', (odooUrl, expected) => {
    expect(hasUserinfo(odooUrl)).toBe(expected);
  });
});
