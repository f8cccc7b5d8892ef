-- Helpdesk write-back: one row per ticket we opened (one OPEN ticket per problem fingerprint), and the
-- queue of Odoo writes for them, so an unreachable Odoo delays ticket writes but never drops or
-- duplicates them.

CREATE TABLE helpdesk_tickets (
  id                 bigserial PRIMARY KEY,
  fingerprint        text NOT NULL,
  kind               text NOT NULL,
  cause              text NOT NULL CHECK (cause IN ('system', 'data')),
  source             text NOT NULL,
  order_id           integer,
  order_name         text,
  course_code        text,
  student_id         text,
  state              text NOT NULL CHECK (state IN ('open', 'closed')),
  marker             text NOT NULL UNIQUE,
  odoo_ticket_id     integer,
  odoo_reference     text,
  priority           text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  initial_priority   text NOT NULL,
  team               text NOT NULL,
  tags               text[] NOT NULL DEFAULT '{}',
  priority_since     timestamptz NOT NULL DEFAULT now(),
  escalated_to       text[] NOT NULL DEFAULT '{}',
  blocked_since      timestamptz,
  recurrences        integer NOT NULL DEFAULT 0,
  last_seen_at       timestamptz NOT NULL DEFAULT now(),
  previous_ticket_id bigint REFERENCES helpdesk_tickets (id),
  order_noted        boolean NOT NULL DEFAULT false,
  opened_at          timestamptz NOT NULL DEFAULT now(),
  closed_at          timestamptz,
  closed_by          text CHECK (closed_by IN ('service', 'person'))
);
CREATE UNIQUE INDEX helpdesk_one_open_ticket ON helpdesk_tickets (fingerprint) WHERE state = 'open';
CREATE INDEX helpdesk_open_by_order ON helpdesk_tickets (order_id) WHERE state = 'open';
CREATE INDEX helpdesk_tickets_fingerprint ON helpdesk_tickets (fingerprint, id DESC);

CREATE TABLE helpdesk_commands (
  id              bigserial PRIMARY KEY,
  ticket_row_id   bigint NOT NULL REFERENCES helpdesk_tickets (id),
  command         text NOT NULL CHECK (command IN ('open', 'recur', 'escalate', 'close')),
  payload         jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  attempts        integer NOT NULL DEFAULT 0,
  last_error      text,
  done_at         timestamptz
);
CREATE INDEX helpdesk_commands_due ON helpdesk_commands (next_attempt_at, id) WHERE done_at IS NULL;
CREATE INDEX helpdesk_commands_ticket ON helpdesk_commands (ticket_row_id, id) WHERE done_at IS NULL;
