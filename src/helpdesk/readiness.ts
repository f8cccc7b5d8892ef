// Whether tickets can be assigned as configured, read from Odoo without writing anything: the teams have
// someone to assign to, every login in HELPDESK_TEAM_LEADERS and HELPDESK_OUT_USERS is a user, and the
// external ids reassignment's To-Do activities need are readable. `lms-sync doctor` reports it.
import type { OdooTransport } from '../odoo';
import { FLAVORS, type FlavorName } from './flavors';
import { activityExternalIds, externalIdDomain, userRefDomain } from './people';

export interface AssignmentSettings {
  teams: { system: string; data: string };
  outUsers: readonly string[];
  teamLeaders: Readonly<Record<string, string>>;
}

export interface AssignmentReadiness {
  /** each configured team and its active members ("exists: false": created at the first ticket, empty) */
  teams: Array<{ name: string; exists: boolean; members: number }>;
  /** what keeps a ticket from being assigned or reassigned as configured, in words */
  problems: string[];
}

type Row = Record<string, unknown>;
const ALL = { context: { active_test: false } };

export async function assignmentReadiness(
  transport: OdooTransport,
  flavorName: FlavorName,
  s: AssignmentSettings,
): Promise<AssignmentReadiness> {
  const flavor = FLAVORS[flavorName];
  const call = <T>(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>) =>
    transport.executeKw<T>(model, method, args, kwargs);
  const problems: string[] = [];

  /** The user a login or id names, archived ones included (the caller says what an archived one means), or null. */
  const userOf = async (ref: string): Promise<Row | null> => {
    const [row] = await call<Row[]>('res.users', 'search_read', [userRefDomain(ref)], {
      fields: ['login', 'active'],
      limit: 1,
      ...ALL,
    });
    return row ?? null;
  };

  const teams: AssignmentReadiness['teams'] = [];
  for (const name of new Set([s.teams.system, s.teams.data])) {
    const [team] = await call<Row[]>(flavor.teamModel, 'search_read', [[['name', '=', name]]], {
      fields: [flavor.teamMembersField],
      limit: 1,
    });
    const memberIds = (team?.[flavor.teamMembersField] as number[] | undefined) ?? [];
    const active = memberIds.length
      ? await call<number[]>('res.users', 'search', [[['id', 'in', memberIds]]], {})
      : [];
    const leader = s.teamLeaders[name];
    teams.push({ name, exists: team !== undefined, members: active.length });
    if (active.length === 0 && leader === undefined)
      problems.push(
        team
          ? `team "${name}" has no active member: its tickets stay unassigned`
          : `team "${name}" does not exist yet: it is created at the first ticket, with nobody to assign to`,
      );
  }
  for (const [team, ref] of Object.entries(s.teamLeaders)) {
    const user = await userOf(ref);
    if (!user) problems.push(`HELPDESK_TEAM_LEADERS names "${ref}" for ${team}: no such Odoo user`);
    else if (user.active !== true)
      problems.push(`HELPDESK_TEAM_LEADERS names "${ref}" for ${team}: archived`);
  }
  for (const ref of s.outUsers)
    if (!(await userOf(ref))) problems.push(`HELPDESK_OUT_USERS names "${ref}": no such Odoo user (a typo?)`);

  // reassignment schedules a To-Do for the new assignee: the activity type and the ticket's ir.model
  const { ticketModel, todo } = activityExternalIds(flavor);
  for (const { model, name, module } of [todo, { ...ticketModel, module: undefined }]) {
    const found = await call<Row[]>('ir.model.data', 'search_read', [externalIdDomain(model, name, module)], {
      fields: ['res_id'],
      limit: 1,
    });
    if (found.length === 0)
      problems.push(
        `no external id ${module ? `${module}.` : ''}${name}: reassignment cannot schedule To-Dos`,
      );
  }
  return { teams, problems };
}
