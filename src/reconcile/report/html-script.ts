// The report page's inline script, as a string: plain ES2017 with no framework so the page stays one
// offline file. It draws the two SVG charts from the #report-data block and wires the table filters,
// search and sorting; everything it shows is set with textContent, never innerHTML.
export const REPORT_SCRIPT = `
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var data = JSON.parse(document.getElementById('report-data').textContent);

  function el(parent, tag, attrs, text) {
    var node = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) node.textContent = text;
    parent.appendChild(node);
    return node;
  }

  function niceMax(v) {
    if (!(v > 0)) return 1;
    var p = Math.pow(10, Math.floor(Math.log(v) / Math.LN10));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= v) return steps[i] * p;
    return 10 * p;
  }

  // Axis tops for durations: round figures a person reads at a glance, not 5.8 d.
  var DURATION_STEPS = [1, 2, 6, 12, 24, 48, 72, 120, 168, 336, 720].map(function (h) { return h * 3600000; });
  function niceDuration(ms) {
    for (var i = 0; i < DURATION_STEPS.length; i++) if (DURATION_STEPS[i] >= ms) return DURATION_STEPS[i];
    return niceMax(ms);
  }

  function human(ms) {
    if (ms === null || ms === undefined) return 'n/a';
    if (ms < 60000) return Math.round(ms / 1000) + ' s';
    if (ms < 3600000) return Math.round(ms / 60000) + ' min';
    if (ms < 86400000) return +(ms / 3600000).toFixed(ms < 36000000 ? 1 : 0) + ' h';
    return +(ms / 86400000).toFixed(1) + ' d';
  }

  function drawKinds(svg, kinds) {
    var max = niceMax(Math.max.apply(null, kinds.map(function (k) { return k.count; })));
    var left = 150, width = 220, row = 34, top = 12;
    // as tall as its rows: one more finding kind must not fall off the bottom
    svg.setAttribute('viewBox', '0 0 420 ' + Math.max(190, top + row * kinds.length + 12));
    el(svg, 'line', { x1: left, x2: left, y1: top - 4, y2: top + row * kinds.length, 'class': 'axis' });
    kinds.forEach(function (k, i) {
      var y = top + i * row;
      el(svg, 'text', { x: left - 8, y: y + 17, 'text-anchor': 'end' }, k.label);
      var bar = el(svg, 'rect', { x: left, y: y + 5, height: 18, width: Math.max(0, (k.count / max) * width), 'class': 'k-' + k.kind });
      el(bar, 'title', {}, k.label + ': ' + k.count);
      el(svg, 'text', { x: left + (k.count / max) * width + 6, y: y + 18, 'font-weight': 700 }, String(k.count));
    });
    var total = kinds.reduce(function (s, k) { return s + k.count; }, 0);
    if (total === 0) el(svg, 'text', { x: left + 40, y: top + row * 2.6, 'font-size': 14, 'font-weight': 700 }, 'No findings in this run');
  }

  function yAxis(svg, box, max, label) {
    [0, 0.5, 1].forEach(function (f) {
      var y = box.bottom - f * (box.bottom - box.top);
      el(svg, 'line', { x1: box.left, x2: box.right, y1: y, y2: y, 'class': f === 0 ? 'axis' : 'grid' });
      el(svg, 'text', { x: box.left - 6, y: y + 4, 'text-anchor': 'end' }, label(max * f));
    });
  }

  function runTitle(r) {
    return r.startedAt.slice(0, 16).replace('T', ' ') + ' UTC, ' + r.status + (r.dryRun ? ' (dry run)' : '') + ': ' + r.findings + ' findings, ' +
      r.repaired + ' repaired, ' + r.healed + ' healed, time to heal p50 ' + human(r.p50) + ', p95 ' + human(r.p95);
  }

  // Linear while the runs are of a size; past a 20-fold spread of findings a log scale (log10(1 + v)), so a run of
  // 12 findings stays visible beside one of 15,000. The chart says which it is.
  function barScale(runs) {
    var values = [], found = [];
    runs.forEach(function (r) { values.push(r.findings, r.repaired, r.healed); if (r.findings > 0) found.push(r.findings); });
    var top = Math.max.apply(null, values);
    var small = Math.min.apply(null, found.concat([top]));
    if (!(top > 20 * small) || top <= 20) {
      // At least 0-2-4, so a quiet history does not get an axis of 0, 1, 1.
      var max = Math.max(4, niceMax(top));
      return { name: 'linear scale', at: function (v) { return v / max; }, ticks: [0, max / 2, max] };
    }
    var decades = Math.ceil(Math.log(top + 1) / Math.LN10);
    var ticks = [0];
    for (var d = 1; d <= decades; d++) ticks.push(Math.pow(10, d));
    return { name: 'log scale', at: function (v) { return Math.log(1 + v) / Math.log(1 + Math.pow(10, decades)); }, ticks: ticks };
  }

  function drawBars(svg, runs, box, gw) {
    var scale = barScale(runs), span = box.bottom - box.top;
    scale.ticks.forEach(function (v, i) {
      var y = box.bottom - scale.at(v) * span;
      el(svg, 'line', { x1: box.left, x2: box.right, y1: y, y2: y, 'class': i === 0 ? 'axis' : 'grid' });
      el(svg, 'text', { x: box.left - 6, y: y + 4, 'text-anchor': 'end' }, v >= 10000 ? v / 1000 + 'k' : String(Math.round(v)));
    });
    el(svg, 'text', { x: box.right, y: box.top - 4, 'text-anchor': 'end', 'class': 'scale', id: 'bars-scale' }, scale.name);
    var bw = Math.max(1.5, Math.min(12, (gw * 0.8) / 3));
    runs.forEach(function (r, i) {
      var x0 = box.left + i * gw + (gw - 3 * bw) / 2;
      ['findings', 'repaired', 'healed'].forEach(function (s, j) {
        var hgt = scale.at(r[s]) * span;
        el(svg, 'rect', { x: x0 + j * bw, y: box.bottom - hgt, width: bw, height: hgt, 'class': 's-' + s + (r.dryRun ? ' dry' : '') });
      });
    });
  }

  function linePath(runs, key, x, y) {
    var d = '', pen = false;
    runs.forEach(function (r, i) {
      if (r[key] === null || r[key] === undefined) { pen = false; return; }
      d += (pen ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(r[key]).toFixed(1) + ' ';
      pen = true;
    });
    return d.trim();
  }

  function drawHeal(svg, runs, box, gw) {
    var top = Math.max.apply(null, runs.map(function (r) { return Math.max(r.p50 || 0, r.p95 || 0); }));
    el(svg, 'text', { x: box.left + 4, y: box.top - 4, 'font-weight': 700 }, 'Time to heal');
    if (!(top > 0)) {
      el(svg, 'line', { x1: box.left, x2: box.right, y1: box.bottom, y2: box.bottom, 'class': 'axis' });
      el(svg, 'text', { x: box.left + 4, y: box.bottom - 8 }, 'Nothing has healed yet in these runs');
      return;
    }
    var max = niceDuration(top);
    yAxis(svg, box, max, human);
    var x = function (i) { return box.left + (i + 0.5) * gw; };
    var y = function (v) { return box.bottom - (v / max) * (box.bottom - box.top); };
    ['p95', 'p50'].forEach(function (key) {
      var d = linePath(runs, key, x, y);
      if (d) el(svg, 'path', { d: d, 'class': key });
      runs.forEach(function (r, i) {
        if (r[key] !== null && r[key] !== undefined) el(svg, 'circle', { cx: x(i), cy: y(r[key]), r: 2.5, 'class': key });
      });
    });
  }

  // Two runs on one day need the time to tell them apart: then each label is the date over the time.
  function sharesADay(runs) {
    var days = {};
    return runs.some(function (r) {
      var day = r.startedAt.slice(0, 10);
      if (days[day]) return true;
      days[day] = true;
      return false;
    });
  }

  function runLabel(svg, r, cx, y, withTime) {
    var t = el(svg, 'text', { x: cx, y: y + 14, 'text-anchor': 'middle', 'class': 'run-label' });
    el(t, 'tspan', { x: cx }, r.startedAt.slice(5, 10));
    if (withTime) el(t, 'tspan', { x: cx, dy: 12 }, r.startedAt.slice(11, 16));
  }

  function drawRunMarks(svg, runs, box, gw, y) {
    var every = Math.max(1, Math.ceil(runs.length / 8));
    var withTime = sharesADay(runs);
    runs.forEach(function (r, i) {
      var cx = box.left + (i + 0.5) * gw;
      if (r.id === data.runId) el(svg, 'rect', { x: cx - gw / 2, y: box.top - 6, width: gw, height: y + (withTime ? 32 : 20) - box.top, 'class': 'current' }, undefined);
      var mark = r.status === 'held' ? 'H' : r.status === 'failed' ? 'F' : r.dryRun ? 'D' : '';
      if (mark) {
        el(svg, 'text', { x: cx, y: y, 'text-anchor': 'middle', 'font-weight': 700, 'class': 'mark-' + (r.dryRun && mark === 'D' ? 'dry' : r.status) }, mark);
      }
      var last = i === runs.length - 1;
      // The last run always gets its label; a regular label too close to it would overlap.
      if ((i % every === 0 && runs.length - 1 - i >= every / 2) || last) runLabel(svg, r, cx, y, withTime);
    });
  }

  function drawHistory(svg, runs) {
    var bars = { left: 44, right: 630, top: 22, bottom: 160 };
    var heal = { left: 44, right: 630, top: 222, bottom: 290 };
    // Capped so a short history reads as a few runs, not as one wall-to-wall bar.
    var gw = Math.min(48, (bars.right - bars.left) / Math.max(1, runs.length));
    var layer = el(svg, 'g', {});
    drawRunMarks(layer, runs, bars, gw, 174);
    drawBars(svg, runs, bars, gw);
    drawHeal(svg, runs, heal, gw);
    runs.forEach(function (r, i) {
      var hit = el(svg, 'rect', { x: bars.left + i * gw, y: bars.top, width: gw, height: heal.bottom - bars.top, fill: 'transparent' });
      el(hit, 'title', {}, runTitle(r));
    });
  }

  // The fingerprint and full repair event id are not shown in full, yet tickets and logs quote them.
  function rowText(row) {
    var full = row.querySelector('[data-full]');
    return [row.textContent, row.getAttribute('data-fingerprint'), full && full.getAttribute('data-full')].join(' ').toLowerCase();
  }

  function setupFilters() {
    var table = document.getElementById('findings');
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(rowText);
    var boxes = Array.prototype.slice.call(document.querySelectorAll('#kind-filters input[name="kind"]'));
    var search = document.getElementById('finding-search');
    var shown = document.getElementById('findings-shown');
    var noMatch = document.getElementById('no-match');
    var clear = document.getElementById('group-clear');
    var group = null; // one cause picked in the causes table, else every cause
    function apply() {
      var on = {};
      boxes.forEach(function (b) { if (b.checked) on[b.value] = true; });
      var q = search.value.trim().toLowerCase(), n = 0;
      rows.forEach(function (row, i) {
        var visible = !!on[row.getAttribute('data-kind')] && (q === '' || texts[i].indexOf(q) !== -1) &&
          (group === null || row.getAttribute('data-group') === group);
        row.hidden = !visible;
        if (visible) n++;
      });
      shown.textContent = n + ' of ' + rows.length + ' shown';
      noMatch.hidden = n !== 0;
      clear.hidden = group === null;
    }
    boxes.forEach(function (b) { b.addEventListener('change', apply); });
    search.addEventListener('input', apply);
    document.getElementById('kinds-all').addEventListener('click', function () {
      boxes.forEach(function (b) { b.checked = true; });
      group = null;
      apply();
    });
    clear.addEventListener('click', function () { group = null; apply(); });
    Array.prototype.forEach.call(document.querySelectorAll('#causes button[data-group]'), function (b) {
      b.addEventListener('click', function () {
        group = b.getAttribute('data-group');
        boxes.forEach(function (box) { box.checked = true; });
        search.value = '';
        apply();
        table.scrollIntoView();
      });
    });
  }

  function sortKey(row, col) {
    var cell = row.cells[col];
    return cell ? (cell.getAttribute('data-sort') || cell.textContent) : '';
  }

  function sortBy(table, th) {
    var col = th.cellIndex, numeric = th.getAttribute('data-type') === 'num';
    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    var body = table.tBodies[0];
    Array.prototype.slice.call(body.rows).sort(function (a, b) {
      var x = sortKey(a, col), y = sortKey(b, col);
      var c = numeric ? Number(x) - Number(y) : x.localeCompare(y, undefined, { numeric: true });
      return c * dir;
    }).forEach(function (row) { body.appendChild(row); });
  }

  function setupSorting() {
    Array.prototype.forEach.call(document.querySelectorAll('table thead th button'), function (button) {
      var th = button.parentNode;
      var table = th.closest('table');
      button.addEventListener('click', function () { sortBy(table, th); });
    });
  }

  var drawn = 0;
  drawKinds(document.getElementById('chart-kinds'), data.kinds); drawn++;
  drawHistory(document.getElementById('chart-history'), data.history); drawn++;
  document.body.dataset.chartsDrawn = String(drawn);
  setupFilters();
  setupSorting();
})();
`;
