// The service as a real process of its own (`lms-sync serve` from the TypeScript sources), for tests
// that kill it as an operator's machine would: SIGKILL, no shutdown hook, nothing flushed.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

export interface ServiceProcess {
  pid: number;
  /** The API's base URL, read from the process's own "http listening" log line. */
  url: string;
  /** Ends the process with SIGKILL and resolves once it is gone. */
  kill(): Promise<void>;
}

/** Starts `lms-sync serve` with exactly `env` (plus PATH) and waits until its API listens. */
export function startServiceProcess(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<ServiceProcess> {
  const child = spawn(
    process.execPath,
    ['-r', './test/support/swc-register.js', './src/cli/index.ts', 'serve'],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`the service did not listen within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n${output.slice(-2000)}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /"http listening".*?"port":(\d+)|"port":(\d+).*?"http listening"/.exec(output);
      if (!port) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.stdout?.resume();
      child.stderr?.resume();
      resolve(handle(child, `http://127.0.0.1:${port[1] ?? port[2]}`, exited));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`the service exited (${code}) before it listened`)));
  });
}

function handle(child: ChildProcess, url: string, exited: Promise<void>): ServiceProcess {
  return {
    pid: child.pid as number,
    url,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
