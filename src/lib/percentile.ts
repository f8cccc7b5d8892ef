// Percentiles of a sample, interpolated between the two nearest ranks: the same answer as
// PostgreSQL's percentile_cont, so a figure computed here matches one computed in SQL.

/** The p-th percentile (0 ≤ p ≤ 1) of `values`, or null for an empty sample. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile must be between 0 and 1, got ${p}`);
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const rank = p * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower] as number;
  return low + ((sorted[upper] as number) - low) * (rank - lower);
}
