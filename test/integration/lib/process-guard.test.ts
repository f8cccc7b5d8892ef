// The process-level guard in a real process of its own (jest keeps its own process's uncaught errors).
import { execFile } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

function runChild(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', './test/support/swc-register.js', './test/support/process-guard-child.ts', ...args],
      { cwd: root, timeout: 20_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('process guard', () => {
  it('fails only the unit of work whose error escaped, and the process carries on', async () => {
    const { code, stdout, stderr } = await runChild();
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      {
        work: 'message A',
        code: 'stray_error',
        failed: 'uncaught error while handling message A: thrown inside a callback',
      },
      {
        work: 'message B',
        code: 'stray_error',
        failed: 'uncaught error while handling message B: nobody awaited this',
      },
      { work: 'message C', value: 'handled' },
    ]);
    expect(stderr).toContain('uncaught exception failed one unit of work; the process carries on');
    expect(stderr).toContain('unhandled rejection failed one unit of work; the process carries on');
    expect(code).toBe(0);
  });

  it('logs an uncaught exception outside any unit of work clearly, then exits 1', async () => {
    const { code, stderr } = await runChild('outside');
    expect(code).toBe(1);
    const line = stderr.split('\n').find((l) => l.includes('outside any unit of work'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      level: 'error',
      message: 'uncaught exception outside any unit of work; the process exits',
      error: 'thrown outside any unit of work',
    });
  });
});
