// The HTML form of a reconciliation report (GET /admin/reconciliations/:id.html): one self-contained page,
// inline CSS and JS only, readable offline, printed, and with scripts off (the charts then stay empty but
// every number is in the text and tables). Every outside value passes through escapeHtml.
import { escapeHtml as h } from '../../lib';
import { createHash } from 'node:crypto';
import type { FindingKind } from '../diff-types';
import {
  elapsedMs,
  formatCount,
  formatTimestamp,
  humanDuration,
  jsonForScript,
  KIND_META,
  KIND_ORDER,
  totalFindings,
} from './format';
import { REPORT_SCRIPT } from './html-script';
import { PHASE_COLORS, reportStyle } from './html-style';
import { findingsSection, healedSection, historyTable } from './html-tables';
import type { FindingRow, ReportData, RunSummary } from './types';
import { groupFindings, inlineFindings } from './groups';
import { causesSection, groupId } from './html-groups';
import type { ReportLinks } from './links';
import { needsPerson } from './next-steps';
import { helpdeskSection } from './html-helpdesk';
import { dataQualitySection } from './html-data-quality';
import { healthSection } from './html-health';

// The script never changes at run time, so its hash is computed once; the CSP then refuses any other
// inline script, a second line of defence should an unescaped value ever slip into the page.
const SCRIPT_HASH = createHash('sha256').update(REPORT_SCRIPT).digest('base64');
const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; base-uri 'none'; form-action 'none'`;

/** `links`: ODOO_URL and the findings' tickets, when the service renders the page (a file has none). */
export function renderHtml(data: ReportData, links?: ReportLinks): string {
  const { run } = data;
  const counts = kindCounts(run);
  const groups = groupFindings(data.findings);
  const rows = inlineFindings(data.findings, groups);
  const groupOf = new Map<FindingRow, string>();
  groups.forEach((g, i) => g.rows.forEach((f) => groupOf.set(f, groupId(i))));
  const inlinePerGroup = new Map<string, number>();
  for (const f of rows) inlinePerGroup.set(groupOf.get(f)!, (inlinePerGroup.get(groupOf.get(f)!) ?? 0) + 1);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reconciliation ${h(run.status)} · run ${h(run.id)}</title>
<style>${reportStyle()}</style></head>
<body><div class="page">
${headerSection(run, data)}
<main>
${summarySection(run, counts)}
${chartsSection(data)}
${causesSection(groups, run.id, (i) => inlinePerGroup.get(groupId(i)) ?? 0)}
${findingsSection({ total: data.findings.length, rows, groupOf: (f) => groupOf.get(f)!, links }, counts)}
${healedSection(data.healed)}
${dataQualitySection(data.dataQuality, links)}
${helpdeskSection(data.helpdesk)}
${healthSection(data.helpdesk?.health)}
</main>
<footer>Generated from the stored run ${h(run.id)}. The same data: append <code>.json</code> or <code>.csv</code> to this page's address.</footer>
</div>
<script type="application/json" id="report-data">${jsonForScript(chartData(data))}</script>
<script>${REPORT_SCRIPT}</script>
</body></html>
`;
}

/** The run's own counts; a stored row missing a kind reads as 0 rather than breaking the page. */
function kindCounts(run: RunSummary): Record<FindingKind, number> {
  const out = {} as Record<FindingKind, number>;
  for (const k of KIND_ORDER) out[k] = run.findingsByKind[k] ?? 0;
  return out;
}

function banner(run: RunSummary, data: ReportData): string {
  if (run.status === 'held') {
    const held = data.findings.filter((f) => f.action === 'held').length;
    return `<div class="banner banner-held" role="alert" id="held-banner"><strong>HELD: no repairs were sent</strong>
The safety brake stopped this run: ${h(run.heldReason ?? 'no reason recorded')}.
${formatCount(held)} repair${held === 1 ? ' was' : 's were'} held and nothing was enrolled or suspended; an urgent ticket was opened.
Check the LMS and Odoo listings before rerunning; if this is the first run against an LMS that has none of these enrollments yet, run <code>lms-sync reconcile --backfill</code> once.</div>`;
  }
  if (run.status === 'failed') {
    return `<div class="banner banner-failed" role="alert"><strong>This run failed</strong>${h(run.error ?? 'no error recorded')}</div>`;
  }
  if (run.status === 'running') {
    return `<div class="banner banner-running" role="status"><strong>Still running</strong>Counts below are partial; reload when it has finished.</div>`;
  }
  if (run.dryRun) {
    return `<div class="banner banner-dry" role="status"><strong>Dry run</strong>Findings were computed; no repair was queued and no ticket was written.</div>`;
  }
  if (run.brakeLifted) {
    return `<div class="banner banner-backfill" role="status" id="backfill-banner"><strong>Backfill: safety brake lifted</strong>This run was started with <code>lms-sync reconcile --backfill</code>: the brake was ${h(run.brakeLifted)}.</div>`;
  }
  return '';
}

const metaItem = (label: string, value: string) => `<div><dt>${h(label)}</dt><dd>${value}</dd></div>`;

/** A run that succeeded yet left findings for a person is not a green SUCCEEDED. */
function statusBadge(run: RunSummary, forPerson: number): string {
  if (run.status !== 'succeeded' || forPerson === 0)
    return `<span class="badge st-${h(run.status)}" id="run-status">${h(run.status)}</span>`;
  return `<span class="badge st-attention" id="run-status" title="the run succeeded; ${formatCount(forPerson)} findings need a person">needs attention</span>`;
}

function headerSection(run: RunSummary, data: ReportData): string {
  const duration = elapsedMs(run.startedAt, run.finishedAt);
  const forPerson = data.findings.filter((f) => needsPerson(f.action)).length;
  const attention =
    run.status === 'succeeded' && forPerson > 0
      ? `<p class="note" id="attention">The run succeeded, but ${formatCount(forPerson)} finding${forPerson === 1 ? ' needs' : 's need'} a person: see <a href="#causes-title">Causes</a> for what to do.</p>`
      : '';
  return `<header>
<h1>Reconciliation run <code>${h(run.id)}</code> ${statusBadge(run, forPerson)}</h1>
${banner(run, data)}${attention}
<dl class="meta">
${metaItem('Mode', h(run.mode))}
${metaItem('Dry run', run.dryRun ? 'yes' : 'no')}
${metaItem('Trigger', h(run.trigger))}
${metaItem('Started', `<time datetime="${h(run.startedAt)}">${h(formatTimestamp(run.startedAt))}</time>`)}
${metaItem('Finished', run.finishedAt === null ? 'not yet' : `<time datetime="${h(run.finishedAt)}">${h(formatTimestamp(run.finishedAt))}</time>`)}
${metaItem('Duration', duration === null ? 'running' : h(humanDuration(duration)))}
</dl>
${timingBar(run.timingsMs)}
</header>`;
}

/** Where the run's time went, as one stacked bar: the slow source is what to look at first. */
function timingBar(timings: Record<string, number>): string {
  const phases = Object.entries(timings).filter(([, ms]) => Number.isFinite(ms) && ms > 0);
  const total = phases.reduce((sum, [, ms]) => sum + ms, 0);
  if (total === 0) return '<p class="timing muted">No phase timings recorded.</p>';
  const color = (i: number) => PHASE_COLORS[i % PHASE_COLORS.length]!;
  const pct = (ms: number) => ((ms / total) * 100).toFixed(2);
  const label = (name: string, ms: number) =>
    `${name} ${humanDuration(ms)} (${Math.round((ms / total) * 100)}%)`;
  const segments = phases
    .map(
      ([name, ms], i) =>
        `<span style="width:${pct(ms)}%;background:${color(i)}" title="${h(label(name, ms))}"></span>`,
    )
    .join('');
  const legend = phases
    .map(
      ([name, ms], i) =>
        `<li><span class="swatch" style="background:${color(i)}"></span>${h(label(name, ms))}</li>`,
    )
    .join('');
  return `<div class="timing"><h3 id="timing-title">Where the time went <span class="muted">(${h(humanDuration(total))})</span></h3>
<div class="timing-bar" role="img" aria-labelledby="timing-title" aria-describedby="timing-legend">${segments}</div>
<ul class="legend" id="timing-legend">${legend}</ul></div>`;
}

const card = (label: string, value: string, id: string, extra = '') =>
  `<div class="card${extra}" id="count-${id}"><div class="n">${value}</div><div class="l">${h(label)}</div></div>`;

function summarySection(run: RunSummary, counts: Record<FindingKind, number>): string {
  const total = totalFindings(counts);
  const repairsLabel = run.status === 'held' ? 'Repairs queued (held)' : 'Repairs queued';
  return `<section aria-labelledby="summary-title"><h2 id="summary-title">Summary</h2>
<div class="cards">
${card('Order lines read', formatCount(run.orderLines), 'order-lines')}
${card('Paid lines', formatCount(run.paidLines), 'paid-lines')}
${card('Enrollments', formatCount(run.enrollments), 'enrollments')}
${card('Findings', formatCount(total), 'findings')}
${card(repairsLabel, formatCount(run.repairsQueued), 'repairs')}
${card('Healed', formatCount(run.healed), 'healed')}
${card('Time to heal p50', h(humanDuration(run.timeToHealP50Ms)), 'tth-p50')}
${card('Time to heal p95', h(humanDuration(run.timeToHealP95Ms)), 'tth-p95')}
</div>
<div class="cards kinds">
${KIND_ORDER.map((k) => card(KIND_META[k].label, formatCount(counts[k]), `kind-${k}`, ` kind k-${k}`)).join('\n')}
</div></section>`;
}

function seriesLegend(): string {
  const item = (cls: string, label: string, swatch = '') =>
    `<li><span class="swatch${swatch} s-${cls}"></span>${h(label)}</li>`;
  return `<ul class="legend">${item('findings', 'Mismatches (findings)')}${item('repaired', 'Repaired (queued)')}${item('healed', 'Healed')}
${item('p50', 'Time to heal p50', ' line')}${item('p95', 'Time to heal p95', ' dashed')}
<li><span class="mark">H</span>&nbsp;held run, <span class="mark">F</span>&nbsp;failed run, <span class="mark mark-dry">D</span>&nbsp;dry run (paler bars)</li>
<li>bars on a log scale when the runs' findings differ more than 20-fold (the chart says which)</li></ul>`;
}

const historyTitle = (runs: number) =>
  `${runs === 1 ? 'This run (no earlier runs yet)' : `The last ${runs} runs`}: mismatches, repaired, healed, time to heal`;

function chartsSection(data: ReportData): string {
  return `<section aria-labelledby="charts-title"><h2 id="charts-title">Charts</h2>
<div class="charts">
<figure><figcaption id="chart-kinds-title">Findings by kind, this run</figcaption>
<svg id="chart-kinds" class="chart" role="img" aria-labelledby="chart-kinds-title" viewBox="0 0 420 190"></svg></figure>
<figure><figcaption id="chart-history-title">${historyTitle(data.history.length)}</figcaption>
<svg id="chart-history" class="chart" role="img" aria-labelledby="chart-history-title" viewBox="0 0 640 300"></svg>
${seriesLegend()}
${historyTable(data.history, data.run.id)}</figure>
</div></section>`;
}

/** Only what the charts draw: the tables carry the rest, so the page does not hold every value twice. */
function chartData(data: ReportData) {
  return {
    runId: data.run.id,
    kinds: KIND_ORDER.map((k) => ({
      kind: k,
      label: KIND_META[k].label,
      count: data.run.findingsByKind[k] ?? 0,
    })),
    history: data.history.map((r) => ({
      id: r.id,
      startedAt: r.startedAt,
      status: r.status,
      dryRun: r.dryRun,
      findings: totalFindings(r.findingsByKind),
      repaired: r.repairsQueued,
      healed: r.healed,
      p50: r.timeToHealP50Ms,
      p95: r.timeToHealP95Ms,
    })),
  };
}
