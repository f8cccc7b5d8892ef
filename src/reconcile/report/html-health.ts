// The report's sync-health section: the figures of the README's metric dictionary, as cards and tables
// (readable with scripts off and printed). helpdesk/analytics.ts computes them.
import { escapeHtml as h } from '../../lib';
import { formatCount, humanDuration } from './format';
import type { DurationsByCloser, SyncHealth, TicketCount } from './types';

const pct = (share: number | null) => (share === null ? 'n/a' : `${Math.round(share * 1000) / 10}%`);
const table = (id: string, caption: string, head: string[], rows: string[]) =>
  `<table class="compact" id="${id}"><caption>${h(caption)}</caption><thead><tr>${head.map((c) => `<th scope="col">${h(c)}</th>`).join('')}</tr></thead><tbody>${rows.join('') || `<tr><td colspan="${head.length}" class="muted">none</td></tr>`}</tbody></table>`;
const num = (n: number) => `<td class="num">${formatCount(n)}</td>`;

function trendText(t: SyncHealth['urgentTrend']): string {
  if (t.direction === null) return 'not enough tickets in the last two weeks';
  const arrow = { falling: '↓ falling', rising: '↑ rising', flat: '→ flat' }[t.direction];
  return `${arrow}: ${pct(t.last7Days)} in the last 7 days, ${pct(t.previous7Days)} the 7 before`;
}

function durations(id: string, caption: string, d: DurationsByCloser): string {
  const row = (label: string, s: DurationsByCloser['all']) =>
    `<tr><th scope="row">${h(label)}</th>${num(s.n)}<td class="num">${h(humanDuration(s.p50Ms))}</td><td class="num">${h(humanDuration(s.p95Ms))}</td></tr>`;
  return table(
    id,
    caption,
    ['Tickets', 'n', 'p50', 'p95'],
    [
      row('all of ours', d.all),
      row('closed by a person', d.closedByPerson),
      row('auto-closed when healed', d.autoClosed),
    ],
  );
}

const countRows = (rows: TicketCount[]) =>
  rows.map(
    (r) =>
      `<tr><td><time datetime="${h(r.start)}">${h(r.start)}</time></td>${num(r.opened)}${num(r.urgent)}<td class="num">${pct(r.opened ? r.urgentShare : null)}</td></tr>`,
  );

export function healthSection(s: SyncHealth | undefined): string {
  if (!s) return '';
  const card = (label: string, value: string, id: string) =>
    `<div class="card" id="health-${id}"><div class="n">${value}</div><div class="l">${h(label)}</div></div>`;
  const t = s.urgentTrend;
  return `<section aria-labelledby="health-title" id="health"><h2 id="health-title">Sync health, ${h(s.since.slice(0, 10))} to ${h(s.until.slice(0, 10))}</h2>
<div class="cards">
${card('Share urgent, last 7 days', pct(t.last7Days), 'urgent-7d')}
${card('Share urgent, 7 days before', pct(t.previous7Days), 'urgent-prev-7d')}
${card('Backlog (open tickets)', formatCount(s.backlog.open), 'backlog-open')}
${card('Backlog age p95', h(humanDuration(s.backlog.ageP95Ms)), 'backlog-p95')}
${card('Tickets avoided (healed first)', formatCount(s.ticketsAvoided.total), 'avoided')}
</div>
<p id="health-urgent-trend">Urgent share: ${h(trendText(t))}.</p>
<div style="display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem;align-items:start">
${durations('health-first-response', 'Time to first response (ticket in Odoo)', s.timeToFirstResponse)}
${durations('health-close', 'Time to close', s.timeToClose)}
${table(
  'health-backlog',
  'Backlog by age',
  ['Age', 'Open tickets'],
  s.backlog.byAge.map((b) => `<tr><td>${h(b.bucket)}</td>${num(b.tickets)}</tr>`),
)}
${table('health-per-week', 'Tickets per week (from Monday)', ['Week', 'Opened', 'Urgent', 'Share urgent'], countRows(s.perWeek))}
${table(
  'health-recurring',
  'Recurring problems',
  ['Problem', 'Tickets', 'Occurrences'],
  s.recurringProblems.map(
    (r) => `<tr><td><code>${h(r.fingerprint)}</code></td>${num(r.tickets)}${num(r.occurrences)}</tr>`,
  ),
)}
${table(
  'health-avoided-kinds',
  'Tickets avoided, by kind',
  ['Kind', 'Healed without a ticket'],
  Object.entries(s.ticketsAvoided.byKind).map(([k, n]) => `<tr><td>${h(k)}</td>${num(n)}</tr>`),
)}
</div>
<details><summary>Tickets per day</summary>${table('health-per-day', 'Tickets per day (UTC)', ['Day', 'Opened', 'Urgent', 'Share urgent'], countRows(s.perDay))}</details>
</section>`;
}
