// Group commit for the intake: deliveries that arrive while earlier ones are being committed are
// stored together, in one statement and one commit (never more than one commit per delivery). Alone,
// a delivery is stored at once: no timer, no added latency; under load the batches grow by themselves,
// past the ceiling of one commit per delivery (PostgreSQL commits are the limit; bench/README.md).
// A batch the database refuses for one member's data is retried member by member.
import type { Pool } from 'pg';
import { ORDER_SYNC_ROUTING_KEY, type OrderSyncMessage } from '../enrollment';
import { outboxInsertSql } from '../outbox';

export interface DeliveryRow {
  webhookId: string;
  eventId: string;
  eventType: string;
  bodyHash: Buffer;
  payload: unknown;
  messageId: string;
  message: OrderSyncMessage;
}

/** Per delivery: the advisory lock was free (else 409) and the row was new (else duplicate/conflict). */
export interface StoredRow {
  locked: boolean;
  inserted: boolean;
}

// The advisory lock turns "same webhook-id being committed right now" into an immediate 409 instead
// of a wait on the unique index. Materialised once (a volatile CTE), so each lock is taken once.
const STORE_BATCH = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::bytea[], $5::jsonb[], $6::uuid[], $7::jsonb[])
    WITH ORDINALITY AS t(webhook_id, event_id, event_type, body_sha256, payload, message_id, message, n)
),
locked AS MATERIALIZED (SELECT input.*, pg_try_advisory_xact_lock(hashtextextended(webhook_id, 7431)) AS ok FROM input),
ins AS (
  INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, body_sha256, payload)
  SELECT webhook_id, event_id, event_type, body_sha256, payload FROM locked WHERE ok ORDER BY n
  ON CONFLICT (webhook_id) DO NOTHING
  RETURNING event_id
),
ob AS (
  ${outboxInsertSql('SELECT l.message_id, l.event_id, $8, l.message FROM locked l JOIN ins ON ins.event_id = l.event_id')}
  RETURNING event_id
)
SELECT l.n::int AS n, l.ok AS locked, (ob.event_id IS NOT NULL) AS inserted
  FROM locked l LEFT JOIN ob ON ob.event_id = l.event_id ORDER BY l.n`;

// SQLSTATE classes that say the database, not the statement's data, is the trouble: connection (08),
// insufficient resources (53), operator intervention (57), system error (58).
const STORAGE_TROUBLE = new Set(['08', '53', '57', '58']);

function blamesTheRows(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !STORAGE_TROUBLE.has(code.slice(0, 2));
}

interface Pending {
  row: DeliveryRow;
  resolve: (r: StoredRow) => void;
  reject: (err: unknown) => void;
}

export function createGroupCommit(pool: Pool, options: { maxInFlight?: number; maxBatch?: number } = {}) {
  // two statements at a time: one commits while the next fills. More in flight made smaller batches
  // and cost more per delivery (bench/README.md: 4 in flight took ~4,200 req/s, 2 ~5,500)
  const maxInFlight = options.maxInFlight ?? 2;
  const maxBatch = options.maxBatch ?? 200;
  let queue: Pending[] = [];
  let inFlight = 0;

  /** The next batch: oldest first, one delivery per webhook-id (a repeat waits for the next batch). */
  function take(): Pending[] {
    const ids = new Set<string>();
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    for (const p of queue) {
      if (batch.length < maxBatch && !ids.has(p.row.webhookId)) {
        ids.add(p.row.webhookId);
        batch.push(p);
      } else rest.push(p);
    }
    queue = rest;
    return batch;
  }

  async function insert(batch: Pending[]): Promise<void> {
    const col = <T>(f: (r: DeliveryRow) => T) => batch.map((p) => f(p.row));
    const { rows } = await pool.query<{ n: number; locked: boolean; inserted: boolean }>(STORE_BATCH, [
      col((r) => r.webhookId),
      col((r) => r.eventId),
      col((r) => r.eventType),
      col((r) => r.bodyHash),
      col((r) => JSON.stringify(r.payload)),
      col((r) => r.messageId),
      col((r) => JSON.stringify(r.message)),
      ORDER_SYNC_ROUTING_KEY,
    ]);
    for (const r of rows) batch[r.n - 1]?.resolve({ locked: r.locked, inserted: r.inserted });
  }

  /**
   * One statement for the batch; when PostgreSQL refuses it for something in the rows, each member is
   * tried alone, so a bad delivery fails only itself. Lost storage fails them all at once (retrying
   * one by one would only multiply the wait).
   */
  async function store(batch: Pending[]): Promise<void> {
    try {
      await insert(batch);
    } catch (err) {
      if (batch.length === 1 || !blamesTheRows(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
      await Promise.all(batch.map((p) => insert([p]).catch((e: unknown) => p.reject(e))));
    }
  }

  function pump(): void {
    while (queue.length > 0 && inFlight < maxInFlight) {
      const batch = take();
      inFlight += 1;
      void store(batch).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  }

  return function storeRow(row: DeliveryRow): Promise<StoredRow> {
    return new Promise<StoredRow>((resolve, reject) => {
      queue.push({ row, resolve, reject });
      pump();
    });
  };
}
