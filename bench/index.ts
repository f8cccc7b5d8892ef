// `npm run bench [-- --only <name>]`: runs the benchmarks in sequence, each in a process of its own (so
// one's heap does not weigh on the next one's RSS), prints a summary table and writes every figure to
// bench/results/latest.json (so a run can be compared with the last). It measures, it does not gate:
// exit 0 even when a target is missed, 1 only when a benchmark could not run or one of its correctness
// checks failed.
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { machineLine, ROOT, shownValue, type BenchResult } from './support';

export const RESULTS_FILE = path.join(ROOT, 'bench', 'results', 'latest.json');
/** Node flags a benchmark's process needs (the e2e one collects garbage before it reads RSS). */
const EXEC_ARGV: Record<string, string[]> = { e2e: ['--expose-gc'] };

const BENCHES = ['diff', 'reconcile', 'intake', 'e2e', 'odoo-load', 'lms-retry'] as const;

interface Outcome {
  name: string;
  result: BenchResult | null;
  code: number;
  seconds: number;
}

function runOne(name: string): Promise<Outcome> {
  const t0 = performance.now();
  // diff.bench.ts predates the shared result shape: its exit code is its correctness check.
  const child = fork(path.join(__dirname, `${name}.bench.js`), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [...process.execArgv, ...(EXEC_ARGV[name] ?? [])],
  });
  let result: BenchResult | null = null;
  child.on('message', (m: { result?: BenchResult }) => {
    if (m.result) result = m.result;
  });
  return new Promise((resolve) =>
    child.once('exit', (code, signal) =>
      resolve({ name, result, code: code ?? (signal ? 2 : 0), seconds: (performance.now() - t0) / 1000 }),
    ),
  );
}

async function run(): Promise<number> {
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  const names = values.only ? [values.only] : [...BENCHES];
  const unknown = names.filter((n) => !(BENCHES as readonly string[]).includes(n));
  if (unknown.length) {
    console.error(`unknown benchmark ${unknown.join(', ')}; one of ${BENCHES.join(', ')}`);
    return 1;
  }
  const outcomes: Outcome[] = [];
  const startedAt = new Date();
  const loadAtStart = loadavg();
  for (const name of names) {
    console.log(`\n=== ${name} ===`);
    const o = await runOne(name);
    console.log(`(${name}: ${o.seconds.toFixed(0)} s, exit ${o.code})`);
    outcomes.push(o);
  }
  printSummary(outcomes);
  writeResults(outcomes, startedAt, loadAtStart);
  const failed = outcomes.filter((o) => o.code !== 0);
  for (const o of failed)
    console.log(`FAILED ${o.name}: ${o.code === 1 ? 'a correctness check failed' : 'could not run'}`);
  return failed.length ? 1 : 0;
}

/** bench/results/latest.json: every figure of this run, with the machine's load while it ran. */
function writeResults(outcomes: Outcome[], startedAt: Date, loadAtStart: number[]): void {
  const round = (xs: number[]) => xs.map((x) => Math.round(x * 100) / 100);
  const doc = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    node: process.version,
    cpus: availableParallelism(),
    loadAverage: { atStart: round(loadAtStart), atEnd: round(loadavg()) },
    benchmarks: outcomes.map((o) => ({
      name: o.name,
      exitCode: o.code,
      seconds: Math.round(o.seconds),
      correct: o.result?.correct ?? false,
    })),
    figures: outcomes.flatMap((o) =>
      (o.result?.figures ?? []).map((f) => ({
        benchmark: o.name,
        name: f.name,
        value: Number.isFinite(f.value) ? f.value : null,
        unit: f.unit,
        target: f.target,
        pass: f.pass,
      })),
    ),
  };
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`figures written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

function rowsOf(o: Outcome): string[][] {
  if (!o.result) return [[o.name, 'did not run', '', 'FAIL']];
  return [
    ...o.result.figures.map((f) => [
      f.name,
      shownValue(f),
      f.target,
      f.pass === null ? '' : f.pass ? 'pass' : 'MISS',
    ]),
    ...(o.result.correct ? [] : [[`${o.name} correctness check`, 'MISMATCH', '', 'FAIL']]),
  ];
}

function printSummary(outcomes: Outcome[]): void {
  const rows = outcomes.flatMap(rowsOf);
  const head = ['figure', 'value', 'target', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n=== summary (${machineLine()}) ===`);
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

void run().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
