// How the doctor's rows are shown: a table for a person, JSON for a script, and the verdict. Pure.
import type { CheckRow, CheckStatus } from './checks';

const LABEL: Record<CheckStatus, string> = { ok: 'ok', warn: 'warn', fail: 'FAIL', skipped: 'skipped' };

/** A failed check needs a person; warnings and skipped rows (skipped only because of a failure) do not add to that. */
export function doctorPassed(rows: CheckRow[]): boolean {
  return rows.every((r) => r.status !== 'fail');
}

export function formatDoctorTable(rows: CheckRow[]): string {
  const nameWidth = Math.max('check'.length, ...rows.map((r) => r.check.length));
  const statusWidth = Math.max(...Object.values(LABEL).map((l) => l.length));
  const line = (name: string, status: string, detail: string) =>
    `${name.padEnd(nameWidth)}  ${status.padEnd(statusWidth)}  ${detail}`.trimEnd();
  const out = [line('check', 'status', 'detail')];
  for (const row of rows) {
    out.push(line(row.check, LABEL[row.status], row.detail));
    if (row.fix && row.status !== 'ok') out.push(line('', '', `fix: ${row.fix}`));
  }
  out.push('', summaryLine(rows));
  return `${out.join('\n')}\n`;
}

export function summaryLine(rows: CheckRow[]): string {
  const count = (s: CheckStatus) => rows.filter((r) => r.status === s).length;
  const parts = [`${count('ok')} ok`];
  if (count('warn')) parts.push(`${count('warn')} warning${count('warn') === 1 ? '' : 's'}`);
  if (count('fail')) parts.push(`${count('fail')} failed`);
  if (count('skipped')) parts.push(`${count('skipped')} skipped`);
  const verdict = doctorPassed(rows)
    ? 'ready to start'
    : 'fix the failed checks, then run lms-sync doctor again';
  return `${parts.join(', ')}: ${verdict}`;
}

export function formatDoctorJson(rows: CheckRow[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}
