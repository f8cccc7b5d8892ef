// `lms-sync reconcile` from the sources on a real pseudo-terminal (util-linux `script`): the progress
// line owns the terminal, log lines are printed above it, never glued to it; piped output has no
// escape codes at all.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startHarness, type Harness } from '../support/harness';
import { cliEnv } from '../support/cli-env';

jest.setTimeout(90_000);

const root = path.resolve(__dirname, '../..');
const cli = 'node -r ./test/support/swc-register.js ./src/cli/index.ts reconcile --full --dry-run';
const CLEAR_LINE = '\r\x1b[2K';

interface Ran {
  code: number;
  output: string;
}

async function run(file: string, args: string[], env: Record<string, string>): Promise<Ran> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { cwd: root, env });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe('lms-sync reconcile on a terminal', () => {
  let h: Harness;
  let env: Record<string, string>;
  beforeAll(async () => {
    h = await startHarness({ roles: [], odooOrders: 120, odooLoad: { latencyMs: 20 } });
    env = cliEnv(h, { SHELL: '/bin/sh', TERM: 'xterm', RECONCILE_PAGE_SIZE: '10' });
  });
  afterAll(() => h.stop());

  it('draws a moving percentage and an ETA, and prints every log line above it', async () => {
    const { code, output } = await run('script', ['-qfec', cli, '/dev/null'], env);
    expect(code).toBe(1); // held: the LMS is empty while Odoo has paid orders
    const frames = output.split(CLEAR_LINE);
    const percentages = frames
      .map((f) => /^Odoo read \|[█░]+\| (\d+)%/.exec(f)?.[1])
      .filter((p): p is string => p !== undefined)
      .map(Number);
    expect(percentages.some((p) => p > 0 && p < 100)).toBe(true);
    expect(frames.some((f) => /^Odoo read .* ETA \d+[smh]/.test(f))).toBe(true);
    expect(frames.some((f) => /^LMS read · enrollments \d+ · /.test(f))).toBe(true);
    // every log line starts at column 0 of a line of its own, or right after a line clear (a frame
    // before it erased): what follows the last clear is the whole JSON line, nothing glued to it
    const logLines = output.split(/\r?\n/).filter((l) => l.includes('"level":'));
    expect(logLines.length).toBeGreaterThan(2);
    expect(logLines.some((l) => l.includes(CLEAR_LINE))).toBe(true); // some came while the bar was up
    for (const line of logLines) {
      const text = line.slice(
        line.lastIndexOf(CLEAR_LINE) + 1 && line.lastIndexOf(CLEAR_LINE) + CLEAR_LINE.length,
      );
      expect(text).toMatch(/^\{"/);
      expect(() => JSON.parse(text)).not.toThrow();
    }
    // the summary comes after the progress line is cleared, on clean lines
    const at = output.search(/reconciliation \d+: held \(full, dry run\)/);
    expect(at).toBeGreaterThan(0);
    expect(output.slice(0, at).endsWith(CLEAR_LINE)).toBe(true);
    expect(output.slice(at)).not.toMatch(/Odoo read|LMS read/);
    expect(output.slice(at)).not.toContain('\x1b');
  });

  it('writes no escape code when its output is not a terminal', async () => {
    const [file, ...args] = cli.split(' ');
    const { code, output } = await run(file!, args, env);
    expect(code).toBe(1);
    expect(output).toMatch(/findings: \d+/);
    expect(output).not.toContain('\x1b');
  });
});
