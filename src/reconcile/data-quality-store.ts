// The data-quality results of each run, kept beside the run's findings (migration 010).
import type { Pool } from 'pg';
import { DATA_QUALITY_CHECKS, type DataQualityResult } from './data-quality';

export async function saveDataQuality(
  pool: Pool,
  runId: string,
  results: DataQualityResult[],
): Promise<void> {
  if (results.length === 0) return;
  await pool.query(
    `INSERT INTO reconcile_data_quality (run_id, check_name, found, examples, error)
     SELECT $1, * FROM unnest($2::text[], $3::int[], $4::jsonb[], $5::text[])
     ON CONFLICT (run_id, check_name) DO UPDATE SET found = EXCLUDED.found, examples = EXCLUDED.examples, error = EXCLUDED.error`,
    [
      runId,
      results.map((r) => r.check),
      results.map((r) => r.count),
      results.map((r) => JSON.stringify(r.examples)),
      results.map((r) => r.error),
    ],
  );
}

/** The run's results in the checks' order; null when the run ran none (older runs, a run that failed first). */
export async function loadDataQuality(pool: Pool, runId: string): Promise<DataQualityResult[] | null> {
  const { rows } = await pool.query<{
    check_name: DataQualityResult['check'];
    found: number;
    examples: DataQualityResult['examples'];
    error: string | null;
  }>('SELECT check_name, found, examples, error FROM reconcile_data_quality WHERE run_id = $1', [runId]);
  if (rows.length === 0) return null;
  const order = (c: string) => DATA_QUALITY_CHECKS.indexOf(c as DataQualityResult['check']);
  return rows
    .sort((a, b) => order(a.check_name) - order(b.check_name))
    .map((r) => ({ check: r.check_name, count: r.found, examples: r.examples, error: r.error }));
}
