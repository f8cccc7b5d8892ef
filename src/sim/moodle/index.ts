// The bundled Moodle simulator: Moodle's REST web services in memory (the functions the `moodle`
// adapter calls, with Moodle's encodings, error objects and rules), with failure injection, for tests,
// the demo and `lms-sync sim moodle --port P [--fail-rate R]`.
import { listenLocally } from '../listen';
import { createMoodleSimApp, type MoodleSimAppOptions } from './app';
import { MoodleSimState, type MoodleSimStateOptions } from './state';

export { createMoodleSimApp, MOODLE_REST_PATH, type MoodleSimAppOptions } from './app';
export { decodeMoodleForm, listOf, MAX_FORM_PAIRS, type FormTree } from './form';
export {
  MoodleSimException,
  MoodleSimState,
  STUDENT_ROLE_ID,
  type MoodleSimCourse,
  type MoodleSimDuplicate,
  type MoodleSimStateOptions,
  type MoodleSimUser,
} from './state';

export interface StartMoodleSimOptions extends MoodleSimStateOptions, Omit<MoodleSimAppOptions, 'site'> {
  /** 0 (the default) picks a free port; read it back from `url` */
  port?: number;
  /** default 127.0.0.1: the simulator is for local use */
  host?: string;
  // Inherited: token (the wstoken clients must send), allowedFunctions, courses, failRate / failStatus
  // (HTTP 503 before anything is done), latencyMs, seed.
}

export interface RunningMoodleSim {
  /** the site's address, e.g. http://127.0.0.1:41234 (MOODLE_URL) */
  url: string;
  state: MoodleSimState;
  close(): Promise<void>;
}

export async function startMoodleSim(options: StartMoodleSimOptions): Promise<RunningMoodleSim> {
  if (!options.token) throw new Error('the Moodle simulator needs a token (MOODLE_TOKEN)');
  const state = new MoodleSimState(options);
  const app = createMoodleSimApp(state, options);
  const { url, close } = await listenLocally(app, options.port, options.host);
  return { url, state, close };
}
