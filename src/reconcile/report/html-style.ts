// The report page's CSS, inlined so the page works offline and when saved. Colours meet WCAG AA against
// their backgrounds; the print rules drop the controls and keep the colours that carry meaning.
import { KIND_META, KIND_ORDER } from './format';

/** Series colours of the history chart, shared by the chart script (via classes) and the legends. */
export const SERIES_COLORS = {
  findings: '#d97706',
  repaired: '#1d4ed8',
  healed: '#15803d',
  p50: '#7e22ce',
  p95: '#db2777',
} as const;

export const PHASE_COLORS = ['#1d4ed8', '#0f766e', '#7e22ce', '#c2410c', '#a16207', '#be185d', '#475569'];

function colorRules(): string {
  const kinds = KIND_ORDER.map(
    (k) => `.k-${k}{--kind:${KIND_META[k].color}}svg .k-${k}{fill:${KIND_META[k].color}}`,
  );
  const series = Object.entries(SERIES_COLORS).map(
    ([name, color]) => `.s-${name}{--series:${color}}svg rect.s-${name}{fill:${color}}`,
  );
  return [...kinds, ...series].join('\n');
}

const BASE = `
:root{--fg:#1f2937;--muted:#4b5563;--line:#d1d5db;--soft:#f3f4f6;--bg:#fff;--red:#b91c1c;--green:#15803d;--blue:#1d4ed8}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
.page{max-width:1440px;margin:0 auto;padding:20px 24px 40px}
h1{font-size:22px;margin:0 0 6px;display:flex;flex-wrap:wrap;align-items:center;gap:10px}
h2{font-size:18px;margin:30px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:0 0 8px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
.muted{color:var(--muted)}
.badge{display:inline-block;padding:2px 10px;border-radius:999px;font-size:13px;font-weight:700;letter-spacing:.04em;text-transform:uppercase;color:#fff}
.st-succeeded{background:var(--green)}.st-attention{background:#a16207}.st-held{background:var(--red)}.st-failed{background:#7f1d1d}.st-running{background:var(--blue)}
.banner{margin:14px 0;padding:14px 18px;border-radius:6px;border:2px solid;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.banner strong{display:block;font-size:17px;margin-bottom:4px}
.banner-held{background:#fef2f2;border-color:var(--red);color:#7f1d1d}
.banner-held strong{font-size:20px;color:var(--red)}
.banner-failed{background:#fef2f2;border-color:#7f1d1d;color:#7f1d1d}
.banner-running,.banner-dry,.banner-backfill{background:#eff6ff;border-color:#93c5fd;color:#1e3a8a}
.meta{display:flex;flex-wrap:wrap;gap:6px 36px;margin:10px 0 0}
.meta div{min-width:0}.meta dt{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.meta dd{margin:0;font-weight:600;overflow-wrap:anywhere}
.timing{margin-top:14px}
.timing-bar{display:flex;height:14px;border-radius:4px;overflow:hidden;background:var(--soft);max-width:640px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.timing-bar span{display:block;height:100%}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;margin:6px 0 0;padding:0;list-style:none;font-size:13px;color:var(--muted)}
.legend li{display:flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;background:var(--kind,var(--series,#999));-webkit-print-color-adjust:exact;print-color-adjust:exact}
.swatch.line{width:18px;height:3px;border-radius:0}.swatch.dashed{width:18px;height:0;background:none;border-top:3px dashed var(--series)}
.mark{color:var(--red);font-weight:700}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(135px,1fr));gap:10px}
.card{border:1px solid var(--line);border-radius:6px;padding:10px 12px;background:#fff}
.card .n{font-size:24px;font-weight:700;line-height:1.2}.card .l{font-size:13px;color:var(--muted)}
.card.kind{border-left:5px solid var(--kind)}
.cards.kinds{margin-top:10px}
.charts{display:grid;grid-template-columns:minmax(280px,2fr) minmax(380px,3fr);gap:18px;align-items:start}
figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:12px 14px;min-width:0}
figcaption{font-weight:600;margin-bottom:6px}
svg.chart{display:block;width:100%;height:auto}svg#chart-kinds{max-width:560px}
svg text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:#374151}
svg .axis{stroke:#9ca3af;stroke-width:1}svg .grid{stroke:#e5e7eb;stroke-width:1}
svg .current{fill:#fef3c7}svg .mark-held{fill:var(--red)}svg .mark-failed{fill:#7f1d1d}svg .mark-dry{fill:#1e3a8a}.mark.mark-dry{color:#1e3a8a}
svg rect.dry{fill-opacity:.45}svg text.scale{font-style:italic;fill:#4b5563}
svg .p50{stroke:${SERIES_COLORS.p50};fill:none;stroke-width:2}svg .p95{stroke:${SERIES_COLORS.p95};fill:none;stroke-width:2;stroke-dasharray:5 3}
svg circle.p50{fill:${SERIES_COLORS.p50}}svg circle.p95{fill:${SERIES_COLORS.p95}}
details{margin-top:8px}summary{cursor:pointer;color:var(--blue)}
ul.examples{margin:0;padding-left:1.1em}caption{text-align:left;font-weight:600;padding:4px 0}
.controls{display:flex;flex-wrap:wrap;align-items:center;gap:10px 18px;margin:0 0 10px}
.controls fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:6px}
.controls legend{font-size:13px;color:var(--muted);margin-right:6px;float:left;padding-top:5px}
.chip{display:inline-flex;align-items:center;gap:6px;padding:4px 10px;border:1px solid var(--line);border-radius:999px;font-size:13px;cursor:pointer;background:#fff}
.chip input{margin:0;accent-color:var(--kind)}
.chip:has(input:not(:checked)){opacity:.55;text-decoration:line-through}
.chip:focus-within{outline:2px solid var(--blue);outline-offset:1px}
button.link{border:1px solid var(--line);background:#fff;border-radius:4px;padding:4px 10px;font:inherit;font-size:13px;cursor:pointer}
.search label{font-size:13px;color:var(--muted);margin-right:6px}
.search input{font:inherit;font-size:14px;padding:5px 8px;border:1px solid #6b7280;border-radius:4px;width:300px;max-width:100%}
.shown{font-size:13px;color:var(--muted)}
.table-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:13.5px}
caption{text-align:left;padding:8px 10px;color:var(--muted);font-size:13px;caption-side:bottom}
th,td{text-align:left;vertical-align:baseline;padding:6px 8px;border-bottom:1px solid #e5e7eb}
thead th{background:var(--soft);position:sticky;top:0;font-size:12.5px;white-space:nowrap;z-index:1}
th button{all:unset;cursor:pointer;font-weight:700}th button:focus-visible{outline:2px solid var(--blue)}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
tbody tr:nth-child(even){background:#fafafa}tbody tr:hover{background:#fffbeb}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.detail{min-width:240px}td.step{min-width:280px;font-size:13px}
td.id{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
td.nowrap{white-space:nowrap}
.kind-tag{display:inline-flex;align-items:center;gap:6px;white-space:nowrap;font-weight:600}
.kind-tag::before{content:"";width:9px;height:9px;border-radius:50%;background:var(--kind);-webkit-print-color-adjust:exact;print-color-adjust:exact}
.act{white-space:nowrap;font-size:12px;padding:1px 7px;border-radius:4px;background:var(--soft);border:1px solid var(--line)}
.act-held{background:#fee2e2;border-color:#fca5a5;color:#7f1d1d;font-weight:700}
.act-repair_queued,.act-suspend_queued{background:#dbeafe;border-color:#93c5fd;color:#1e3a8a}
.note{margin:0 0 10px;padding:8px 12px;border-left:4px solid var(--blue);background:#eff6ff}
.pager{display:flex;gap:14px;align-items:center;margin:10px 0}
.empty{padding:18px;border:1px dashed var(--line);border-radius:6px;color:var(--green);font-weight:600;background:#f0fdf4}
footer{margin-top:30px;font-size:12px;color:var(--muted)}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:900px){.charts{grid-template-columns:1fr}.page{padding:14px}}
@media print{
  body{font-size:11pt}.page{max-width:none;padding:0}
  .controls,th button::after{display:none}
  thead th{position:static}.table-wrap{overflow:visible;border:0}
  tr,figure,.card,.banner{break-inside:avoid}h2{break-after:avoid}
  .charts{grid-template-columns:1fr 1fr}
  tbody tr:hover{background:none}
}
`;

export function reportStyle(): string {
  return `${BASE}\n${colorRules()}\n`;
}
