// The two sides of a reconciliation, read in pages: order lines from Odoo and enrollments from the LMS.
import { TransientError } from '../errors';
import type { LmsAdapter, LmsPage } from '../lms/adapter';
import type { Enrollment, PaidOrderLine } from './diff-types';

export type OdooOrderLine = Omit<PaidOrderLine, 'knownCourse'>;

export interface OrderLineSource {
  /** Course lines of confirmed orders (paid, unpaid and refunded), in pages; `since` limits to orders
   *  (or their invoices) written since then, plus the orders `alsoOrderIds` names (changed or not). */
  pages(options: {
    since: Date | null;
    pageSize: number;
    alsoOrderIds?: readonly number[];
  }): AsyncIterable<OdooOrderLine[]>;
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
      const delay = delaysMs[attempt];
      if (!(err instanceof TransientError) || delay === undefined) throw err;
      const retryAfter = (err as { retryAfterMs?: number }).retryAfterMs ?? 0;
      await new Promise((r) => setTimeout(r, Math.max(delay, Math.min(retryAfter, 30_000))));
    }
  }
}

export async function* enrollmentPages(lms: LmsAdapter, pageSize: number): AsyncIterable<Enrollment[]> {
  let cursor: string | null = null;
  do {
    const at: string | null = cursor;
    const page: LmsPage = await withReadRetry(() => lms.listEnrollments(at, pageSize));
    yield page.items;
    cursor = page.nextCursor;
  } while (cursor);
}
