// The two sides of a reconciliation, read in pages: order lines from Odoo and enrollments from the LMS.
import { backoffDelay } from '../lib';
import { PermanentError, TransientError } from '../lib';
import type { LmsAdapter, LmsPage } from '../lms';
import type { Enrollment, CourseOrderLine, UnassignedSeats } from './diff-types';

/** One (course line, learner) of a confirmed order: a line of several seats gives one per learner. */
export type OdooOrderLine = Omit<CourseOrderLine, 'knownCourse'>;

export interface OrderLinePage {
  lines: OdooOrderLine[];
  /** paid, unrefunded lines with seats no learner is named for */
  unassignedSeats: UnassignedSeats[];
}

export interface OrderLineSource {
  /** Course lines of confirmed orders (paid, unpaid and refunded) with their learners, in pages; `since` limits to orders
   *  (or their invoices) written since then, plus the orders `alsoOrderIds` names (changed or not). */
  pages(options: {
    since: Date | null;
    pageSize: number;
    alsoOrderIds?: readonly number[];
    /** told how many orders the read will cover (once, when the source can count them cheaply) and,
     *  after each page, how many it has read */
    onOrders?: (read: number, total: number | null) => void;
  }): AsyncIterable<OrderLinePage>;
}

/**
 * A long read must not die on one flaky answer: a transient error (5xx, timeout, 429) is retried a few
 * times with backoff, honouring Retry-After. Reads are safe to repeat.
 */
export async function withReadRetry<T>(
  read: () => Promise<T>,
  delaysMs: readonly number[] = [200, 500, 1000, 2000, 4000],
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      if (!(err instanceof TransientError)) throw err;
      const hint = { retryAfterMs: err.retryAfterMs, retryAfterCapMs: 30_000 };
      const delay = backoffDelay({ ladderMs: delaysMs }, attempt, hint);
      if (delay === undefined) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

export const DEFAULT_MAX_RUN_MS = 120 * 60_000;

/**
 * A run's time limit (RECONCILE_MAX_DURATION_MINUTES), checked page by page: a source that never ends
 * keeps the run heartbeating, so it would never be marked stale. Returns the check; it throws once
 * the limit has passed.
 */
export function runDeadline(maxMs: number, now: () => number = Date.now): () => void {
  const deadline = now() + maxMs;
  return () => {
    if (now() <= deadline) return;
    throw new PermanentError(
      'reconcile_too_long',
      `the run was still going after ${Math.round(maxMs / 60_000)} minutes (RECONCILE_MAX_DURATION_MINUTES): it stops`,
    );
  };
}

/** Follows the LMS's cursors; a cursor it gave before means it is going round in circles. */
export async function* enrollmentPages(lms: LmsAdapter, pageSize: number): AsyncIterable<Enrollment[]> {
  const seen = new Set<string>();
  let cursor: string | null = null;
  do {
    const at: string | null = cursor;
    const page: LmsPage = await withReadRetry(() => lms.listEnrollments(at, pageSize));
    yield page.items;
    cursor = page.nextCursor;
    if (cursor !== null && seen.has(cursor)) {
      throw new PermanentError(
        'reconcile_page_repeated',
        `the LMS answered enrollment page ${seen.size + 1} with a next cursor it had given before (a server or proxy repeating a page): the run stops`,
      );
    }
    if (cursor !== null) seen.add(cursor);
  } while (cursor);
}
