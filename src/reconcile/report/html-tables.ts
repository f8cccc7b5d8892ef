// The report page's tables: findings (with the kind filters and search the inline script wires up),
// healed findings, and the history as a table for readers who cannot use the chart. Rows are rendered
// here, not by the script, so the page prints and reads the same with scripts off.
import { escapeHtml as h } from '../../lib';
import type { FindingKind } from '../diff-types';
import { formatCount, formatTimestamp, humanDuration, KIND_META, KIND_ORDER, totalFindings } from './format';
import { eventStoryHref, orderHref, ticketFor, ticketHref, type ReportLinks } from './links';
import type { FindingAction, FindingRow, HealedRow, RunSummary } from './types';

const ACTION_LABELS: Record<FindingAction, string> = {
  repair_queued: 'repair queued',
  suspend_queued: 'suspend queued',
  reported: 'reported',
  held: 'held',
  dry_run: 'dry run',
};

export const kindTag = (kind: FindingKind): string =>
  `<span class="kind-tag k-${kind}">${h(KIND_META[kind]?.label ?? kind)}</span>`;

/** A sortable header: the script sorts by each cell's data-sort, else its text. */
const th = (label: string, type: 'text' | 'num' = 'text') =>
  `<th scope="col" data-type="${type}"><button type="button">${h(label)}</button></th>`;

/** Sorts by the timestamp itself; `dateOnly` keeps the wide findings table narrow (the time is in the title). */
function timeCell(iso: string, dateOnly = false): string {
  const full = formatTimestamp(iso, false);
  const shown = dateOnly ? full.slice(0, 10) : full;
  return `<td class="nowrap" data-sort="${h(iso)}"><time datetime="${h(iso)}" title="${h(full)}">${h(shown)}</time></td>`;
}

/** The whole id (tickets and logs quote it), linked to the event's story. */
function repairEventCell(id: string | null): string {
  if (id === null) return '<td class="muted">—</td>';
  return `<td class="id nowrap" data-sort="${h(id)}" data-full="${h(id)}"><a href="${h(eventStoryHref(id))}" title="the event's story"><code>${h(id)}</code></a></td>`;
}

const link = (href: string | null, text: string, title: string) =>
  href === null ? h(text) : `<a href="${h(href)}" title="${h(title)}">${h(text)}</a>`;

function ticketCell(f: FindingRow, links: ReportLinks | undefined): string {
  const t = ticketFor(links, f);
  if (t === null) return '<td class="muted">—</td>';
  const text = `${t.reference ?? `#${t.odooTicketId}`}${t.state === 'closed' ? ' (closed)' : ''}`;
  return `<td class="nowrap ticket">${link(ticketHref(links, t), text, 'the Helpdesk ticket in Odoo')}</td>`;
}

/** One finding; `group` names its cause in the causes table (the script filters on it). */
function findingRow(f: FindingRow, group: string | undefined, links: ReportLinks | undefined): string {
  const order = f.orderName ?? (f.orderId === null ? '' : String(f.orderId));
  const actionTitle = f.action === 'held' ? ' title="held by the safety brake: not sent"' : '';
  const groupAttr = group === undefined ? '' : ` data-group="${h(group)}"`;
  return [
    `<tr data-kind="${h(f.kind)}" data-fingerprint="${h(f.fingerprint)}"${groupAttr}>`,
    `<td data-sort="${h(f.kind)}">${kindTag(f.kind)}</td>`,
    `<td class="nowrap order">${link(orderHref(links, f.orderId), order, 'the order in Odoo')}</td>`,
    `<td class="nowrap">${h(f.courseCode)}</td>`,
    `<td class="id nowrap">${h(f.studentId)}</td>`,
    `<td class="nowrap">${h(f.email)}</td>`,
    `<td class="detail">${h(f.detail)}</td>`,
    `<td><span class="act act-${h(f.action)}"${actionTitle}>${h(ACTION_LABELS[f.action] ?? f.action)}</span></td>`,
    repairEventCell(f.repairEventId),
    ticketCell(f, links),
    timeCell(f.firstSeenAt, true),
    `<td class="num" data-sort="${f.seenRuns}">${h(f.seenRuns)}</td>`,
    '</tr>',
  ].join('');
}

function kindFilters(counts: Record<FindingKind, number>): string {
  const chips = KIND_ORDER.map(
    (k) =>
      `<label class="chip k-${k}"><input type="checkbox" name="kind" value="${k}" checked>` +
      `${h(KIND_META[k].label)} <span class="muted">(${formatCount(counts[k] ?? 0)})</span></label>`,
  ).join('');
  return `<fieldset id="kind-filters"><legend>Kinds</legend>${chips}
<button type="button" class="link" id="kinds-all">All kinds</button></fieldset>`;
}

/** The findings table: also the body of one cause's paged listing. */
export function findingsTable(
  rows: readonly FindingRow[],
  caption: string,
  links: ReportLinks | undefined,
  groupOf?: (f: FindingRow) => string,
): string {
  return `<div class="table-wrap"><table id="findings">
<caption>${h(caption)}</caption>
<thead><tr>${th('Kind')}${th('Order')}${th('Course')}${th('Student')}${th('Email')}${th('Detail')}${th('Action')}${th('Repair event')}${th('Ticket')}${th('First seen')}${th('Seen runs', 'num')}</tr></thead>
<tbody>${rows.map((f) => findingRow(f, groupOf?.(f), links)).join('\n')}</tbody></table></div>`;
}

export interface FindingsShown {
  /** every finding of the run */
  total: number;
  /** the ones this page lists */
  rows: readonly FindingRow[];
  groupOf: (f: FindingRow) => string;
  links?: ReportLinks;
}

export function findingsSection(shown: FindingsShown, counts: Record<FindingKind, number>): string {
  const { total, rows } = shown;
  const title = `<h2 id="findings-title">Findings <span class="muted">(${formatCount(total)})</span></h2>`;
  if (total === 0) {
    return `<section aria-labelledby="findings-title">${title}
<p class="empty" id="no-findings">No findings: every paid student is enrolled and every enrollment is paid for.</p></section>`;
  }
  const partial =
    rows.length < total
      ? `<p class="note" id="findings-partial">This page lists ${formatCount(rows.length)} of ${formatCount(total)} findings: the first of each cause. Each cause's <em>all rows</em> link pages through the rest; the CSV has every row.</p>`
      : '';
  return `<section aria-labelledby="findings-title">${title}${partial}
<div class="controls">${kindFilters(counts)}
<div class="search"><label for="finding-search">Search</label><input id="finding-search" type="search"
 placeholder="order, course, student, text…" autocomplete="off"></div>
<span class="shown" id="findings-shown" role="status" aria-live="polite">${formatCount(rows.length)} of ${formatCount(rows.length)} shown</span>
<button type="button" class="link" id="group-clear" hidden>Every cause</button></div>
${findingsTable(rows, 'Click a column header to sort. Emails are masked.', shown.links, shown.groupOf)}
<p id="no-match" class="muted" hidden>No finding matches these filters.</p></section>`;
}

function healedRow(r: HealedRow): string {
  return [
    `<tr data-kind="${h(r.kind)}">`,
    `<td data-sort="${h(r.kind)}">${kindTag(r.kind)}</td>`,
    `<td>${h(r.orderName ?? '')}</td>`,
    `<td>${h(r.courseCode)}</td>`,
    `<td class="id nowrap">${h(r.studentId)}</td>`,
    timeCell(r.firstSeenAt),
    timeCell(r.healedAt),
    `<td class="num" data-sort="${r.healedAfterMs}">${h(humanDuration(r.healedAfterMs))}</td>`,
    '</tr>',
  ].join('');
}

export function healedSection(healed: HealedRow[]): string {
  const title = `<h2 id="healed-title">Healed since the last run <span class="muted">(${formatCount(healed.length)})</span></h2>`;
  if (healed.length === 0) {
    return `<section aria-labelledby="healed-title">${title}<p class="muted">Nothing healed since the last run.</p></section>`;
  }
  return `<section aria-labelledby="healed-title">${title}
<div class="table-wrap"><table id="healed" class="sortable">
<caption>Findings of earlier runs that this run no longer found; their tickets are closed with a note.</caption>
<thead><tr>${th('Kind')}${th('Order')}${th('Course')}${th('Student')}${th('First seen')}${th('Healed at')}${th('Healed after', 'num')}</tr></thead>
<tbody>${healed.map(healedRow).join('\n')}</tbody></table></div></section>`;
}

function historyRow(run: RunSummary, current: string): string {
  const mark = run.id === current ? ' <span class="muted">(this run)</span>' : '';
  return [
    '<tr>',
    `<td>${h(formatTimestamp(run.startedAt, false))}${mark}</td>`,
    `<td><span class="badge st-${h(run.status)}">${h(run.status)}</span></td>`,
    `<td>${h(run.mode)}${run.dryRun ? ', dry run' : ''}</td>`,
    `<td class="num">${formatCount(totalFindings(run.findingsByKind))}</td>`,
    `<td class="num">${formatCount(run.repairsQueued)}</td>`,
    `<td class="num">${formatCount(run.healed)}</td>`,
    `<td class="num">${h(humanDuration(run.timeToHealP50Ms))}</td>`,
    `<td class="num">${h(humanDuration(run.timeToHealP95Ms))}</td>`,
    '</tr>',
  ].join('');
}

/** The chart's numbers as a table, folded away: for screen readers, print, and copying figures. */
export function historyTable(history: RunSummary[], currentId: string): string {
  const rows = [...history].reverse().map((run) => historyRow(run, currentId));
  const what = history.length === 1 ? 'This run' : `The last ${history.length} runs`;
  return `<details><summary>${what} as a table</summary>
<div class="table-wrap"><table id="history"><thead><tr><th scope="col">Started</th><th scope="col">Status</th>
<th scope="col">Mode</th><th scope="col">Findings</th><th scope="col">Repaired</th><th scope="col">Healed</th>
<th scope="col">Time to heal p50</th><th scope="col">p95</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div></details>`;
}
