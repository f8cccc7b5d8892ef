-- A dead letter whose helpdesk problem cannot be saved is tried again later and later (report_due_at),
-- so rows that keep failing never hold the sweep's places that genuine ones need. Until a first failure
-- a row is due a minute after it was created (the consumer reports it at once; the sweep catches a miss).
-- The unreported rows are few: the partial index dead_letters_unreported still serves the sweep.
ALTER TABLE dead_letters ADD COLUMN report_failures integer NOT NULL DEFAULT 0;
ALTER TABLE dead_letters ADD COLUMN report_due_at timestamptz;
