-- Assignment by workload: who holds each of our open tickets and since when, when to look again whether
-- they have touched it (reassignment), and every assignment made, for "least recently assigned".

ALTER TABLE helpdesk_tickets
  ADD COLUMN assignee_user_id    integer,
  ADD COLUMN assignee_partner_id integer,
  ADD COLUMN assignee_name       text,
  ADD COLUMN assigned_at         timestamptz,
  ADD COLUMN reassign_due_at     timestamptz,
  ADD COLUMN reassignments       integer NOT NULL DEFAULT 0;
CREATE INDEX helpdesk_reassign_due ON helpdesk_tickets (reassign_due_at)
  WHERE state = 'open' AND assignee_user_id IS NOT NULL;

CREATE TABLE helpdesk_assignments (
  id            bigserial PRIMARY KEY,
  ticket_row_id bigint NOT NULL REFERENCES helpdesk_tickets (id),
  odoo_user_id  integer NOT NULL,
  reason        text NOT NULL CHECK (reason IN ('leader', 'workload')),
  reassigned    boolean NOT NULL DEFAULT false,
  assigned_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX helpdesk_assignments_user ON helpdesk_assignments (odoo_user_id, assigned_at DESC);

ALTER TABLE helpdesk_commands DROP CONSTRAINT helpdesk_commands_command_check;
ALTER TABLE helpdesk_commands ADD CONSTRAINT helpdesk_commands_command_check
  CHECK (command IN ('open', 'recur', 'escalate', 'close', 'reassign'));
