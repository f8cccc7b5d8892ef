// `lms-sync serve` stopped by SIGTERM, as an operator or an orchestrator does: its output stays JSON
// lines to the end, the shutdown itself one of them, and it exits 0.
import { startHarness, type Harness } from '../support/harness';
import { cliEnv } from '../support/cli-env';
import { startServiceProcess } from '../support/service-process';

jest.setTimeout(60_000);

describe('serve on SIGTERM', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ roles: [] });
  });
  afterAll(() => h.stop());

  it('logs the shutdown as a JSON line among the others and exits 0', async () => {
    const service = await startServiceProcess(cliEnv(h));
    expect(await service.stop('SIGTERM')).toBe(0);
    const lines = service
      .output()
      .split('\n')
      .filter((l) => l.trim() !== '');
    const parsed = lines.map((l) => {
      try {
        return JSON.parse(l) as { message: string; signal?: string };
      } catch {
        throw new Error(`not a JSON log line: ${l}`);
      }
    });
    expect(parsed).toContainEqual(expect.objectContaining({ message: 'shutting down', signal: 'SIGTERM' }));
  });
});
