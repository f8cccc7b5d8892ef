-- Reconciliation: runs, the findings of each run, and each problem's life across runs.

CREATE TABLE reconcile_runs (
  id              bigserial PRIMARY KEY,
  status          text NOT NULL CHECK (status IN ('running', 'succeeded', 'held', 'failed')),
  mode            text NOT NULL CHECK (mode IN ('full', 'incremental')),
  dry_run         boolean NOT NULL,
  trigger         text NOT NULL,
  since           timestamptz,
  owner           text NOT NULL,
  started_at      timestamptz NOT NULL DEFAULT now(),
  heartbeat_at    timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  order_lines     integer NOT NULL DEFAULT 0,
  paid_lines      integer NOT NULL DEFAULT 0,
  enrollments     integer NOT NULL DEFAULT 0,
  findings_by_kind jsonb NOT NULL DEFAULT '{}',
  repairs_queued  integer NOT NULL DEFAULT 0,
  healed          integer NOT NULL DEFAULT 0,
  held_reason     text,
  error           text,
  timings_ms      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX reconcile_runs_started ON reconcile_runs (started_at DESC);

CREATE TABLE reconcile_findings (
  run_id          bigint NOT NULL REFERENCES reconcile_runs (id) ON DELETE CASCADE,
  fingerprint     text NOT NULL,
  kind            text NOT NULL,
  order_id        integer,
  order_name      text,
  course_code     text,
  student_id      text,
  email_masked    text,
  enrollment_ids  text[] NOT NULL DEFAULT '{}',
  detail          text NOT NULL,
  action          text NOT NULL,
  repair_event_id uuid,
  PRIMARY KEY (run_id, fingerprint)
);
CREATE INDEX reconcile_findings_kind ON reconcile_findings (run_id, kind);

-- One row per problem fingerprint: first and last seen, and when it healed (time-to-heal).
CREATE TABLE reconcile_problems (
  fingerprint     text PRIMARY KEY,
  kind            text NOT NULL,
  order_id        integer,
  order_name      text,
  course_code     text,
  student_id      text,
  first_seen_at   timestamptz NOT NULL,
  first_seen_run  bigint NOT NULL,
  last_seen_at    timestamptz NOT NULL,
  last_seen_run   bigint NOT NULL,
  seen_runs       integer NOT NULL DEFAULT 1,
  healed_at       timestamptz,
  healed_run      bigint
);
CREATE INDEX reconcile_problems_open ON reconcile_problems (last_seen_run) WHERE healed_at IS NULL;
CREATE INDEX reconcile_problems_healed ON reconcile_problems (healed_run) WHERE healed_at IS NOT NULL;
