// The service as a real process of its own (`lms-sync serve` from the TypeScript sources), for tests
// that kill it as an operator's machine would: SIGKILL, no shutdown hook, nothing flushed.
import { startCliProcess, type CliProcess } from './cli-process';

export interface ServiceProcess extends Omit<CliProcess, 'ready'> {
  /** The API's base URL, read from the process's own "http listening" log line. */
  url: string;
}

/** Starts `lms-sync serve` with exactly `env` (plus PATH) and waits until its API listens. */
export async function startServiceProcess(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<ServiceProcess> {
  const p = await startCliProcess(
    ['serve'],
    { ...env, LOG_LEVEL: 'info' },
    /"http listening".*?"port":(\d+)|"port":(\d+).*?"http listening"/,
    timeoutMs,
  );
  const { ready, ...rest } = p;
  return { ...rest, url: `http://127.0.0.1:${ready[1] ?? ready[2]}` };
}
