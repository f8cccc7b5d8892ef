// A long-running `lms-sync` command (a simulator, the service) as a process of its own, started from the
// TypeScript sources exactly as the CLI starts it, for tests that must see what a user gets by hand.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { cleanCwd } from './clean-cwd';

const root = path.resolve(__dirname, '../..');

export interface CliProcess {
  pid: number;
  /** What `ready` matched in the process's output (e.g. the URL in a simulator's banner). */
  ready: RegExpExecArray;
  /** Ends the process with SIGKILL and resolves once it is gone. */
  kill(): Promise<void>;
  /** Sends `signal` (an operator's SIGTERM) and resolves with the exit code once it is gone. */
  stop(signal: NodeJS.Signals): Promise<number | null>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
}

/** Runs `lms-sync ...args` with `env` (plus PATH) and waits until its output matches `ready`. */
export function startCliProcess(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 30_000,
): Promise<CliProcess> {
  const child = spawn(
    process.execPath,
    ['-r', path.join(root, 'test/support/swc-register.js'), path.join(root, 'src/cli/index.ts'), ...args],
    // not the checkout: a .env of the developer's there would fill in what a test leaves out
    { cwd: cleanCwd(), env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // 'close': the process is gone and its output read to the end
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const kill = async () => {
    if (alive()) child.kill('SIGKILL');
    await exited;
  };
  const stop = async (signal: NodeJS.Signals) => {
    if (alive()) child.kill(signal);
    await exited;
    return child.exitCode;
  };
  let output = '';
  // kept reading to the end: a child blocked on a full pipe stops answering
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void kill().then(() => reject(new Error(`lms-sync ${args.join(' ')}: ${why}\n${output.slice(-2000)}`)));
    };
    const timer = setTimeout(() => fail(`no ${ready} within ${timeoutMs} ms`), timeoutMs);
    const check = () => {
      const match = ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout.off('data', check);
      child.stderr.off('data', check);
      resolve({ pid: child.pid as number, ready: match, kill, stop, output: () => output });
    };
    // registered after `collect`, so each chunk is in `output` when it is checked
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    const onExit = (code: number | null) => fail(`exited (${code}) before it was ready`);
    child.once('exit', onExit);
  });
}
