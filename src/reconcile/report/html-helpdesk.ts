// The report's helpdesk section: what the write-back did, and the share of urgent tickets (the number
// the support team wants to see fall).
import { escapeHtml as h } from '../../lib/html';
import type { HelpdeskSummary } from '../../helpdesk/summary';
import { formatCount, humanDuration } from './format';

const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;

function counts(record: Record<string, number>, caption: string): string {
  const rows = Object.entries(record)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `<tr><td>${h(k)}</td><td class="num">${formatCount(n)}</td></tr>`)
    .join('');
  return `<table class="compact"><thead><tr><th scope="col">${h(caption)}</th><th scope="col">Tickets</th></tr></thead><tbody>${rows || '<tr><td colspan="2" class="muted">none</td></tr>'}</tbody></table>`;
}

export function helpdeskSection(s: HelpdeskSummary | null | undefined): string {
  if (!s) return '';
  const card = (label: string, value: string, id: string) =>
    `<div class="card" id="helpdesk-${id}"><div class="n">${value}</div><div class="l">${h(label)}</div></div>`;
  const since = s.since ? ` since ${h(s.since.slice(0, 10))}` : '';
  const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, s.byPriority[p]]));
  return `<section aria-labelledby="helpdesk-title"><h2 id="helpdesk-title">Helpdesk tickets${since}</h2>
<div class="cards">
${card('Opened', formatCount(s.opened), 'opened')}
${card('Still open', formatCount(s.open), 'open')}
${card('Recurring (one ticket kept)', formatCount(s.recurring), 'recurring')}
${card('Escalated past SLA', formatCount(s.escalated), 'escalated')}
${card('Auto-closed when healed', formatCount(s.autoClosed), 'auto-closed')}
${card('Share urgent', `${Math.round(s.urgentShare * 1000) / 10}%`, 'urgent-share')}
${card('Median time to auto-close', h(humanDuration(s.medianTimeToAutoCloseMs)), 'ttc')}
${card('Odoo writes waiting', formatCount(s.pendingWrites), 'pending')}
</div>
<div style="display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem;align-items:start">${counts(byPriority, 'Priority')}${counts(s.byTag, 'Tag')}${counts(s.byKind, 'Kind')}</div>
</section>`;
}
