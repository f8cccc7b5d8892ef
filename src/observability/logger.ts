// winston JSON logs; emails, phones and secrets are masked before anything is written.
import { Writable } from 'node:stream';
import winston from 'winston';

export type Logger = winston.Logger;

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
const PHONE = /\+?\d[\d ().-]{7,}\d/g;
const SECRET_KEYS = /(secret|token|password|api_?key|authorization|signature)/i;
const PHONE_KEYS = /phone|mobile/i;

export function maskEmail(value: string): string {
  return value.replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`);
}

export function maskPhone(value: string): string {
  return value.replace(PHONE, (m) => `***${m.replace(/\D/g, '').slice(-2)}`);
}

export function maskValue(key: string, value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value;
  if (SECRET_KEYS.test(key) && typeof value !== 'object') return '[redacted]';
  if (typeof value === 'string') return PHONE_KEYS.test(key) ? maskPhone(value) : maskEmail(value);
  if (depth > 6 || typeof value !== 'object') return value;
  if (value instanceof Error) {
    // the stack's first line repeats the message: mask it too
    return {
      message: maskEmail(value.message),
      name: value.name,
      stack: value.stack && maskEmail(value.stack),
    };
  }
  if (Array.isArray(value)) return value.map((v) => maskValue(key, v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskValue(k, v, depth + 1);
  return out;
}

const mask = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'timestamp') continue;
    (info as Record<string, unknown>)[key] = maskValue(key, info[key]);
  }
  return info;
});

/** Where a logger's lines go instead of stderr: one JSON line per call, newline included. */
export interface LogOutput {
  write(line: string): void;
}

/** A stream that hands each line the logger writes to `output`. */
function lineStream(output: LogOutput): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      output.write(String(chunk));
      done();
    },
  });
}

export function createLogger(
  level: string = 'info',
  options: { silent?: boolean; output?: LogOutput } = {},
): Logger {
  return winston.createLogger({
    level,
    silent: options.silent ?? false,
    format: winston.format.combine(mask(), winston.format.timestamp(), winston.format.json()),
    transports: [
      options.output
        ? new winston.transports.Stream({ stream: lineStream(options.output) })
        : new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] }),
    ],
  });
}

/** For tests and tools that want no output. */
export function silentLogger(): Logger {
  return createLogger('error', { silent: true });
}
