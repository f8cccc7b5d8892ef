// The start-up line: one line names Odoo, the LMS, the database and broker hosts (masked), the roles and
// the queue prefix; a process with no role (the reconcile command) logs no "service started" at all.
import { startService } from '../../src/service';
import { createLogger } from '../../src/observability/logger';
import { startHarness, type Harness } from '../support/harness';

jest.setTimeout(60_000);

type Line = Record<string, unknown> & { message: string };

describe('the start-up line', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ roles: [] });
  });
  afterAll(() => h.stop());

  async function linesOf(roles: Parameters<typeof startService>[1]['roles']): Promise<Line[]> {
    const lines: Line[] = [];
    const log = createLogger('info', { output: { write: (l) => lines.push(JSON.parse(l) as Line) } });
    const config = {
      ...h.config,
      ODOO_URL: h.config.ODOO_URL.replace('http://', 'http://svc:odoo-url-secret@') + '?token=q-secret',
    };
    const service = await startService(config, { log, roles, listen: false });
    await service.stop();
    return lines;
  }

  it('names every endpoint, masked, with the roles and the queue prefix', async () => {
    const lines = await linesOf(['relay']);
    const started = lines.filter((l) => l.message === 'service started');
    expect(started).toHaveLength(1);
    const db = new URL(h.config.DATABASE_URL);
    expect(started[0]).toMatchObject({
      roles: ['relay'],
      odoo: `${h.config.ODOO_URL.replace('http://', 'http://svc@').replace(/\/$/, '')}`,
      odooDatabase: 'odoo',
      lms: `rest ${String(h.config.LMS_BASE_URL).replace(/\/$/, '')}`,
      database: `${db.host}${db.pathname}`,
      broker: new URL(h.config.AMQP_URL).host,
      queuePrefix: h.queuePrefix,
    });
    const text = JSON.stringify(lines);
    for (const secret of ['odoo-url-secret', 'q-secret', 'guest:guest', 'lms-token', 'odoo-key'])
      expect(text).not.toContain(secret);
  });

  it('says nothing of a service starting when the process has no role', async () => {
    const lines = await linesOf([]);
    expect(lines.map((l) => l.message)).not.toContain('service started');
  });
});
