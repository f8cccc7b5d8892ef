// What a run tells whoever follows its findings (the helpdesk, wired by the root), and asks of it:
// a port reconcile defines, so it calls nothing it does not own.
import type { Finding } from './diff-types';

export interface ReconcileHooks {
  reconciled(run: {
    runId: string;
    mode: 'full' | 'incremental';
    held: string | null;
    findings: Finding[];
    /** The orders an incremental run read; null: a full run, which read them all. */
    examinedOrderIds?: readonly number[] | null;
  }): Promise<void>;
  /** Orders behind open problems (tickets): every run looks at them again. */
  openOrderIds(): Promise<number[]>;
}
