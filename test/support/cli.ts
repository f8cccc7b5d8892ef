// `lms-sync <args>` as a real process, run from the TypeScript sources to its end: what an operator
// types and sees (stdout, stderr, the exit code).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { cleanCwd } from './clean-cwd';

const root = path.resolve(__dirname, '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with exactly `env` (plus PATH); killed after `timeoutMs`, which fails the result. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  options: { timeoutMs?: number; cwd?: string } = {},
): Promise<CliResult> {
  const child = spawn(
    process.execPath,
    ['-r', path.join(root, 'test/support/swc-register.js'), path.join(root, 'src/cli/index.ts'), ...args],
    {
      // not the checkout: a .env of the developer's there would fill in what a test leaves out
      cwd: options.cwd ?? cleanCwd(),
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `lms-sync ${args.join(' ')} did not end within ${options.timeoutMs ?? 30_000} ms\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A configuration that passes validation and points at nothing in particular: tests override parts. */
export function validEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
    AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
    WEBHOOK_SECRETS: 'whsec_dGVzdC1zZWNyZXQtZm9yLWNsaS10ZXN0cw==',
    ADMIN_TOKEN: 'cli-test-admin-token-0123456789',
    ODOO_URL: 'http://127.0.0.1:9/',
    ODOO_DB: 'odoo',
    ODOO_USERNAME: 'svc@example.com',
    ODOO_API_KEY: 'cli-test-odoo-key',
    LMS_BASE_URL: 'http://127.0.0.1:9/',
    LMS_API_TOKEN: 'cli-test-lms-token',
    HELPDESK_ENABLED: 'false',
    LOG_LEVEL: 'error',
    ...overrides,
  };
}
