// The alert rules, checked and unit-tested by Prometheus's own promtool (Debian's prometheus package;
// scripts/ensure-services.sh installs it for `npm test`).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const dir = path.resolve(__dirname, '../../../deploy/prometheus');
const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';

function promtool(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(PROMTOOL, args, { cwd: dir, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

describe('deploy/prometheus/alerts.yml', () => {
  beforeAll(() => {
    if (!existsSync(PROMTOOL)) {
      throw new Error(`${PROMTOOL} is missing: install Debian's prometheus (apt-get install -y prometheus)`);
    }
  });

  it('passes promtool check rules', async () => {
    const r = await promtool('check', 'rules', 'alerts.yml');
    expect(r.out).toContain('SUCCESS: 8 rules found');
    expect(r.code).toBe(0);
  });

  it('passes its unit tests (promtool test rules), one or more per alert', async () => {
    const r = await promtool('test', 'rules', 'alerts.test.yml');
    expect(r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });
});
