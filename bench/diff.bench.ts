// Diff core benchmark, not a test: 1,000,000 paid lines × 1,000,000 enrollments with 1,000 injected
// differences of each kind. Prints time, RSS and a baseline from the same run, checks the counts, and
// exits 1 on a count mismatch (through runAsMain, like the others). Budgets (issue 4): under 3 s and under 600 MB RSS on a 2-core machine.
//   npm run bench -- --only diff
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { diff, FINDING_KINDS, countByKind } from '../src/reconcile/diff';
import type { Enrollment, FindingKind, CourseOrderLine } from '../src/reconcile/diff';
import { runAsMain, type BenchResult } from './result';

const N = 1_000_000;
const COURSES = Array.from({ length: 100 }, (_, i) => `CRS-${String(i).padStart(3, '0')}`);
const EVERY = 1000; // slot i % EVERY picks the injected difference: N / EVERY = 1,000 of each kind
const EXTRA_PARTNER = 10_000_000; // partners that exist only in the injected rows
const BUDGET_MS = 3000;
const BUDGET_MB = 600;
const SETTLE_MS = 1000;

interface Inputs {
  lines: CourseOrderLine[];
  enrollments: Enrollment[];
}

// Every string is built per object, as a JSON page would hand them over (no sharing between sides).
function paidLine(i: number, partnerId: number, course: string | null, known: boolean): CourseOrderLine {
  const orderId = 1_000_000 + i;
  return {
    orderId,
    orderName: `S${orderId}`,
    lineId: 2_000_000 + i,
    courseCode: course,
    partnerId,
    email: flat('student', partnerId, '@example.com'),
    fullName: flat('Student ', partnerId),
    paymentStatus: 'paid',
    knownCourse: known,
  };
}

function enrollment(id: string, course: string, partnerId: number, email: string, orderId: number | null) {
  const e: Enrollment = {
    enrollmentId: id,
    courseCode: course,
    studentId: flat('odoo-partner-', partnerId),
    email,
    status: 'active',
    source: { orderId },
  };
  return e;
}

/** Adds row i: one paid line, its enrollment, and the injected difference its slot calls for. */
function addRow(i: number, { lines, enrollments }: Inputs): void {
  const course = COURSES[i % COURSES.length]!;
  const partnerId = 1 + Math.floor(i / 3); // three courses per student, (course, student) unique
  const slot = i % EVERY;
  const even = Math.floor(i / EVERY) % 2 === 0;
  const extra = EXTRA_PARTNER + i;
  if (slot === 2) {
    lines.push(paidLine(i, partnerId, even ? null : 'ZZ-UNKNOWN', false)); // course_unmapped
    return;
  }
  const line = paidLine(i, partnerId, course, true);
  lines.push(line);
  if (slot === 1 && even) return; // missing_enrollment: never enrolled
  let email = flat('student', partnerId, '@example.com');
  if (i % 10 === 7) email = flat('  STUDENT', partnerId, '@Example.com '); // case/whitespace: no finding
  if (slot === 3) email = flat('moved', partnerId, '@example.org'); // student_mismatch
  const e = enrollment(`enr-${i}`, course, partnerId, email, line.orderId);
  if (slot === 1) e.status = 'suspended'; // missing_enrollment: suspended
  enrollments.push(e);
  if (slot === 4) {
    // duplicate_enrollment: the same student twice, or the same email under another id
    const dupPartner = even ? partnerId : extra;
    enrollments.push(
      enrollment(flat('enr-dup-', i), course, dupPartner, flat('student', partnerId, '@example.com'), null),
    );
  } else if (slot === 5) {
    // unpaid_enrollment: refunded or partially paid order, enrolled anyway
    const order = 5_000_000 + i;
    const status = even ? 'refunded' : 'unpaid';
    lines.push({
      ...paidLine(i, extra, course, true),
      orderId: order,
      orderName: `S${order}`,
      paymentStatus: status,
    });
    enrollments.push(
      enrollment(flat('enr-unpaid-', i), course, extra, flat('student', extra, '@example.com'), order),
    );
  } else if (slot === 6 && even) {
    enrollments.push(
      enrollment(flat('enr-manual-', i), course, extra, flat('m', extra, '@example.com'), null),
    ); // ignored
  }
}

/**
 * Joined, not template literals: a long template-literal string is a rope that the diff's first read
 * would flatten (and allocate), while strings parsed from a JSON page, as the shells get them, are flat.
 * Short values ('active', course codes) are shared constants, as JSON.parse internalizes short strings.
 */
function flat(...parts: Array<string | number>): string {
  return parts.join('');
}

export function generate(): Inputs {
  const inputs: Inputs = { lines: [], enrollments: [] };
  for (let i = 0; i < N; i++) addRow(i, inputs);
  return inputs;
}

/** Wall and CPU milliseconds: on a shared 2-core machine, CPU time shows the work when wall time waits. */
function timed<T>(fn: () => T): [T, number, number] {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = fn();
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return [result, wall, (used.user + used.system) / 1000];
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rss = (): number => process.memoryUsage().rss;

/** Collects the generator's garbage so the diff is measured on a heap that holds just its inputs. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Resets the kernel's peak-RSS mark (Linux `clear_refs` 5), so the peak read after the diff is the
 * diff's (inputs included), not the generator's. maxRSS can only be reset this way too.
 */
function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function peakRss(): number {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return hwm ? Number(hwm[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
}

/** What building one index costs: a single Map over the enrollments keyed like a naive diff would. */
function baseline(enrollments: readonly Enrollment[]): [number, number] {
  collectGarbage();
  const [map, ms, cpuMs] = timed(() => {
    const m = new Map<string, Enrollment>();
    for (const e of enrollments) m.set(`${e.courseCode}\u0000${e.studentId}`, e);
    return m;
  });
  if (map.size === 0) throw new Error('unreachable: keeps the map alive until measured');
  return [ms, cpuMs];
}

interface Measured {
  ms: number;
  cpuMs: number;
  peak: number;
  counts: Record<FindingKind, number>;
}

async function measureDiff(inputs: Inputs): Promise<Measured> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS)); // freed pages go back to the OS in the background
  const before = rss();
  const reset = resetPeak();
  const [findings, ms, cpuMs] = timed(() => diff(inputs.lines, inputs.enrollments));
  const peak = peakRss();
  console.log(`diff (cold): ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms cpu (GC threads included)`);
  console.log(
    `  rss before ${mb(before)} (the inputs), after ${mb(rss())}, peak ${mb(peak)}` +
      `${reset ? '' : ' (process maxRSS: no peak reset here)'}; the diff's own ≤ ${mb(peak - before)}`,
  );
  return { ms, cpuMs, peak, counts: countByKind(findings) };
}

function report(m: Measured, baseMs: number): BenchResult {
  // the generator injects every kind but seats without a learner (its lines have no seat counts)
  const expected = (k: FindingKind) => (k === 'unassigned_seats' ? 0 : N / EVERY);
  const bad = FINDING_KINDS.filter((k) => m.counts[k] !== expected(k));
  for (const k of FINDING_KINDS) console.log(`  ${k.padEnd(22)} ${m.counts[k]} (expected ${expected(k)})`);
  console.log(bad.length === 0 ? 'counts: OK' : `counts: MISMATCH in ${bad.join(', ')}`);
  const within = m.ms < BUDGET_MS && m.peak < BUDGET_MB * 1024 * 1024;
  console.log(`budget (< ${BUDGET_MS} ms, < ${BUDGET_MB} MB peak): ${within ? 'within' : 'OVER'}`);
  const peakMb = m.peak / 1024 / 1024;
  return {
    name: 'diff',
    correct: bad.length === 0,
    figures: [
      {
        name: 'diff 1M×1M wall (cold)',
        value: Math.round(m.ms),
        unit: 'ms',
        target: `< ${BUDGET_MS} ms`,
        pass: m.ms < BUDGET_MS,
      },
      { name: 'diff 1M×1M cpu', value: Math.round(m.cpuMs), unit: 'ms', target: '', pass: null },
      {
        name: 'diff 1M×1M peak RSS',
        value: Math.round(peakMb),
        unit: 'MB',
        target: `< ${BUDGET_MB} MB`,
        pass: peakMb < BUDGET_MB,
      },
      { name: 'diff baseline (one Map)', value: Math.round(baseMs), unit: 'ms', target: '', pass: null },
    ],
  };
}

export async function main(): Promise<BenchResult> {
  console.log(`load average ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cpus`);
  const [inputs, genMs] = timed(generate);
  const paidCount = inputs.lines.filter((l) => l.paymentStatus === 'paid').length;
  console.log(
    `inputs: ${paidCount} paid lines (+${inputs.lines.length - paidCount} unpaid/refunded), ` +
      `${inputs.enrollments.length} enrollments, generated in ${genMs.toFixed(0)} ms`,
  );
  const measured = await measureDiff(inputs);
  const [baseMs, baseCpuMs] = baseline(inputs.enrollments);
  console.log(
    `baseline, one Map of ${inputs.enrollments.length} enrollment keys: ${baseMs.toFixed(0)} ms wall, ` +
      `${baseCpuMs.toFixed(0)} ms cpu; diff/baseline ${(measured.ms / baseMs).toFixed(2)}x wall, ` +
      `${(measured.cpuMs / baseCpuMs).toFixed(2)}x cpu`,
  );
  collectGarbage();
  const [, warmMs, warmCpuMs] = timed(() => diff(inputs.lines, inputs.enrollments));
  console.log(`diff (warm, second run): ${warmMs.toFixed(0)} ms wall, ${warmCpuMs.toFixed(0)} ms cpu`);
  return report(measured, baseMs);
}

if (require.main === module) runAsMain(main);
