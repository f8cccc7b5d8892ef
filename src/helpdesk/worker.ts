// Carries helpdesk_commands to Odoo, oldest first and in order per ticket. A failure leaves the command
// in place with a backoff; nothing is dropped, and opening is idempotent (the writer finds the ticket by
// its marker), so a retry after a lost answer does not open a second ticket.
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../db';
import { backoffDelay, type Doubling } from '../lib';
import { createDrainLoop } from '../lib';
import { PermanentError, errorMessage } from '../lib';
import type { OdooGateway } from '../odoo';
import type { OdooTransport } from '../odoo';
import type { Logger } from '../observability';
import { oneLine } from '../enrollment';
import type { ChatterNote, PostOptions } from '../odoo';
import type { Assigner, CommandStep } from './assigner';
import type { Problem } from './problems';
import { ticketTitle, type ProblemKind } from './rules';
import type { Tickets } from './tickets';
import type { HelpdeskWriter, Priority, TicketDraft } from './writer';

interface CommandRow {
  id: string;
  ticket_row_id: string;
  command: 'open' | 'recur' | 'escalate' | 'close' | 'reassign';
  payload: Record<string, unknown>;
  attempts: number;
  odoo_ticket_id: number | null;
  odoo_reference: string | null;
  order_id: number | null;
  order_noted: boolean;
  team: string;
  priority: Priority;
  kind: ProblemKind;
  order_name: string | null;
  course_code: string | null;
}

const CLAIM = `
SELECT c.id::text, c.ticket_row_id::text, c.command, c.payload, c.attempts,
       t.odoo_ticket_id, t.odoo_reference, t.order_id, t.order_noted,
       t.team, t.priority, t.kind, t.order_name, t.course_code
  FROM helpdesk_commands c JOIN helpdesk_tickets t ON t.id = c.ticket_row_id
 WHERE c.done_at IS NULL AND c.next_attempt_at <= now()
   AND NOT EXISTS (SELECT 1 FROM helpdesk_commands e
                    WHERE e.ticket_row_id = c.ticket_row_id AND e.done_at IS NULL AND e.id < c.id)
 ORDER BY c.id LIMIT 1 FOR UPDATE OF c SKIP LOCKED`;

// A command that failed part-way is run again whole (its writes are idempotent); its note carries a key
// of the command, so the second run finds the note the first one posted.
const commandNote = (cmd: CommandRow, text: string): ChatterNote => ({
  text,
  key: `helpdesk-command:${cmd.id}`,
});
const retried = (cmd: CommandRow): PostOptions => ({ retried: cmd.attempts > 0 });
const stepOf = (cmd: CommandRow): CommandStep => ({
  id: cmd.id,
  payload: cmd.payload,
  key: commandNote(cmd, '').key,
  retried: cmd.attempts > 0,
});
const ticketOf = (cmd: CommandRow, ticketId: number) => ({
  rowId: cmd.ticket_row_id,
  ticketId,
  team: cmd.team,
  priority: cmd.priority,
  title: ticketTitle(cmd.kind, cmd.order_name, cmd.course_code),
});

/** A failed command waits 1, 2, 4 … seconds before it is tried again, then hourly. */
const COMMAND_BACKOFF: Doubling = { firstMs: 1000, maxDoublings: 12, capMs: 3_600_000 };

export interface WorkerDeps {
  pool: Pool;
  writer: HelpdeskWriter;
  transport: OdooTransport;
  odoo: OdooGateway;
  tickets: Tickets;
  assigner: Assigner;
  log: Logger;
  odooUrl: string;
  pollMs?: number;
}

export function createHelpdeskWorker(deps: WorkerDeps) {
  const { pool, writer, log } = deps;
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;

  async function partnerOf(partnerId: number | null): Promise<TicketDraft['partner']> {
    if (!partnerId) return null;
    const rows = await deps.transport.executeKw<
      Array<{ id: number; name: string | false; email: string | false }>
    >('res.partner', 'read', [[partnerId]], { fields: ['name', 'email'] });
    const p = rows[0];
    return p ? { id: p.id, name: p.name || `Partner ${p.id}`, email: p.email ? p.email.trim() : null } : null;
  }

  /**
   * A ticket stands without an assignee: an Odoo that refuses an assignment (Fault, PermanentError) must
   * not hold the ticket's other writes behind it. What Odoo may answer later (TransientError) is retried.
   */
  async function unlessRefused<T>(work: Promise<T>, cmd: CommandRow, otherwise: T): Promise<T> {
    return work.catch((err: unknown) => {
      if (!(err instanceof PermanentError)) throw err;
      log.warn('helpdesk assignment refused by Odoo; the ticket goes on without it', {
        command: cmd.command,
        ticketRow: cmd.ticket_row_id,
        error: errorMessage(err),
      });
      return otherwise;
    });
  }

  async function execOpen(c: PoolClient, cmd: CommandRow): Promise<void> {
    const draft = cmd.payload.draft as Omit<TicketDraft, 'partner'>;
    const partner = await partnerOf((cmd.payload.partnerId as number | null) ?? null);
    const { ticketId, reference } = await writer.open({ ...draft, partner });
    await c.query('UPDATE helpdesk_tickets SET odoo_ticket_id = $2, odoo_reference = $3 WHERE id = $1', [
      cmd.ticket_row_id,
      ticketId,
      reference,
    ]);
    await unlessRefused(deps.assigner.assignOpened(c, ticketOf(cmd, ticketId), stepOf(cmd)), cmd, null);
    if (cmd.order_id !== null && !cmd.order_noted) {
      const ref = reference ?? `#${ticketId}`;
      const text = `LMS sync: a helpdesk ticket was opened: ${ref} (${oneLine(draft.title)}).\n${writer.url(deps.odooUrl, ticketId)}`;
      const note = { text, key: `helpdesk-open:${cmd.ticket_row_id}` };
      await deps.odoo.postOrderNote(cmd.order_id, note, retried(cmd)).catch((err: unknown) => {
        // The ticket is what matters; an order Odoo refuses to annotate (deleted, no access) must not block it.
        if (!(err instanceof PermanentError)) throw err;
        log.warn('could not link the ticket on the order', {
          orderId: cmd.order_id,
          error: errorMessage(err),
        });
      });
      await c.query('UPDATE helpdesk_tickets SET order_noted = true WHERE id = $1', [cmd.ticket_row_id]);
    }
  }

  async function execRecur(c: PoolClient, cmd: CommandRow, ticketId: number): Promise<void> {
    const state = await writer.state(ticketId);
    if (!state.exists || state.closed) {
      // A person closed it (or deleted it) and the problem is back: a new ticket, referring to the old.
      await c.query(
        `UPDATE helpdesk_tickets SET state = 'closed', closed_at = now(), closed_by = 'person' WHERE id = $1 AND state = 'open'`,
        [cmd.ticket_row_id],
      );
      // In this same transaction: the replacement is never lost between the two.
      const p = cmd.payload.problem as Problem & { blockedSince: string | null };
      await deps.tickets.reportIn(c, {
        ...p,
        blockedSince: p.blockedSince ? new Date(p.blockedSince) : null,
      });
      return;
    }
    const text = `Seen again (${Number(cmd.payload.times)} times so far): ${oneLine(String(cmd.payload.summary))}`;
    await writer.note(ticketId, commandNote(cmd, text), retried(cmd));
  }

  async function execute(c: PoolClient, cmd: CommandRow): Promise<void> {
    if (cmd.command === 'open') return execOpen(c, cmd);
    const ticketId = cmd.odoo_ticket_id;
    if (ticketId === null) throw new Error('the ticket was never opened in Odoo');
    if (cmd.command === 'recur') return execRecur(c, cmd, ticketId);
    const state = await writer.state(ticketId);
    if (!state.exists || state.closed) {
      // Deleted or closed by a person meanwhile: nothing to escalate or close; our record follows Odoo.
      await c.query(
        `UPDATE helpdesk_tickets SET state = 'closed', closed_at = coalesce(closed_at, now()), closed_by = coalesce(closed_by, 'person') WHERE id = $1`,
        [cmd.ticket_row_id],
      );
      return;
    }
    if (cmd.command === 'escalate') {
      const { from, to, hours, slaHours } = cmd.payload as {
        from: Priority;
        to: Priority;
        hours: number;
        slaHours: number;
      };
      await writer.setPriority(ticketId, to);
      const text = `Escalated from ${from} to ${to}: open for ${hours} h at ${from}, past its SLA of ${slaHours} h.`;
      // addressed to the assignee, with a To-Do, when the ticket has one
      const told = deps.assigner.notifyEscalation(c, ticketOf(cmd, ticketId), text, stepOf(cmd));
      if (!(await unlessRefused(told, cmd, false)))
        await writer.note(ticketId, commandNote(cmd, text), retried(cmd));
      return;
    }
    if (cmd.command === 'reassign') {
      await unlessRefused(
        deps.assigner.reassignIfUntouched(c, ticketOf(cmd, ticketId), stepOf(cmd)),
        cmd,
        false,
      );
      return;
    }
    await writer.addTags(ticketId, ['auto-healed']);
    const text = `Healed: ${oneLine(String(cmd.payload.why))}. Closed by odoo-lms-sync.`;
    await writer.close(ticketId, commandNote(cmd, text), retried(cmd));
  }

  /** Runs one due command; false when none is due. */
  function runOne(): Promise<boolean> {
    return inTransaction(pool, async (c) => {
      const cmd = (await c.query<CommandRow>(CLAIM)).rows[0];
      if (!cmd) return false;
      try {
        await execute(c, cmd);
        await c.query(
          'UPDATE helpdesk_commands SET done_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1',
          [cmd.id],
        );
      } catch (err) {
        const delayS = backoffDelay(COMMAND_BACKOFF, cmd.attempts) / 1000;
        log.warn('helpdesk write failed; it stays queued', {
          command: cmd.command,
          ticketRow: cmd.ticket_row_id,
          attempt: cmd.attempts + 1,
          retryInS: delayS,
          error: errorMessage(err),
        });
        await c.query(
          `UPDATE helpdesk_commands SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1`,
          [cmd.id, errorMessage(err).slice(0, 500), delayS],
        );
      }
      return true;
    });
  }

  const loop = createDrainLoop({
    async pass() {
      while (!stopped && (await runOne()));
    },
    failed(err) {
      log.warn('helpdesk worker pass failed', { error: errorMessage(err) });
      return false;
    },
    stopped: () => stopped,
  });
  const { wake } = loop;

  /** Starts no further command (the one running finishes, or fails fast at the shutdown gate). */
  function halt(): void {
    stopped = true;
    if (timer) clearInterval(timer);
    timer = null;
  }

  return {
    wake,
    start(): void {
      stopped = false;
      timer = setInterval(wake, deps.pollMs ?? 2000);
      wake();
    },
    /** Runs every due command now (tests and the CLI). */
    async drainNow(): Promise<void> {
      const wasStopped = stopped;
      stopped = false;
      try {
        await loop.settled();
        await loop.drain();
      } finally {
        stopped = wasStopped;
      }
    },
    halt,
    async stop(): Promise<void> {
      halt();
      await loop.settled();
    },
  };
}

export type HelpdeskWorker = ReturnType<typeof createHelpdeskWorker>;
