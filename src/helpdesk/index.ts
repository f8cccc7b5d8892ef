// The helpdesk capability wired in one place: tickets (PostgreSQL), the Odoo writer, the worker that
// carries queued writes to Odoo, the SLA escalation schedule, and the hooks the spine calls.
import cron, { type ScheduledTask } from 'node-cron';
import type { Pool } from 'pg';
import { errorMessage } from '../lib';
import type { OdooGateway } from '../odoo';
import type { OdooTransport } from '../odoo';
import type { Logger } from '../observability';
import { createAssigner } from './assigner';
import { FLAVORS, type FlavorName } from './flavors';
import { createHelpdeskHooks } from './hooks';
import { createPeople } from './people';
import type { Priority } from './rules';
import { createTickets } from './tickets';
import { createHelpdeskWorker } from './worker';
import { createHelpdeskWriter } from './writer';

/** What the helpdesk needs to know, built by the composition root from the environment. */
export interface HelpdeskSettings {
  flavor: FlavorName;
  teams: { system: string; data: string };
  urgentAfterHours: number;
  /** paid seats without a learner this many days become a ticket (default 14) */
  seatsTicketAfterDays?: number;
  slaHours: Record<Priority, number>;
  odooUrl: string;
  assignment: {
    /** lower-case logins or ids of people who are out */
    outUsers: string[];
    /** team name → leader's login or id */
    teamLeaders: Record<string, string>;
    reassignAfterHours: Record<Priority, number>;
  };
}

export function createHelpdesk(deps: {
  settings: HelpdeskSettings;
  pool: Pool;
  transport: OdooTransport;
  odoo: OdooGateway;
  log: Logger;
}) {
  const { settings, pool, log } = deps;
  const writer = createHelpdeskWriter({ transport: deps.transport, flavor: settings.flavor, log });
  let wake = () => undefined as void;
  const tickets = createTickets({
    pool,
    policy: {
      teams: settings.teams,
      urgentAfterHours: settings.urgentAfterHours,
      slaHours: settings.slaHours,
      reassignAfterHours: settings.assignment.reassignAfterHours,
      odooUrl: settings.odooUrl,
    },
    wake: () => wake(),
  });
  const assigner = createAssigner({
    writer,
    people: createPeople(deps.transport, FLAVORS[settings.flavor]),
    policy: { ...settings.assignment, slaHours: settings.slaHours },
    log,
  });
  const worker = createHelpdeskWorker({
    pool,
    writer,
    transport: deps.transport,
    odoo: deps.odoo,
    tickets,
    assigner,
    log,
    odooUrl: settings.odooUrl,
  });
  wake = () => worker.wake();
  const hooks = createHelpdeskHooks({
    pool,
    tickets,
    log,
    urgentAfterHours: settings.urgentAfterHours,
    ...(settings.seatsTicketAfterDays !== undefined
      ? { seatsTicketAfterDays: settings.seatsTicketAfterDays }
      : {}),
  });
  let sla: ScheduledTask | null = null;
  let sweep: NodeJS.Timeout | null = null;

  async function escalate(): Promise<number> {
    const n = await tickets.escalateOverdue();
    if (n > 0) log.info('helpdesk tickets escalated past their SLA', { escalated: n });
    return n;
  }

  /** Queues a check of each ticket whose assignee's period is over (the worker reassigns if untouched). */
  async function reassign(): Promise<number> {
    const n = await tickets.queueReassignments();
    if (n > 0) log.info('helpdesk tickets checked for reassignment', { queued: n });
    return n;
  }

  /** Every timer stops at once: no Odoo write is started after this. */
  function halt(): void {
    sla?.stop();
    sla = null;
    if (sweep) clearInterval(sweep);
    sweep = null;
    worker.halt();
  }

  return {
    tickets,
    worker,
    hooks,
    writer,
    escalate,
    reassign,
    /** Carries queued writes to Odoo (any replica may: commands are claimed with SKIP LOCKED). */
    startWorker(): void {
      worker.start();
      sweep = setInterval(() => {
        hooks
          .reportUnreported()
          .catch((err: unknown) => log.warn('dead-letter sweep failed', { error: errorMessage(err) }));
      }, 60_000);
      writer
        .detect()
        .then((found) => {
          if (found !== settings.flavor) {
            log.warn('HELPDESK_FLAVOR does not match the helpdesk installed in Odoo', {
              configured: settings.flavor,
              found,
            });
          }
        })
        .catch((err: unknown) =>
          log.warn('could not check the installed helpdesk flavor', { error: errorMessage(err) }),
        );
    },
    /** Every 5 minutes: escalate tickets open past their SLA, then queue reassignment checks (scheduler role). */
    startSla(): void {
      sla = cron.schedule(
        '*/5 * * * *',
        () =>
          void escalate()
            .catch((err: unknown) => log.error('SLA escalation failed', { error: errorMessage(err) }))
            .then(reassign)
            .catch((err: unknown) => log.error('reassignment check failed', { error: errorMessage(err) })),
      );
    },
    halt,
    async stop(): Promise<void> {
      halt();
      await worker.stop();
    },
  };
}

export type Helpdesk = ReturnType<typeof createHelpdesk>;
export { detectFlavor } from './detect';
export { type HelpdeskFlavor } from './flavors';
export { parsePriorityHours, parseSla } from './rules';
export { parseTeamLeaders, parseUserList } from './assignment-settings';
export { helpdeskSummary, type HelpdeskSummary } from './summary';
export { helpdeskHealth } from './tickets';
export { loadTicketRefs } from './ticket-refs';
export { assignmentReadiness, type AssignmentReadiness, type AssignmentSettings } from './readiness';
