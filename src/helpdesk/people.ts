// What assignment reads and writes in Odoo besides the ticket: a team's members and leader, their open
// tickets, whether an assignee has touched a ticket, and To-Do activities scheduled for them.
import { PermanentError } from '../lib';
import { odooDatetime, type OdooTransport } from '../odoo';
import type { HelpdeskFlavor } from './flavors';
import { exactPattern } from './writer';

export interface OdooUser {
  id: number;
  login: string;
  name: string;
  active: boolean;
  partnerId: number | null;
}

export interface ActivityDraft {
  userId: number;
  /** "YYYY-MM-DD" */
  deadline: string;
  summary: string;
  note: string;
}

type Row = Record<string, unknown>;

const m2oId = (v: unknown): number | null => (Array.isArray(v) && typeof v[0] === 'number' ? v[0] : null);
const ALL_USERS = { context: { active_test: false } };

/** The res.users domain of a user named by login or id, as HELPDESK_TEAM_LEADERS and HELPDESK_OUT_USERS do. */
export function userRefDomain(ref: string): unknown[] {
  return /^\d+$/.test(ref) ? [['id', '=', Number(ref)]] : [['login', '=ilike', exactPattern(ref)]];
}

/** The ir.model.data domain of an external id; without a module, any module's. */
export function externalIdDomain(model: string, name: string, module?: string): unknown[] {
  return [['model', '=', model], ['name', '=', name], ...(module ? [['module', '=', module]] : [])];
}

/**
 * What a To-Do on a ticket needs: the ticket's ir.model (ir.model refuses an integration user; its rows'
 * external ids model_<name> are readable by all) and the To-Do activity type.
 */
export function activityExternalIds(flavor: HelpdeskFlavor) {
  return {
    ticketModel: { model: 'ir.model', name: `model_${flavor.ticketModel.replace(/\./g, '_')}` },
    todo: { model: 'mail.activity.type', name: 'mail_activity_data_todo', module: 'mail' },
  } as const;
}

/** "YYYY-MM-DD HH:MM:SS" (UTC, as Odoo sends datetimes) → Date. */
const fromOdooDatetime = (v: string): Date => new Date(`${v.replace(' ', 'T')}Z`);

export function createPeople(transport: OdooTransport, flavor: HelpdeskFlavor) {
  const call = <T>(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>) =>
    transport.executeKw<T>(model, method, args, kwargs);

  // Read with active_test off: read() returns archived users anyway, and the rule must see them as such.
  async function users(ids: number[]): Promise<OdooUser[]> {
    if (ids.length === 0) return [];
    const rows = await call<Row[]>('res.users', 'read', [ids], {
      fields: ['login', 'name', 'active', 'partner_id'],
      ...ALL_USERS,
    });
    return rows.map((r) => ({
      id: r.id as number,
      login: typeof r.login === 'string' ? r.login : '',
      name: typeof r.name === 'string' ? r.name : `User ${String(r.id)}`,
      active: r.active === true,
      partnerId: m2oId(r.partner_id),
    }));
  }

  /** HELPDESK_TEAM_LEADERS names a leader by user id or login. */
  async function userByRef(ref: string): Promise<number | null> {
    if (/^\d+$/.test(ref)) return Number(ref);
    const [id] = await call<number[]>('res.users', 'search', [userRefDomain(ref)], {
      limit: 1,
      ...ALL_USERS,
    });
    return id ?? null;
  }

  // One lookup per process for each external id: they do not change while Odoo runs.
  const xmlIds = new Map<string, Promise<number>>();
  function externalId(model: string, name: string, module?: string): Promise<number> {
    const key = `${module ?? '*'}.${name}`;
    const cached = xmlIds.get(key);
    if (cached) return cached;
    const pending = call<Row[]>('ir.model.data', 'search_read', [externalIdDomain(model, name, module)], {
      fields: ['res_id'],
      limit: 1,
    }).then(([row]) => {
      if (typeof row?.res_id !== 'number') {
        throw new PermanentError('helpdesk_no_external_id', `Odoo has no external id ${key} (${model})`);
      }
      return row.res_id;
    });
    xmlIds.set(key, pending);
    pending.catch(() => xmlIds.delete(key));
    return pending;
  }

  return {
    users,

    /** The team's members and leader (the override first, else the flavor's leader field). */
    async roster(teamId: number, leaderRef: string | undefined) {
      const fields = [flavor.teamMembersField, ...(flavor.teamLeaderField ? [flavor.teamLeaderField] : [])];
      const [team] = await call<Row[]>(flavor.teamModel, 'read', [[teamId]], { fields });
      const memberIds = (team?.[flavor.teamMembersField] as number[] | undefined) ?? [];
      const leaderId = leaderRef
        ? await userByRef(leaderRef)
        : flavor.teamLeaderField
          ? m2oId(team?.[flavor.teamLeaderField])
          : null;
      const people = await users([...new Set([...memberIds, ...(leaderId ? [leaderId] : [])])]);
      return {
        leader: people.find((u) => u.id === leaderId) ?? null,
        members: people.filter((u) => memberIds.includes(u.id)),
        /** members and leader, each once */
        everyone: people,
      };
    },

    /** Who the ticket is assigned to in Odoo now (a person may have changed it), or null. */
    async assigneeOf(ticketId: number): Promise<OdooUser | null> {
      const [row] = await call<Row[]>(flavor.ticketModel, 'read', [[ticketId]], { fields: ['user_id'] });
      const userId = m2oId(row?.user_id);
      return userId === null ? null : ((await users([userId]))[0] ?? null);
    },

    /** Open tickets (any team, ours or not) assigned to each user. */
    async openTickets(userIds: number[]): Promise<Map<number, number>> {
      const counts = await Promise.all(
        userIds.map((id) =>
          call<number>(flavor.ticketModel, 'search_count', [
            [
              ['user_id', '=', id],
              [flavor.ticketClosedField, '=', false],
            ],
          ]),
        ),
      );
      return new Map(userIds.map((id, i) => [id, counts[i] as number]));
    },

    /**
     * The assignee's latest message on the ticket since `since`, or null. A stage change or any edit of
     * a tracked field is logged as a message by its author too, so this sees those as well.
     */
    async lastTouch(ticketId: number, partnerId: number, since: Date): Promise<Date | null> {
      const [row] = await call<Row[]>(
        'mail.message',
        'search_read',
        [
          [
            ['model', '=', flavor.ticketModel],
            ['res_id', '=', ticketId],
            ['author_id', '=', partnerId],
            ['date', '>=', odooDatetime(since)],
          ],
        ],
        { fields: ['date'], order: 'date desc, id desc', limit: 1 },
      );
      return typeof row?.date === 'string' ? fromOdooDatetime(row.date) : null;
    },

    /**
     * A To-Do activity on the ticket for the user, due on `deadline`; idempotent: an identical one
     * already there (an earlier attempt whose answer was lost) is kept instead.
     */
    async scheduleActivity(ticketId: number, a: ActivityDraft): Promise<number> {
      const { ticketModel, todo } = activityExternalIds(flavor);
      const [modelId, todoId] = await Promise.all([
        externalId(ticketModel.model, ticketModel.name),
        externalId(todo.model, todo.name, todo.module),
      ]);
      const vals = {
        res_model_id: modelId,
        res_id: ticketId,
        activity_type_id: todoId,
        user_id: a.userId,
        date_deadline: a.deadline,
        summary: a.summary,
      };
      const domain = Object.entries(vals).map(([k, v]) => [k, '=', v]);
      const [found] = await call<number[]>('mail.activity', 'search', [domain], { limit: 1 });
      if (found !== undefined) return found;
      return call<number>('mail.activity', 'create', [{ ...vals, note: a.note }]);
    },
  };
}

export type People = ReturnType<typeof createPeople>;
