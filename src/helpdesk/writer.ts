// Writes Helpdesk tickets over an OdooTransport for either flavor; model and field names come from flavors.ts.
// Faults (OdooFault, permanent) and TransientError propagate unchanged: the caller queues and retries.

import { PermanentError } from '../lib';
import type { Logger } from '../observability';
import { createChatter, type ChatterNote, type PostOptions } from '../odoo';
import type { OdooTransport } from '../odoo';
import { detectFlavor } from './detect';
import { odooRecordLink } from '../odoo';
import {
  FLAVORS,
  priorityFromOdoo,
  referenceOf,
  ticketCreateVals,
  type FlavorName,
  type HelpdeskFlavor,
} from './flavors';
import type { Priority } from './rules';

export type { Priority } from './rules';

export interface TicketDraft {
  title: string;
  descriptionHtml: string;
  partner: { id: number; name: string; email: string | null } | null;
  /** team NAME; created when missing (cached) */
  team: string;
  priority: Priority;
  /** tag NAMES; created when missing (cached per process) */
  tags: string[];
  /** a short unique token put in the ticket name, e.g. "[lms-sync 3f9a2c1b]" */
  marker: string;
}

export interface TicketState {
  exists: boolean;
  closed: boolean;
  priority: Priority | null;
  reference: string | null;
}

export interface OpenedTicket {
  ticketId: number;
  created: boolean;
  reference: string | null;
}

export interface HelpdeskWriter {
  /** Idempotent: first searches for a ticket whose name contains the marker (active_test false); creates only if none. */
  open(draft: TicketDraft): Promise<OpenedTicket>;
  /** a plain-text internal note (mail.mt_note), posted once per key (also when `retried`) */
  note(ticketId: number, note: ChatterNote, options?: PostOptions): Promise<void>;
  setPriority(ticketId: number, priority: Priority): Promise<void>;
  addTags(ticketId: number, tags: string[]): Promise<void>;
  /** note, then the first (lowest sequence) stage flagged closed; never chosen by name */
  close(ticketId: number, note: ChatterNote, options?: PostOptions): Promise<void>;
  /** a missing id reads as exists false */
  state(ticketId: number): Promise<TicketState>;
  /** the team's id by name (created when missing, cached) */
  teamId(name: string): Promise<number>;
  /** sets the ticket's assignee (user_id) */
  assign(ticketId: number, userId: number): Promise<void>;
  /** which flavor is installed, for a start-up warning when HELPDESK_FLAVOR disagrees */
  detect(): Promise<FlavorName | 'none'>;
  /** link into Odoo's web client, given ODOO_URL */
  url(baseUrl: string, ticketId: number): string;
}

export interface HelpdeskWriterDeps {
  transport: OdooTransport;
  flavor: FlavorName;
  log: Logger;
}

/** Concurrent callers share one lookup; a failed one is forgotten so that the next call asks Odoo again. */
function lookupCache<T>(): (key: string, load: () => Promise<T>) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key, load) => {
    const cached = cache.get(key);
    if (cached) return cached;
    const pending = load();
    cache.set(key, pending);
    pending.catch(() => {
      if (cache.get(key) === pending) cache.delete(key);
    });
    return pending;
  };
}

/** `=ilike` takes a SQL pattern: a tag such as `course_unmapped` must not match `courseXunmapped`. */
export function exactPattern(name: string): string {
  return name.replace(/[\\%_]/g, '\\$&');
}

const NO_ARCHIVE_FILTER = { context: { active_test: false } };

// On OCA, creating tags and teams needs group_helpdesk_manager: without it the create is Fault 4
// (docs/odoo.md).
async function findOrCreateByName(
  transport: OdooTransport,
  log: Logger,
  model: string,
  name: string,
): Promise<number> {
  const domain = [['name', '=ilike', exactPattern(name)]];
  const [found] = await transport.executeKw<number[]>(model, 'search', [domain], {
    limit: 1,
    order: 'id asc',
  });
  if (found !== undefined) return found;
  const id = await transport.executeKw<number>(model, 'create', [{ name }]);
  log.info('helpdesk record created', { model, name, id });
  return id;
}

async function findClosedStage(transport: OdooTransport, flavor: HelpdeskFlavor): Promise<number> {
  const [id] = await transport.executeKw<number[]>(flavor.stageModel, 'search', [flavor.closedStageDomain], {
    limit: 1,
    order: 'sequence asc, id asc',
  });
  if (id !== undefined) return id;
  throw new PermanentError(
    'helpdesk_no_closed_stage',
    `No ${flavor.stageModel} matches ${JSON.stringify(flavor.closedStageDomain)}: flag a stage as closing in ` +
      'Odoo Helpdesk (the service finds it by that flag, never by its name)',
  );
}

/** Team, tag and closed-stage ids, looked up once per process. */
function createLookups(transport: OdooTransport, flavor: HelpdeskFlavor, log: Logger) {
  const teams = lookupCache<number>();
  const tags = lookupCache<number>();
  const stages = lookupCache<number>();
  return {
    teamId: (name: string) => teams(name, () => findOrCreateByName(transport, log, flavor.teamModel, name)),
    // Tag names compare case-insensitively (=ilike), so "lms" already in Odoo serves for "LMS".
    tagIds(names: string[]): Promise<number[]> {
      const unique = [...new Map(names.map((n) => [n.toLowerCase(), n])).entries()];
      return Promise.all(
        unique.map(([key, name]) =>
          tags(key, () => findOrCreateByName(transport, log, flavor.tagModel, name)),
        ),
      );
    },
    closedStageId: () => stages('closed', () => findClosedStage(transport, flavor)),
  };
}

export function createHelpdeskWriter(deps: HelpdeskWriterDeps): HelpdeskWriter {
  const { transport, log } = deps;
  const flavor: HelpdeskFlavor = FLAVORS[deps.flavor];
  const lookups = createLookups(transport, flavor, log);
  const opening = new Map<string, Promise<OpenedTicket>>();
  const call = <T>(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>) =>
    transport.executeKw<T>(model, method, args, kwargs);

  async function openOnce(draft: TicketDraft): Promise<OpenedTicket> {
    // archived tickets count too: a person archiving it must not make us open a twin
    const [found] = await call<Record<string, unknown>[]>(
      flavor.ticketModel,
      'search_read',
      [[['name', 'ilike', draft.marker]]],
      { fields: [flavor.referenceField], limit: 1, order: 'id asc', ...NO_ARCHIVE_FILTER },
    );
    if (found) return { ticketId: found.id as number, created: false, reference: referenceOf(flavor, found) };
    const [team, tags] = await Promise.all([lookups.teamId(draft.team), lookups.tagIds(draft.tags)]);
    const vals = ticketCreateVals(flavor, draft, { team, tags });
    const ticketId = await call<number>(flavor.ticketModel, 'create', [vals]);
    const [rec] = await call<Record<string, unknown>[]>(flavor.ticketModel, 'read', [[ticketId]], {
      fields: [flavor.referenceField],
    });
    log.info('helpdesk ticket created', { ticketId, marker: draft.marker, team: draft.team });
    return { ticketId, created: true, reference: referenceOf(flavor, rec) };
  }

  const chatter = createChatter(transport);
  const note = (ticketId: number, text: ChatterNote, options?: PostOptions) =>
    chatter.post(flavor.ticketModel, ticketId, text, options);

  const write = (ticketId: number, vals: Record<string, unknown>) =>
    call<boolean>(flavor.ticketModel, 'write', [[ticketId], vals]).then(() => undefined);

  return {
    open(draft) {
      // two concurrent opens of one marker would both miss the search and create twins: share the first
      const inFlight = opening.get(draft.marker);
      if (inFlight) return inFlight.then((opened) => ({ ...opened, created: false }));
      const pending = openOnce(draft).finally(() => opening.delete(draft.marker));
      opening.set(draft.marker, pending);
      return pending;
    },
    note,
    setPriority: (ticketId, priority) => write(ticketId, { priority: flavor.priority[priority] }),
    async addTags(ticketId, names) {
      const ids = await lookups.tagIds(names);
      await write(ticketId, { tag_ids: ids.map((id) => [4, id, 0]) });
    },
    async close(ticketId, text, options) {
      // the stage first: without one we fail before posting a note a retry would post again
      const stageId = await lookups.closedStageId();
      await note(ticketId, text, options);
      // OCA stamps closed_date and Enterprise close_date themselves when the stage closes
      await write(ticketId, { stage_id: stageId });
    },
    teamId: (name) => lookups.teamId(name),
    assign: (ticketId, userId) => write(ticketId, { user_id: userId }),
    state: (ticketId) => readState(transport, flavor, ticketId),
    detect: () => detectFlavor(transport),
    url: (baseUrl, ticketId) => odooRecordLink(baseUrl, flavor.ticketModel, ticketId),
  };
}

async function readState(
  transport: OdooTransport,
  flavor: HelpdeskFlavor,
  ticketId: number,
): Promise<TicketState> {
  const fields = [flavor.ticketClosedField, 'priority', flavor.referenceField];
  // read of a missing id answers [] rather than a Fault (facts, Odoo side)
  const [rec] = await transport.executeKw<Record<string, unknown>[]>(
    flavor.ticketModel,
    'read',
    [[ticketId]],
    {
      fields,
    },
  );
  if (!rec) return { exists: false, closed: false, priority: null, reference: null };
  return {
    exists: true,
    closed: rec[flavor.ticketClosedField] === true,
    priority: priorityFromOdoo(flavor, rec.priority),
    reference: referenceOf(flavor, rec),
  };
}
