// The rest adapter against the bundled LMS simulator.
import { createRestLmsAdapter } from '../../../../src/lms/rest-adapter';
import { silentLogger } from '../../../../src/observability/logger';
import { simAndAdapter, TOKEN } from '../fixtures';
import type { ContractSubject } from './subject';

export const restSubject: ContractSubject = {
  name: 'rest',
  takesStudentsWithoutEmail: true,
  async start() {
    const timeoutMs = 300;
    const env = await simAndAdapter({}, timeoutMs);
    const { state } = env.sim;
    const refused: Array<{ close(): void }> = [];
    return {
      lms: env.lms,
      secret: TOKEN,
      courseCode: 'PY-K12',
      timeoutMs,
      refused() {
        const lms = createRestLmsAdapter({
          baseUrl: env.sim.url,
          apiToken: 'a-token-the-lms-refuses',
          timeoutMs,
          log: silentLogger(),
        });
        refused.push(lms);
        return lms;
      },
      async seed(courseCode, n) {
        for (let i = 1; i <= n; i += 1)
          state.enrollments.upsert(
            courseCode,
            `odoo-partner-${90000 + i}`,
            { email: `seeded.${i}@example.com`, fullName: `Seeded ${i}` },
            { orderId: 90000 + i, orderName: `S${90000 + i}` },
          );
      },
      async held(courseCode, studentId) {
        return {
          count: state.creationCount(courseCode, studentId),
          status: state.enrollment(courseCode, studentId)?.status,
        };
      },
      failNext: () => state.failNext(1, 503),
      slow: () => state.setLatency(timeoutMs * 4),
      async stop() {
        refused.forEach((lms) => lms.close());
        await env.stop();
      },
    };
  },
};
