// The shape of a benchmark's result (what the summary table prints and bench/results/latest.json holds)
// and the tail of a bench file that hands it to bench/index.ts. No imports beyond Node's: the diff
// benchmark measures its own RSS.

/** One measured figure: a row of the summary table and an entry of bench/results/latest.json. */
export interface Figure {
  name: string;
  /** the number measured, in `unit` (NaN when it could not be measured; written as null) */
  value: number;
  unit: string;
  target: string;
  /** null: printed for information, no target */
  pass: boolean | null;
  /** what the table shows instead of `value unit` (a same-run baseline next to it, say) */
  shown?: string;
}

/** How the summary table shows a figure. */
export function shownValue(f: Figure): string {
  if (f.shown !== undefined) return f.shown;
  if (!Number.isFinite(f.value)) return 'not measured';
  const digits = Math.abs(f.value) >= 100 || Number.isInteger(f.value) ? 0 : 2;
  return `${fmt(f.value, digits)}${f.unit ? ` ${f.unit}` : ''}`;
}

export interface BenchResult {
  name: string;
  figures: Figure[];
  /** false when a correctness check failed (counts, lost or duplicated work) */
  correct: boolean;
}

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * The `require.main` tail of a bench file: runs it, hands the result to the parent (bench/index.ts forks
 * each benchmark so its RSS and maxRSS are its own), exit code 1 on a failed correctness check.
 */
export function runAsMain(main: () => Promise<BenchResult>): void {
  main().then(
    (r) => {
      process.exitCode = r.correct ? 0 : 1;
      process.send?.({ result: r });
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 2;
    },
  );
}
