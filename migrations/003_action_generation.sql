-- A reconcile repair may redo an action that succeeded once but whose result the LMS lost (an
-- enrollment removed by hand). Each redo is a new generation with its own LMS Idempotency-Key, since
-- the LMS would otherwise replay its stored answer for the old key and create nothing.
ALTER TABLE enrollment_actions ADD COLUMN generation integer NOT NULL DEFAULT 1;
