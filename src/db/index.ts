// What other folders use of db/: imports from outside go through this face.
export { migrate } from './migrate';
export { pendingMigrations } from './pending';
export { createPool } from './pool';
export { inTransaction } from './transaction';
export { CannotCreateDatabase, ensureDatabase, type EnsureOutcome } from './ensure-database';
