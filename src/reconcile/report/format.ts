// Text helpers shared by the report renderers (HTML escaping is lib/html.ts): human durations, UTC
// timestamps and the label/colour of each finding kind. Pure and locale-free, so a report renders the
// same on any server.
import { FINDING_KINDS } from '../diff-types';
import type { FindingKind } from '../diff-types';

/**
 * JSON for a `<script type="application/json">` block. Every `<` becomes `\u003c`: that covers `</script>`
 * and also `<!--`, which `<\/` alone would not (it changes how the HTML parser looks for the end tag).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const UNITS: [number, string][] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
  [1000, 's'],
];

/** "850 ms", "42 s", "5 min 10 s", "3 h 20 min", "2 d 4 h": two units at most, enough to compare. */
export function humanDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000) * 1000;
  for (const [size, unit] of UNITS) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)} ${unit}`);
      rest %= size;
    } else if (parts.length > 0) {
      break; // "2 d 30 s" would mislead more than "2 d"
    }
  }
  return parts.join(' ');
}

/** `2025-11-24 02:00:13 UTC`; the server's time zone must not change what the report says. */
export function formatTimestamp(iso: string | null, withSeconds = true): string {
  if (iso === null) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const text = new Date(t).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, withSeconds ? 19 : 16)} UTC`;
}

/** Milliseconds between two ISO timestamps, or null when the run has not finished. */
export function elapsedMs(startedAt: string, finishedAt: string | null): number | null {
  if (finishedAt === null) return null;
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** `12,345`, the same on every server (no ICU or locale involved). */
export const formatCount = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export interface KindMeta {
  label: string;
  /** also used by the inline chart script; chosen for ≥ 4.5:1 contrast against white */
  color: string;
}

export const KIND_META: Record<FindingKind, KindMeta> = {
  missing_enrollment: { label: 'Missing enrollment', color: '#1d4ed8' },
  unpaid_enrollment: { label: 'Unpaid enrollment', color: '#c2410c' },
  student_mismatch: { label: 'Student mismatch', color: '#7e22ce' },
  course_unmapped: { label: 'Course unmapped', color: '#0f766e' },
  duplicate_enrollment: { label: 'Duplicate enrollment', color: '#a16207' },
  unassigned_seats: { label: 'Seats without a learner', color: '#4b5563' },
};

/**
 * Kinds in reading order (the repairable one first), taken from KIND_META's keys: that Record must name
 * every FindingKind, so a new kind cannot silently vanish from the report.
 */
export const KIND_ORDER = Object.keys(KIND_META) as FindingKind[];

/** Total findings of a run, tolerant of a kind missing from a stored row. */
export function totalFindings(byKind: Partial<Record<FindingKind, number>>): number {
  return FINDING_KINDS.reduce((sum, k) => sum + (byKind[k] ?? 0), 0);
}
