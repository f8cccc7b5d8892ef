// Findings grouped by cause: one course the LMS does not know gives one row per order, thousands of
// rows from one fix. The page lists the causes with their counts first and only a few rows of each;
// the rest are paged (GET /admin/reconciliations/:id/findings.html?kind=…&course=…&page=…).
import type { FindingKind } from '../diff-types';
import { KIND_ORDER } from './format';
import type { FindingRow } from './types';

export interface FindingGroup {
  kind: FindingKind;
  /** the course code the findings share; null when the product has no Internal Reference */
  courseCode: string | null;
  count: number;
  /** the group's findings, in stored order */
  rows: FindingRow[];
}

/** Up to this many findings the page lists every row, as it always did. */
export const INLINE_ALL_UP_TO = 1000;
/** Past that, the first rows of each group (fewer when there are many groups), INLINE_MAX in all. */
export const INLINE_PER_GROUP = 10;
export const INLINE_MAX = 600;
/** Rows per page of one group's paged listing. */
export const PAGE_SIZE = 200;

const groupKey = (kind: FindingKind, course: string | null) => `${kind}\u0000${course ?? ''}`;

/** Largest cause first: that is the fix worth most. Ties in kind order, then by course. */
export function groupFindings(findings: readonly FindingRow[]): FindingGroup[] {
  const byKey = new Map<string, FindingGroup>();
  for (const f of findings) {
    const key = groupKey(f.kind, f.courseCode);
    let g = byKey.get(key);
    if (!g) byKey.set(key, (g = { kind: f.kind, courseCode: f.courseCode, count: 0, rows: [] }));
    g.count += 1;
    g.rows.push(f);
  }
  return [...byKey.values()].sort(
    (a, b) =>
      b.count - a.count ||
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      (a.courseCode ?? '').localeCompare(b.courseCode ?? ''),
  );
}

/** The findings the page itself lists (stored order kept): all of a small run, a sample of a big one. */
export function inlineFindings(findings: readonly FindingRow[], groups: FindingGroup[]): FindingRow[] {
  if (findings.length <= INLINE_ALL_UP_TO) return [...findings];
  const keep = new Set<FindingRow>();
  const each = Math.max(1, Math.min(INLINE_PER_GROUP, Math.floor(INLINE_MAX / Math.max(1, groups.length))));
  for (const g of groups) {
    for (const f of g.rows.slice(0, Math.min(each, INLINE_MAX - keep.size))) keep.add(f);
    if (keep.size >= INLINE_MAX) break;
  }
  return findings.filter((f) => keep.has(f));
}

/** The query naming one group; `course=` empty means "no course code". No personal data. */
export function groupQuery(g: Pick<FindingGroup, 'kind' | 'courseCode'>, page?: number): string {
  const q = new URLSearchParams({ kind: g.kind, course: g.courseCode ?? '' });
  if (page !== undefined) q.set('page', String(page));
  return q.toString();
}

export interface FindingsPage {
  kind: FindingKind;
  courseCode: string | null;
  page: number;
  pages: number;
  total: number;
  rows: FindingRow[];
}

/** One page of one group's findings; `page` past the end gives no rows (and the real page count). */
export function findingsPage(
  findings: readonly FindingRow[],
  kind: FindingKind,
  courseCode: string | null,
  page: number,
): FindingsPage {
  const all = findings.filter((f) => f.kind === kind && f.courseCode === courseCode);
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const rows = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  return { kind, courseCode, page, pages, total: all.length, rows };
}
