#!/usr/bin/env node
// Fails when the top-level folders under src/ import each other in a cycle. Prints the folder graph
// with --graph (a mermaid flowchart with --mermaid). Part of `npm run lint`.
const fs = require('node:fs');
const path = require('node:path');

const SRC = path.join(__dirname, '..', 'src');
const SPEC = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)'(\.[^']*)'/g;

function tsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The top-level folder under src/ a path lies in ('(root)' for a file directly in src/). */
function folderOf(p) {
  const parts = path.relative(SRC, p).split(path.sep);
  if (parts[0] === '..') return null;
  if (parts.length > 1) return parts[0];
  const bare = parts[0].replace(/\.ts$/, '');
  return fs.existsSync(path.join(SRC, bare)) && fs.statSync(path.join(SRC, bare)).isDirectory()
    ? bare
    : '(root)';
}

function folderGraph() {
  const edges = new Map();
  for (const file of tsFiles(SRC)) {
    const from = folderOf(file);
    for (const m of fs.readFileSync(file, 'utf8').matchAll(SPEC)) {
      const to = folderOf(path.resolve(path.dirname(file), m[1]));
      if (to === null || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from).add(to);
    }
  }
  return edges;
}

/** Every cycle's folders, one strongly connected component (Tarjan) of two or more folders each. */
function cycles(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  function visit(v) {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  }
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

const edges = folderGraph();
const sorted = [...edges].sort(([a], [b]) => a.localeCompare(b));
if (process.argv.includes('--graph')) {
  for (const [from, tos] of sorted) console.log(`${from} -> ${[...tos].sort().join(', ')}`);
}
if (process.argv.includes('--mermaid')) {
  console.log('flowchart TD');
  for (const [from, tos] of sorted) for (const to of [...tos].sort()) console.log(`  ${from} --> ${to}`);
}
const loops = cycles(edges);
for (const c of loops) {
  const inside = c.flatMap((a) =>
    [...(edges.get(a) ?? [])].filter((b) => c.includes(b)).map((b) => `${a} -> ${b}`),
  );
  console.error(`import cycle between folders of src/: ${c.join(', ')} (${inside.join('; ')})`);
}
process.exitCode = loops.length > 0 ? 1 : 0;
