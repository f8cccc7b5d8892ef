// The causes table (findings grouped by kind and course, counts first) and the page that lists one
// cause's findings page by page, for runs too big to list on one page.
import { escapeHtml as h } from '../../lib';
import { formatCount } from './format';
import { groupQuery, PAGE_SIZE, type FindingGroup, type FindingsPage } from './groups';
import { reportStyle } from './html-style';
import { findingsTable, kindTag } from './html-tables';
import type { ReportLinks } from './links';
import { needsPerson, nextStep } from './next-steps';
import type { RunSummary } from './types';

/** Where one cause's rows are paged, relative to the site root (the report is served under /admin). */
export const groupPageHref = (runId: string, g: Pick<FindingGroup, 'kind' | 'courseCode'>, page?: number) =>
  `/admin/reconciliations/${encodeURIComponent(runId)}/findings.html?${groupQuery(g, page)}`;

const courseLabel = (course: string | null) =>
  course === null ? '<span class="muted">no course code</span>' : `<code>${h(course)}</code>`;

export const groupId = (i: number) => `g${i}`;

/** The group's next step: that of its first finding needing a person, else of a queued repair. */
export function groupStep(g: Pick<FindingGroup, 'kind' | 'courseCode' | 'rows'>): string {
  const action = g.rows.find((f) => needsPerson(f.action))?.action ?? g.rows[0]?.action ?? 'reported';
  return nextStep(g.kind, { courseCode: g.courseCode, action });
}

function causeRow(g: FindingGroup, i: number, runId: string, inline: number): string {
  const show =
    inline > 0
      ? `<button type="button" class="link" data-group="${groupId(i)}">show ${inline === g.count ? 'here' : `first ${formatCount(inline)} here`}</button> `
      : '';
  return [
    `<tr data-kind="${h(g.kind)}">`,
    `<td data-sort="${h(g.kind)}">${kindTag(g.kind)}</td>`,
    `<td class="nowrap">${courseLabel(g.courseCode)}</td>`,
    `<td class="num" data-sort="${g.count}">${formatCount(g.count)}</td>`,
    `<td class="step">${h(groupStep(g))}</td>`,
    `<td class="nowrap">${show}<a href="${h(groupPageHref(runId, g))}">all rows</a></td>`,
    '</tr>',
  ].join('');
}

/** `inline(i)`: how many of group i's rows this page lists. */
export function causesSection(groups: FindingGroup[], runId: string, inline: (i: number) => number): string {
  if (groups.length === 0) return '';
  const rows = groups.map((g, i) => causeRow(g, i, runId, inline(i))).join('\n');
  return `<section aria-labelledby="causes-title"><h2 id="causes-title">Causes <span class="muted">(${formatCount(groups.length)})</span></h2>
<p class="muted">Findings grouped by kind and course, the largest first: one fix usually clears a whole group.</p>
<div class="table-wrap"><table id="causes"><thead><tr><th scope="col">Kind</th><th scope="col">Course</th>
<th scope="col">Findings</th><th scope="col">What to do</th><th scope="col">Rows</th></tr></thead>
<tbody>${rows}</tbody></table></div></section>`;
}

const PAGE_CSP = `default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'`;

/** One cause's findings, one page at a time, with no script at all. */
export function renderFindingsPage(run: RunSummary, p: FindingsPage, links?: ReportLinks): string {
  const report = `/admin/reconciliations/${encodeURIComponent(run.id)}.html`;
  const link = (page: number, label: string) =>
    page >= 1 && page <= p.pages && page !== p.page
      ? `<a href="${h(groupPageHref(run.id, p, page))}" rel="${page < p.page ? 'prev' : 'next'}">${label}</a>`
      : `<span class="muted">${label}</span>`;
  const from = (p.page - 1) * PAGE_SIZE + 1;
  const nav = `<nav class="pager" aria-label="pages">${link(p.page - 1, '← previous')} page ${formatCount(p.page)} of ${formatCount(p.pages)} ${link(p.page + 1, 'next →')}</nav>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Run ${h(run.id)} · ${h(p.kind)} · ${h(p.courseCode ?? 'no course code')} · page ${p.page}</title>
<style>${reportStyle()}</style></head>
<body><div class="page">
<p><a href="${h(report)}">← the report of run <code>${h(run.id)}</code></a></p>
<h1>${kindTag(p.kind)} ${courseLabel(p.courseCode)} <span class="muted">(${formatCount(p.total)})</span></h1>
<p class="note" id="next-step"><strong>What to do:</strong> ${h(groupStep(p))}</p>
${nav}
${p.rows.length === 0 ? '<p class="muted" id="no-rows">No findings on this page.</p>' : findingsTable(p.rows, `Findings ${formatCount(from)} to ${formatCount(from + p.rows.length - 1)} of ${formatCount(p.total)}. Emails are masked.`, links)}
${nav}
</div></body></html>
`;
}
