// The moodle adapter against the bundled Moodle simulator.
import { CALL_RETRY_DELAYS_MS, createMoodleLmsAdapter } from '../../../../src/lms/moodle-adapter';
import { silentLogger } from '../../../../src/observability/logger';
import { startMoodleSim } from '../../../../src/sim/moodle';
import type { ContractSubject } from './subject';

const TOKEN = 'moodle-secret-token-456';

export const moodleSubject: ContractSubject = {
  name: 'moodle',
  // Moodle users need an email of their own: a learner without one is refused unless made by hand
  takesStudentsWithoutEmail: false,
  async start() {
    const timeoutMs = 300;
    const sim = await startMoodleSim({ token: TOKEN });
    const { state } = sim;
    const made: Array<{ close(): void }> = [];
    const adapter = (token: string) => {
      const lms = createMoodleLmsAdapter({
        url: sim.url,
        token,
        studentRoleId: 5,
        timeoutMs,
        log: silentLogger(),
      });
      made.push(lms);
      return lms;
    };
    return {
      lms: adapter(TOKEN),
      secret: TOKEN,
      courseCode: 'PY-K12',
      timeoutMs,
      refused: () => adapter('a-token-moodle-refuses'),
      async seed(courseCode, n) {
        state.seed(courseCode, n);
      },
      async held(courseCode, studentId) {
        return {
          count: state.creationCount(courseCode, studentId),
          status: state.status(courseCode, studentId),
        };
      },
      // the adapter repeats a call that met a server error at once: the error outlasts those repeats
      failNext: () => state.failNext(1 + CALL_RETRY_DELAYS_MS.length, 503),
      slow: () => state.setLatency(timeoutMs * 4),
      async stop() {
        made.forEach((lms) => lms.close());
        await sim.close();
      },
    };
  },
};
