// Odoo 17 Community simulator over real XML-RPC. Start it with startOdooSim; see server.ts for the options.
export { startOdooSim, runOdooSimFromCli, type OdooSim, type OdooSimOptions, type SimCliEnv } from './server';
export { OdooSimStore, CATEGORY, type OrderInput, type OrderLineInput, type SimMessage } from './sim-store';
export { SEED_COURSES } from './seed';
export type { HelpdeskFlavor } from './schema-types';
export { DEFAULT_DB_MAXCONN, type SimLoad } from './db-pool';
export { COURSE_CODE_FIELD, ELEARNING_MODELS } from './schema-slides';
