// The bundled LMS simulator: serves the LMS contract (README, "The LMS contract (`rest`)") in memory, with
// failure injection, for tests, the demo, benchmarks and `lms-sync sim lms --port P [--fail-rate R]`.
import { listenLocally } from '../listen';
import { createLmsSimApp } from './app';
import { LmsSimState, type LmsSimStateOptions } from './state';

export { createLmsSimApp, type LmsSimAppOptions } from './app';
export {
  DEFAULT_COURSES,
  LmsSimState,
  type LmsSimStateOptions,
  type NotFoundStyle,
  type SimCourse,
} from './state';
export { FaultInjector, type AfterCommitMode, type FaultOptions, type InjectedFailure } from './faults';
export type { CreationRecord, DuplicateReport, SimEnrollment } from './enrollment-store';

export interface StartLmsSimOptions extends LmsSimStateOptions {
  /** The bearer token clients must send (the CLI passes LMS_API_TOKEN). */
  apiToken: string;
  /** 0 (the default) picks a free port; read it back from `url`. */
  port?: number;
  /** Default 127.0.0.1: the simulator is for local use. */
  host?: string;
  // Inherited, all optional:
  //   courses              the catalogue (default DEFAULT_COURSES: the catalogue the Odoo simulator sells from)
  //   failRate / failStatus  probability 0..1 of answering failStatus (default 503) before doing anything
  //   failAfterCommitRate  probability 0..1 that a successful write is committed, then answered with 503
  //                        (failAfterCommitMode 'status') or a dropped connection ('drop')
  //   latencyMs            delay before every /api answer
  //   notFoundStyle        'specific' (default: 404 unknown_course / not_enrolled) or 'generic' (404
  //                        not_found for both, like many other LMSes)
  //   seed                 PRNG seed for the failure draws (default 1: deterministic)
}

export interface RunningLmsSim {
  /** Base URL, e.g. http://127.0.0.1:41234 (the API is under /api/v1). */
  url: string;
  state: LmsSimState;
  close(): Promise<void>;
}

export async function startLmsSim(options: StartLmsSimOptions): Promise<RunningLmsSim> {
  if (!options.apiToken) throw new Error('the LMS simulator needs an apiToken (LMS_API_TOKEN)');
  const state = new LmsSimState(options);
  const app = createLmsSimApp(state, { apiToken: options.apiToken });
  const { url, close } = await listenLocally(app, options.port, options.host);
  return { url, state, close };
}
