-- The data-quality checks each reconciliation runs on Odoo (read-only): per run and check, how many rows
-- it found, a few examples (record ids, order names, masked emails) and why it could not run, if so.
CREATE TABLE reconcile_data_quality (
  run_id   bigint NOT NULL REFERENCES reconcile_runs (id) ON DELETE CASCADE,
  check_name text NOT NULL,
  found    integer NOT NULL,
  examples jsonb NOT NULL DEFAULT '[]',
  error    text,
  PRIMARY KEY (run_id, check_name)
);
