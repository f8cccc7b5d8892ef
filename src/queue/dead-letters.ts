// dead_letters: what needs a person, one row per failed action (or per message when no action was
// reached), recorded idempotently so the consumer and the dead-queue recorder may both write it.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { inTransaction } from '../db';
import { boundForeignText } from '../lib';
import { enqueueMessages, notifyRelays } from '../outbox';
import { ORDER_SYNC_ROUTING_KEY, type OrderSyncMessage } from '../enrollment';

export interface DeadLetterInput {
  message: OrderSyncMessage;
  businessKey: string | null;
  reasonCode: string;
  reason: string;
  attempts: number;
}

export interface DeadLetterRow {
  id: string;
  message_id: string;
  event_id: string;
  business_key: string | null;
  reason_code: string;
  reason: string;
  attempts: number;
  created_at: Date;
  replayed_at: Date | null;
  replay_message_id: string | null;
  payload: OrderSyncMessage;
}

export function createDeadLetters(pool: Pool) {
  return {
    /** Returns the items that were new (a redelivery or a later retry records nothing twice). */
    async record(items: DeadLetterInput[]): Promise<DeadLetterInput[]> {
      const inserted: DeadLetterInput[] = [];
      for (const d of items) {
        const r = await pool.query(
          `INSERT INTO dead_letters (message_id, event_id, business_key, routing_key, payload, reason_code, reason, attempts)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (message_id, coalesce(business_key, '')) DO NOTHING`,
          [
            d.message.messageId,
            d.message.eventId,
            d.businessKey,
            ORDER_SYNC_ROUTING_KEY,
            d.message,
            d.reasonCode,
            boundForeignText(d.reason),
            d.attempts,
          ],
        );
        if (r.rowCount) inserted.push(d);
      }
      return inserted;
    },

    async list(options: { includeReplayed?: boolean; limit?: number } = {}): Promise<DeadLetterRow[]> {
      const { rows } = await pool.query<DeadLetterRow>(
        `SELECT id::text, message_id, event_id, business_key, reason_code, reason, attempts, created_at, replayed_at,
                replay_message_id, payload
           FROM dead_letters WHERE ($1 OR replayed_at IS NULL) ORDER BY id DESC LIMIT $2`,
        [options.includeReplayed ?? false, options.limit ?? 100],
      );
      // rows stored before reasons were bounded may still hold megabytes
      return rows.map((r) => ({ ...r, reason: boundForeignText(r.reason) }));
    },

    /**
     * Replays one dead letter: a new message (trigger dlq.replay) goes into the outbox in the same
     * transaction that marks the row replayed, so a replay is never lost nor done twice.
     */
    async replay(
      id: string,
    ): Promise<{ status: 'replayed'; messageId: string } | { status: 'not_found' | 'already_replayed' }> {
      return inTransaction(pool, async (client) => {
        const { rows } = await client.query<DeadLetterRow>(
          'SELECT id::text, payload, replayed_at FROM dead_letters WHERE id = $1 FOR UPDATE',
          [id],
        );
        const row = rows[0];
        if (!row || row.replayed_at) return { status: row ? 'already_replayed' : 'not_found' };
        const messageId = randomUUID();
        const { acceptedAt: _ignored, ...original } = row.payload;
        const message: OrderSyncMessage = { ...original, messageId, trigger: 'dlq.replay' };
        await enqueueMessages(client, [message]);
        await client.query(
          'UPDATE dead_letters SET replayed_at = now(), replay_message_id = $2 WHERE id = $1',
          [id, messageId],
        );
        await notifyRelays(client);
        return { status: 'replayed', messageId };
      });
    },
  };
}

export type DeadLetters = ReturnType<typeof createDeadLetters>;

/** The dead letters' part of /metrics: how many still wait for a person (not replayed). */
export async function openDeadLetterCount(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM dead_letters WHERE replayed_at IS NULL',
  );
  return rows[0]?.n ?? 0;
}

/** When an unreported dead letter is due for its helpdesk report: at once, or after its backoff. */
const REPORT_DUE = `coalesce(report_due_at, created_at + interval '1 minute')`;

export interface UnreportedDeadLetter {
  payload: OrderSyncMessage;
  business_key: string | null;
  reason_code: string;
  reason: string;
}

/** The helpdesk's reporting of dead letters: which are due, and marking each reported or postponed. */
export const deadLetterReports = {
  async due(pool: Pool, limit = 100): Promise<UnreportedDeadLetter[]> {
    const { rows } = await pool.query<UnreportedDeadLetter>(
      `SELECT payload, business_key, reason_code, reason FROM dead_letters
        WHERE reported_at IS NULL AND ${REPORT_DUE} <= now() ORDER BY ${REPORT_DUE}, id LIMIT $1`,
      [limit],
    );
    return rows;
  },

  async reported(pool: Pool, messageId: string, businessKey: string | null): Promise<void> {
    await pool.query(
      `UPDATE dead_letters SET reported_at = now()
        WHERE message_id = $1 AND coalesce(business_key, '') = coalesce($2, '') AND reported_at IS NULL`,
      [messageId, businessKey],
    );
  },

  /** A failed report is tried again after 1, 2, 4 … minutes, then hourly: behind the rows now due. */
  async postpone(pool: Pool, messageId: string, businessKey: string | null): Promise<void> {
    await pool.query(
      `UPDATE dead_letters
          SET report_failures = report_failures + 1,
              report_due_at = now() + least(interval '1 hour', interval '1 minute' * power(2, least(report_failures, 6)))
        WHERE message_id = $1 AND coalesce(business_key, '') = coalesce($2, '') AND reported_at IS NULL`,
      [messageId, businessKey],
    );
  },
};
