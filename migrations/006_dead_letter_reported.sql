-- A dead letter becomes a helpdesk problem; reported_at says it did, so one missed in a crash between
-- the two writes is found and reported by the sweep.
ALTER TABLE dead_letters ADD COLUMN reported_at timestamptz;
UPDATE dead_letters SET reported_at = created_at;
CREATE INDEX dead_letters_unreported ON dead_letters (created_at) WHERE reported_at IS NULL;
