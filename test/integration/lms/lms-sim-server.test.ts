import { startLmsSim } from '../../../src/sim/lms';
import { createRestLmsAdapter } from '../../../src/lms/rest-adapter';
import { recordingLogger, TOKEN } from './fixtures';

describe('startLmsSim', () => {
  it('listens on a random local port and serves healthz and the API', async () => {
    const sim = await startLmsSim({ apiToken: TOKEN, courses: [{ courseCode: 'X-1', title: 'X' }] });
    try {
      expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.url).not.toMatch(/:0$/);
      const health = await fetch(`${sim.url}/healthz`);
      expect(health.status).toBe(200);
      const courses = await fetch(`${sim.url}/api/v1/courses`, {
        headers: { Authorization: `Bearer ${TOKEN}` },
      });
      expect(await courses.json()).toEqual({ items: [{ courseCode: 'X-1', title: 'X' }] });
    } finally {
      await sim.close();
    }
  });

  it('closes promptly while a keep-alive client still holds a connection', async () => {
    const sim = await startLmsSim({ apiToken: TOKEN });
    const lms = createRestLmsAdapter({
      baseUrl: sim.url,
      apiToken: TOKEN,
      timeoutMs: 1000,
      log: recordingLogger([]),
    });
    try {
      await lms.ping();
      const started = Date.now();
      await sim.close();
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      lms.close();
    }
  });

  it('refuses to start without a token', async () => {
    await expect(startLmsSim({ apiToken: '' })).rejects.toThrow(/apiToken/);
  });
});
