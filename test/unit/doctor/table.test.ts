// How the doctor's rows read: the table, its summary line, the verdict, and the pure outcome rules.
import type { CheckRow } from '../../../src/doctor/checks';
import { unknownCourses } from '../../../src/doctor/courses';
import { helpdeskOutcome } from '../../../src/doctor/helpdesk-flavor';
import { doctorPassed, formatDoctorJson, formatDoctorTable, summaryLine } from '../../../src/doctor/table';

const rows: CheckRow[] = [
  { check: 'PostgreSQL reachable', status: 'ok', detail: 'PostgreSQL 16.2 at db:5432' },
  {
    check: 'PostgreSQL migrations',
    status: 'warn',
    detail: '1 pending: 009_x.sql',
    fix: 'run lms-sync migrate',
  },
  { check: 'Odoo login', status: 'fail', detail: 'refused', fix: 'check ODOO_API_KEY' },
  { check: 'Odoo helpdesk', status: 'skipped', detail: 'needs "Odoo login"' },
];

describe('the doctor table', () => {
  it('aligns the columns, shows FAIL in capitals and a fix line under what needs one', () => {
    expect(formatDoctorTable(rows)).toBe(
      [
        'check                  status   detail',
        'PostgreSQL reachable   ok       PostgreSQL 16.2 at db:5432',
        'PostgreSQL migrations  warn     1 pending: 009_x.sql',
        '                                fix: run lms-sync migrate',
        'Odoo login             FAIL     refused',
        '                                fix: check ODOO_API_KEY',
        'Odoo helpdesk          skipped  needs "Odoo login"',
        '',
        '1 ok, 1 warning, 1 failed, 1 skipped: fix the failed checks, then run lms-sync doctor again',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['all ok', [rows[0]!], true, '1 ok: ready to start'],
    ['warnings allowed', [rows[0]!, rows[1]!], true, '1 ok, 1 warning: ready to start'],
    ['a failure', rows, false, expect.stringContaining('1 failed')],
  ])('passes or not: %s', (_, given, passed, summary) => {
    expect(doctorPassed(given)).toBe(passed);
    expect(summaryLine(given)).toEqual(summary);
  });

  it('prints the rows themselves as JSON', () => {
    expect(JSON.parse(formatDoctorJson(rows))).toEqual(rows);
  });
});

describe('courses Odoo sells that the LMS does not know', () => {
  const sold = (...codes: Array<string | null>) =>
    codes.map((code, i) => ({ name: `Product ${i + 1}`, code }));

  it.each([
    ['all known', sold('A', 'B'), ['A', 'B', 'C'], 'ok', 'the LMS knows all 2 courses Odoo sells'],
    ['nothing sold', [], ['A'], 'ok', 'the LMS knows all 0 courses Odoo sells'],
    [
      'one unknown',
      sold('A', 'Z'),
      ['A'],
      'fail',
      '1 of 2 course codes Odoo sells are unknown to the LMS: Z',
    ],
    [
      'one code sold twice',
      sold('Z', 'Z'),
      [],
      'fail',
      '1 of 1 course codes Odoo sells are unknown to the LMS: Z',
    ],
    [
      'a product without code',
      sold('A', null),
      ['A'],
      'fail',
      '1 course product has no Internal Reference: Product 2',
    ],
  ])('%s', (_, products, lms, status, detail) => {
    expect(unknownCourses(products, lms)).toMatchObject({ status, detail });
  });

  it('names at most the first N, sorted, and counts the rest', () => {
    const outcome = unknownCourses(sold('E', 'D', 'C', 'B', 'A'), [], 2);
    expect(outcome.detail).toBe('5 of 5 course codes Odoo sells are unknown to the LMS: A, B and 3 more');
    expect(outcome.fix).toContain('course_unmapped');
  });
});

describe('the helpdesk flavor', () => {
  it.each([
    [true, 'oca', 'oca', 'ok', undefined],
    [true, 'oca', 'enterprise', 'fail', 'set HELPDESK_FLAVOR=enterprise'],
    [true, 'enterprise', 'oca', 'fail', 'set HELPDESK_FLAVOR=oca'],
    [true, 'oca', 'none', 'fail', expect.stringContaining('HELPDESK_ENABLED=false')],
    [false, 'oca', 'none', 'ok', undefined],
  ] as const)('enabled %s, configured %s, installed %s: %s', (enabled, configured, found, status, fix) => {
    const outcome = helpdeskOutcome(enabled, configured, found);
    expect(outcome.status).toBe(status);
    expect(outcome.fix).toEqual(fix);
  });
});
