// The safety brake, pure: an empty LMS answer or a wave of repairs must not re-enroll everyone.

export interface BrakeInput {
  paidLines: number;
  enrollments: number;
  repairs: number;
  maxRepairRatio: number;
  /** below this many repairs the ratio is not checked (a small incremental run is not a wave) */
  minRepairsToBrake: number;
}

export function brakeReason(b: BrakeInput): string | null {
  if (b.paidLines > 0 && b.enrollments === 0) {
    return `the LMS listed no enrollments while Odoo has ${b.paidLines} paid course lines: repairs held`;
  }
  if (b.repairs >= b.minRepairsToBrake && b.paidLines > 0 && b.repairs / b.paidLines > b.maxRepairRatio) {
    const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
    return `${b.repairs} repairs would touch ${pct(b.repairs / b.paidLines)} of ${b.paidLines} paid lines, above the ${pct(b.maxRepairRatio)} limit (RECONCILE_MAX_REPAIR_RATIO): repairs held`;
  }
  return null;
}

/**
 * What a backfill run (`lms-sync reconcile --backfill`) records: the brake is lifted for that run only,
 * and its report keeps what the brake would have held.
 */
export function liftedBrakeNote(wouldHold: string | null): string {
  return wouldHold
    ? `lifted for this run (--backfill); it would have held: ${wouldHold.replace(/: repairs held$/, '')}`
    : 'lifted for this run (--backfill); it would not have held it';
}
