// The doctor's checks as data, and the one runner: every check bounded in time, a check whose
// prerequisite failed shown as skipped, no secret in any row. Knows nothing of PostgreSQL, Odoo or the LMS.
import { reasonOf } from './reason';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skipped';

export interface CheckRow {
  check: string;
  status: CheckStatus;
  detail: string;
  /** what to do, one line; on failed checks (and on warnings that have a remedy) */
  fix?: string;
}

export interface Outcome {
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

export interface Check {
  name: string;
  /** checks that must pass (ok or warn) before this one means anything */
  needs?: string[];
  /** the longest the check may take; past it, it fails */
  timeoutMs: number;
  /** the remedy when the check throws or does not answer in time */
  fix: string;
  run(): Promise<Outcome>;
}

export const ok = (detail: string): Outcome => ({ status: 'ok', detail });
export const warn = (detail: string, fix?: string): Outcome => ({ status: 'warn', detail, fix });
export const fail = (detail: string, fix: string): Outcome => ({ status: 'fail', detail, fix });

/** Runs every check at once (each waits only for what it needs) and answers the rows in the checks' order. */
export async function runChecks(checks: Check[], options: { secrets: string[] }): Promise<CheckRow[]> {
  const known = new Set(checks.map((c) => c.name));
  const rows = new Map<string, Promise<CheckRow>>();
  const rowOf = (name: string) => rows.get(name) as Promise<CheckRow>;
  for (const check of checks) {
    for (const need of check.needs ?? []) {
      if (!known.has(need) || !rows.has(need))
        throw new Error(`check "${check.name}" needs "${need}" before it`);
    }
    rows.set(
      check.name,
      Promise.all((check.needs ?? []).map(rowOf)).then(async (needed) => {
        const blocked = needed.find((r) => r.status === 'fail' || r.status === 'skipped');
        if (blocked) return { check: check.name, status: 'skipped', detail: `needs "${blocked.check}"` };
        return redact({ check: check.name, ...(await bounded(check)) }, options.secrets);
      }),
    );
  }
  return Promise.all(checks.map((c) => rowOf(c.name)));
}

async function bounded(check: Check): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Outcome>((resolve) => {
    timer = setTimeout(
      () => resolve(fail(`no answer within ${check.timeoutMs} ms`, check.fix)),
      check.timeoutMs,
    );
  });
  try {
    return await Promise.race([check.run().catch((err: unknown) => fail(reasonOf(err), check.fix)), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A secret that slipped into a message (an echoed key, a URL with its password) never reaches the table. */
export function redact(row: CheckRow, secrets: string[]): CheckRow {
  const hide = (text: string) =>
    secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join('***'), text);
  return { ...row, detail: hide(row.detail), ...(row.fix === undefined ? {} : { fix: hide(row.fix) }) };
}
