-- A run started with `lms-sync reconcile --backfill` lifts the safety brake for itself only; the run's
-- record says so, with what the brake would have held (null: the brake was in force).
ALTER TABLE reconcile_runs ADD COLUMN brake_lifted text;
