-- The spine: received deliveries (inbox), the outbox, business actions and their attempts, dead letters.

CREATE TABLE webhook_deliveries (
  webhook_id   text PRIMARY KEY,
  event_id     uuid NOT NULL UNIQUE,
  event_type   text NOT NULL,
  body_sha256  bytea NOT NULL,
  payload      jsonb NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per message to publish. Claimed by relays with FOR UPDATE SKIP LOCKED.
CREATE TABLE outbox (
  id            bigserial PRIMARY KEY,
  message_id    uuid NOT NULL UNIQUE,
  event_id      uuid NOT NULL,
  routing_key   text NOT NULL,
  payload       jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  published_at  timestamptz,
  publish_attempts integer NOT NULL DEFAULT 0,
  last_error    text
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_event ON outbox (event_id);

-- Messages the consumer finished (acked or handed on): a redelivery is recognised here.
CREATE TABLE consumed_messages (
  message_id   uuid PRIMARY KEY,
  event_id     uuid NOT NULL,
  outcome      text NOT NULL,
  detail       text,
  finished_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consumed_messages_event ON consumed_messages (event_id);

-- One row per business action: enroll:<orderId>:<courseCode>:<studentId> or suspend:...
CREATE TABLE enrollment_actions (
  business_key      text PRIMARY KEY,
  action            text NOT NULL CHECK (action IN ('enroll', 'suspend')),
  order_id          integer NOT NULL,
  order_name        text NOT NULL,
  course_code       text,
  student_id        text NOT NULL,
  status            text NOT NULL CHECK (status IN ('pending', 'in_progress', 'succeeded', 'failed', 'dead')),
  lease_until       timestamptz,
  attempts          integer NOT NULL DEFAULT 0,
  lms_enrollment_id text,
  lms_status        text,
  last_error_code   text,
  last_error        text,
  first_event_id    uuid NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  completed_at      timestamptz
);
CREATE INDEX enrollment_actions_order ON enrollment_actions (order_id);
CREATE INDEX enrollment_actions_status ON enrollment_actions (status) WHERE status <> 'succeeded';

CREATE TABLE action_attempts (
  id             bigserial PRIMARY KEY,
  business_key   text NOT NULL REFERENCES enrollment_actions (business_key),
  event_id       uuid NOT NULL,
  message_id     uuid NOT NULL,
  attempt        integer NOT NULL,
  outcome        text NOT NULL CHECK (outcome IN ('succeeded', 'transient', 'permanent', 'skipped')),
  error_code     text,
  error          text,
  duration_ms    integer NOT NULL,
  at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX action_attempts_key ON action_attempts (business_key);
CREATE INDEX action_attempts_event ON action_attempts (event_id);

-- What needs a person: permanent failures and exhausted retries, replayable.
CREATE TABLE dead_letters (
  id              bigserial PRIMARY KEY,
  message_id      uuid NOT NULL,
  event_id        uuid NOT NULL,
  business_key    text,
  routing_key     text NOT NULL,
  payload         jsonb NOT NULL,
  reason_code     text NOT NULL,
  reason          text NOT NULL,
  attempts        integer NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  replayed_at     timestamptz,
  replay_message_id uuid
);
CREATE UNIQUE INDEX dead_letters_once ON dead_letters (message_id, coalesce(business_key, ''));
CREATE INDEX dead_letters_open ON dead_letters (created_at) WHERE replayed_at IS NULL;
CREATE INDEX dead_letters_event ON dead_letters (event_id);
