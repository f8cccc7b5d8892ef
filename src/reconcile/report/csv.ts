// The CSV form of a run's findings (GET /admin/reconciliations/:id.csv), for engineers who sort and
// filter in a spreadsheet. RFC 4180: header row, CRLF line ends, fields quoted only when they must be.
import type { FindingRow } from './types';

export const CSV_COLUMNS = [
  'fingerprint',
  'kind',
  'order',
  'course',
  'student',
  'email',
  'action',
  'repair_event_id',
  'first_seen',
  'seen_runs',
  'detail',
] as const;

const CRLF = '\r\n';

/**
 * Spreadsheets evaluate a cell starting with = + - @ (and, per OWASP, tab or CR) as a formula; order
 * names and details come from Odoo and the LMS, so a leading apostrophe makes such a cell plain text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function guardFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Quotes a field containing a comma, a double quote, CR or LF, doubling the quotes inside. */
export function quoteField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const cell = (value: string | number | null): string =>
  quoteField(guardFormula(value === null ? '' : String(value)));

function findingCells(f: FindingRow): (string | number | null)[] {
  return [
    f.fingerprint,
    f.kind,
    f.orderName ?? (f.orderId === null ? null : String(f.orderId)),
    f.courseCode,
    f.studentId,
    f.email,
    f.action,
    f.repairEventId,
    f.firstSeenAt,
    f.seenRuns,
    f.detail,
  ];
}

/** Header plus one row per finding, every line (the last too) ended by CRLF. */
export function renderCsv(findings: FindingRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const f of findings) lines.push(findingCells(f).map(cell).join(','));
  return lines.join(CRLF) + CRLF;
}
