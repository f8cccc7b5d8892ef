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
  /** Sends `signal` (an operator's SIGTERM) and resolves with the exit code once it is gone. */
  stop(signal: NodeJS.Signals): Promise<number | null>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
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
  // 'close': the process is gone and its output read to the end
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
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
    let listening = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (listening) return;
      const port = /"http listening".*?"port":(\d+)|"port":(\d+).*?"http listening"/.exec(output);
      if (!port) return;
      listening = true;
      clearTimeout(timer);
      resolve(handle(child, `http://127.0.0.1:${port[1] ?? port[2]}`, exited, () => output));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      if (!listening) fail(new Error(`the service exited (${code}) before it listened`));
    });
  });
}

function handle(
  child: ChildProcess,
  url: string,
  exited: Promise<void>,
  output: () => string,
): ServiceProcess {
  return {
    pid: child.pid as number,
    url,
    output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      return child.exitCode;
    },
  };
}
