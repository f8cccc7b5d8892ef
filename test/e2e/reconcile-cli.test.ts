// `lms-sync reconcile` in-process: its JSON output and its exit codes (0 clean, 1 findings left).
import { runReconcileCli } from '../../src/cli/reconcile';
import { createLogger } from '../../src/observability/logger';
import { startHarness, type Harness } from '../support/harness';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';

jest.setTimeout(60_000);

describe('lms-sync reconcile', () => {
  let h: Harness;
  let out: string[];
  let spy: jest.SpyInstance;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());
  beforeEach(() => {
    out = [];
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
  });
  afterEach(() => spy.mockRestore());

  it('exits 0 with a JSON report when Odoo and the LMS agree', async () => {
    const code = await runReconcileCli(h.config, { dryRun: true, json: true, full: true, since: null });
    expect(code).toBe(0);
    const report = JSON.parse(out.join(''));
    expect(report).toMatchObject({
      schema: 'reconciliation-report/v1',
      run: { status: 'succeeded', dryRun: true, mode: 'full' },
    });
  });

  it('exits 1 when a finding is left for a person, and prints a summary without --json', async () => {
    paidOrder(h.odoo, makeStudent(h.odoo), [makeCourse(h.odoo, 'UNKNOWN-TO-LMS')]);
    // the run holds (the LMS lists no enrollments) and logs that as an error: captured here, not printed
    const logs: string[] = [];
    const log = createLogger('info', { output: { write: (line) => logs.push(line) } });
    const code = await runReconcileCli(
      h.config,
      { dryRun: true, json: false, full: true, since: null },
      { log },
    );
    expect(code).toBe(1);
    const lines = logs.map((l) => JSON.parse(l) as { level: string; message: string });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'reconciliation held its repairs' }),
    );
    // it says what starts, and where it reads from; no "service started" with no roles
    expect(lines[0]).toMatchObject({
      message: 'reconcile run starting',
      odoo: h.config.ODOO_URL.replace(/\/$/, ''),
      queuePrefix: h.queuePrefix,
    });
    expect(lines.map((l) => l.message)).not.toContain('service started');
    const text = out.join('');
    expect(text).toMatch(/findings: 1 \(course_unmapped 1\)/);
    expect(text).toMatch(/report: GET \/admin\/reconciliations\/\d+\.html/);
  });
});
