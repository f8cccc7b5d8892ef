// The demo report's lines on enrollment tries and retries, pure. The two count different things and
// say so: a try is one action (one course of one order) tried once; a retry puts a whole message (an
// order, every action of it) back on the ladder. Two failed courses of one order are two failed tries
// and one retry, a delivery out of retries is a failed try and no retry.

export interface RetryFigures {
  /** action_attempts by outcome (succeeded, transient, permanent, skipped) */
  triesByOutcome: Record<string, number>;
  /** failed tries worth another (transient), by error code */
  transientByCode: Record<string, number>;
  /** failed tries not worth another (permanent), by error code */
  permanentByCode: Record<string, number>;
  /** message deliveries with at least one transient failed try */
  failedDeliveries: number;
  /** messages whose retries ran out (dead-lettered as exhausted) */
  exhausted: number;
  /** lms_sync_retries_total: messages put back on the retry ladder */
  retriesScheduled: number;
}

const byCode = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function retryLines(f: RetryFigures): string[] {
  const n = (outcome: string) => f.triesByOutcome[outcome] ?? 0;
  const total = Object.values(f.triesByOutcome).reduce((a, b) => a + b, 0);
  const failed = n('transient');
  const counts = [`${n('succeeded')} succeeded`];
  if (n('skipped')) counts.push(`${n('skipped')} skipped (done already)`);
  counts.push(`${failed} failed and worth another try`, `${n('permanent')} not retried (for a person)`);
  const lines = [`Enrollment tries:     ${total} (one course of one order, once): ${counts.join(', ')}`];
  if (failed) lines.push(`  failed:             ${byCode(f.transientByCode)}`);
  if (n('permanent')) lines.push(`  not retried:        ${byCode(f.permanentByCode)}`);

  const why = [
    `${plural(f.failedDeliveries, 'message delivery', 'message deliveries')} had a failed try ` +
      `(${plural(failed, 'failed try', 'failed tries')}: a retry carries every course of its order)`,
  ];
  if (f.exhausted) why.push(`${f.exhausted} of them ran out of retries (dead-lettered)`);
  const other = f.retriesScheduled - (f.failedDeliveries - f.exhausted);
  if (other > 0)
    why.push(`${other} more for other reasons (Odoo unreachable, an action held by another worker)`);
  if (other < 0) why.push(`${-other} of them not retried by this process`);
  lines.push(`Retries scheduled:    ${f.retriesScheduled}: ${why.join('; ')}`);
  return lines;
}
