// Whichever LMS a run simulates, seen the same way: the demo and the end-to-end tests start the simulator
// of the adapter they run with (`startSimulatedLms`) and check what it holds through this face, so the
// same run proves "enrolled exactly once" for every LMS_ADAPTER.
import type { LmsAdapterName } from '../../config';
import type { OdooSim } from '../odoo';
import { startLmsSim, type DuplicateReport, type RunningLmsSim } from '../lms';
import { startMoodleSim } from '../moodle';
import { simulatedOdooElearning } from './odoo-elearning';

export interface SimulatedLms {
  readonly adapter: LmsAdapterName;
  /** what points the service at it: LMS_ADAPTER and that adapter's own settings */
  readonly settings: Record<string, string>;
  /** enrollments created, ever (re-creations after a hand deletion included) */
  createdCount(): number;
  hasCourse(courseCode: string): boolean;
  /** how often (course, student) was created, hand deletions not subtracted */
  creationCount(courseCode: string, studentId: string): number;
  /** the enrollment's status in the LMS's words mapped to the contract's (active, suspended), if any */
  status(courseCode: string, studentId: string): string | undefined;
  /** every (course, student) created more than once, with the hand deletions between */
  duplicates(): DuplicateReport[];
  /** removes an enrollment as an LMS administrator would, behind the service's back */
  deleteEnrollment(courseCode: string, studentId: string): boolean;
  /** the share of calls (0..1) the LMS fails with its kind of server error, from now on */
  setFailRate(rate: number): void;
  close(): Promise<void>;
}

export interface SimulatedLmsOptions {
  /** the probability 0..1 of a server error on each call (default 0) */
  failRate?: number;
  /** PRNG seed for the failure draws */
  seed?: number;
  /** the Odoo simulator of the run: the odoo-elearning LMS lives in it */
  odoo: OdooSim;
}

export async function startSimulatedLms(
  adapter: LmsAdapterName,
  options: SimulatedLmsOptions,
): Promise<SimulatedLms> {
  switch (adapter) {
    case 'rest':
      return startRest(options);
    case 'moodle':
      return startMoodle(options);
    case 'odoo-elearning':
      return simulatedOdooElearning(options.odoo, options);
  }
}

async function startRest(options: SimulatedLmsOptions): Promise<SimulatedLms> {
  const token = 'sim-lms-token';
  const sim = await startLmsSim({ port: 0, apiToken: token, failRate: options.failRate, seed: options.seed });
  return simulatedRest(sim, token);
}

async function startMoodle(options: SimulatedLmsOptions): Promise<SimulatedLms> {
  const token = 'sim-moodle-token';
  const sim = await startMoodleSim({ port: 0, token, failRate: options.failRate, seed: options.seed });
  const { state } = sim;
  return {
    adapter: 'moodle',
    settings: { LMS_ADAPTER: 'moodle', MOODLE_URL: sim.url, MOODLE_TOKEN: token },
    createdCount: () => state.createdCount,
    hasCourse: (code) => state.courseByCode(code) !== undefined,
    creationCount: (code, student) => state.creationCount(code, student),
    status: (code, student) => state.status(code, student),
    duplicates: () => state.duplicates(),
    deleteEnrollment: (code, student) => state.deleteEnrollment(code, student),
    setFailRate: (rate) => state.setFailRate(rate),
    close: () => sim.close(),
  };
}

/** A running rest LMS simulator seen through this face (the end-to-end harness starts its own). */
export function simulatedRest(sim: RunningLmsSim, token: string): SimulatedLms {
  const { state } = sim;
  return {
    adapter: 'rest',
    settings: { LMS_ADAPTER: 'rest', LMS_BASE_URL: sim.url, LMS_API_TOKEN: token },
    createdCount: () => state.createdCount,
    hasCourse: (code) => state.course(code) !== undefined,
    creationCount: (code, student) => state.creationCount(code, student),
    status: (code, student) => state.enrollment(code, student)?.status,
    duplicates: () => state.duplicates(),
    deleteEnrollment: (code, student) => state.deleteEnrollment(code, student),
    setFailRate: (rate) => state.setFailRate(rate),
    close: () => sim.close(),
  };
}
