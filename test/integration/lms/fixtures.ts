// A running LMS simulator and a rest adapter pointed at it, plus a logger fake that keeps what was logged.
import type { Logger } from '../../../src/observability/logger';
import { createRestLmsAdapter, type RestLmsAdapter } from '../../../src/lms/rest-adapter';
import type { EnrollRequest } from '../../../src/lms/adapter';
import { startLmsSim, type RunningLmsSim, type StartLmsSimOptions } from '../../../src/sim/lms';

export const TOKEN = 'lms-secret-token-123';

export interface LogEntry {
  level: string;
  message: string;
  meta: unknown;
}

export function recordingLogger(entries: LogEntry[]): Logger {
  const at = (level: string) => (message: string, meta?: unknown) => {
    entries.push({ level, message, meta });
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } as unknown as Logger;
}

export async function simAndAdapter(
  options: Partial<StartLmsSimOptions> = {},
  timeoutMs = 2000,
): Promise<{ sim: RunningLmsSim; lms: RestLmsAdapter; logs: LogEntry[]; stop(): Promise<void> }> {
  const sim = await startLmsSim({ apiToken: TOKEN, ...options });
  const logs: LogEntry[] = [];
  const lms = createRestLmsAdapter({
    baseUrl: sim.url,
    apiToken: TOKEN,
    timeoutMs,
    log: recordingLogger(logs),
  });
  return {
    sim,
    lms,
    logs,
    async stop() {
      lms.close();
      await sim.close();
    },
  };
}

export function enrollRequest(partnerId: number, courseCode = 'PY-K12'): EnrollRequest {
  const studentId = `odoo-partner-${partnerId}`;
  const orderId = 5000 + partnerId;
  return {
    courseCode,
    student: {
      studentId,
      email: `jane.${partnerId}@example.com`,
      fullName: `Jane ${partnerId}`,
      phone: '+1 555 0100',
    },
    source: { orderId, orderName: `S${orderId}` },
    idempotencyKey: `enroll:${orderId}:${courseCode}:${studentId}`,
  };
}

/** The rejection of a promise, for asserting on its type and fields. */
export async function failureOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, it succeeded');
}
