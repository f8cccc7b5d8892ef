// `npm run bench [-- --only <name>]`: runs the benchmarks in sequence, each in a process of its own (so
// one's heap does not weigh on the next one's RSS), and prints a summary table. It measures, it does not
// gate: exit 0 even when a target is missed, 1 only when a benchmark could not run or one of its
// correctness checks failed.
import { fork } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { machineLine, type BenchResult } from './support';

const BENCHES = ['diff', 'reconcile', 'intake', 'e2e', 'odoo-load'] as const;

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
  for (const name of names) {
    console.log(`\n=== ${name} ===`);
    const o = await runOne(name);
    console.log(`(${name}: ${o.seconds.toFixed(0)} s, exit ${o.code})`);
    outcomes.push(o);
  }
  printSummary(outcomes);
  const failed = outcomes.filter((o) => o.code !== 0);
  for (const o of failed)
    console.log(`FAILED ${o.name}: ${o.code === 1 ? 'a correctness check failed' : 'could not run'}`);
  return failed.length ? 1 : 0;
}

function rowsOf(o: Outcome): string[][] {
  if (o.name === 'diff')
    return [
      [
        'diff 1M×1M (figures above)',
        o.code === 0 ? 'counts OK' : 'MISMATCH',
        '< 3,000 ms, < 600 MB',
        o.code === 0 ? 'see above' : 'FAIL',
      ],
    ];
  if (!o.result) return [[o.name, 'did not run', '', 'FAIL']];
  return [
    ...o.result.figures.map((f) => [
      f.figure,
      f.value,
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
