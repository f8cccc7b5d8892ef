// README's "Running it" is a tested script: this runs exactly the commands of its fenced block, verbatim,
// with bash, in a temporary directory, against the bundled simulators; then it checks what a new user
// should see: webhooks for paid orders enrolled, no course the LMS does not know, every paid order
// enrolled after the README's reconciliation.
//
// The block is read from README.md each run: whatever lines it has are run, none is hard-coded here.
// Isolation is by environment only (the environment wins over .env): the database (created by the
// README's `migrate`, dropped here), QUEUE_PREFIX, every port and every secret. `npx` and `npm` are
// shims on PATH:
//   - `npx lms-sync …` runs this checkout's CLI from its TypeScript sources (swc-register, as
//     test/support/service-process.ts does), so the README runs the code under test, not a stale build;
//   - `npm ci` and `npm run build` do nothing: this checkout is installed already (reinstalling
//     node_modules under a running jest would break it) and the shimmed npx runs the sources, not dist/.
//   Any other `npx`/`npm` line fails the test loudly, so a new README line is never skipped unseen.
// Lines ending in `&` (the simulators, the service) keep running: the script waits until each listens,
// as a person would before typing on, and their PIDs are killed at the end. The script pauses before the first `npx lms-sync reconcile` line while the test sends a few
// signed webhooks (what Odoo's addon would do) and waits for their enrollments.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { Client } from 'pg';
import { loadConfig } from '../../src/config';
import { rawRpc } from '../integration/odoo/rpc-helpers';
import { waitFor } from '../support/db';
import { adminUrl, amqpUrl, databaseUrl } from '../support/env';
import { deleteTopology } from '../support/harness';
import { events, signedDelivery, TEST_SECRET } from '../support/webhooks';

jest.setTimeout(240_000);

const root = path.resolve(__dirname, '../..');

/** The commands of the first ```bash block under "## Running it", as written. */
function runningItBlock(readme: string): string[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Running it\n'));
  if (!section) throw new Error('README.md has no "## Running it" section');
  const block = /^```bash\n([\s\S]*?)^```$/m.exec(section);
  if (!block?.[1]) throw new Error('README.md\'s "Running it" section has no ```bash block');
  return block[1].split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

const backgrounded = (line: string) => /(?<!&)&\s*(#.*)?$/.test(line);
const isReconcile = (line: string) => /^\s*npx lms-sync reconcile\b/.test(line);

/**
 * Bookkeeping of this test's own, put between the README's lines: a person waits for a long-running
 * command to come up before typing the next line; the script waits until it listens on one more of the
 * ports the environment gives (the simulators', the service's), and fails if it exits first.
 */
const PROLOGUE = String.raw`set -e
__listening() { local n=0 p; for p in $RUNNING_IT_PORTS; do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && n=$((n + 1)); done; echo $n; }
__came_up() {
  local i; for i in $(seq 600); do
    [ "$(__listening)" -gt "$1" ] && return 0
    kill -0 "$2" 2>/dev/null || { echo "running-it: the command in the background ended" >&2; return 1; }
    sleep 0.1
  done
  echo "running-it: the command in the background did not listen on any of $RUNNING_IT_PORTS" >&2; return 1
}`;

/** The block as one bash script: each line verbatim, with the bookkeeping above between them. */
function script(lines: string[]): string {
  const pause = lines.findIndex(isReconcile);
  const out = [PROLOGUE];
  lines.forEach((line, i) => {
    if (i === pause)
      out.push(
        'touch "$RUNNING_IT_DIR/.before-reconcile"',
        'while [ ! -e "$RUNNING_IT_DIR/.go" ]; do sleep 0.1; done',
      );
    if (backgrounded(line)) out.push('__before=$(__listening)');
    out.push(line);
    if (backgrounded(line)) out.push('echo $! >> "$RUNNING_IT_DIR/.pids"', '__came_up "$__before" $!');
  });
  return `${out.join('\n')}\n`;
}

function writeShims(bin: string): void {
  const node = process.execPath;
  const shims = {
    npx: `#!/usr/bin/env bash
if [ "$1" = lms-sync ]; then shift; exec "${node}" -r "${root}/test/support/swc-register.js" "${root}/src/cli/index.ts" "$@"; fi
echo "npx shim of test/e2e/running-it.test.ts: only 'npx lms-sync' is provided, not: npx $*" >&2; exit 127
`,
    npm: `#!/usr/bin/env bash
case "$*" in ci|"run build") exit 0 ;; esac
echo "npm shim of test/e2e/running-it.test.ts: 'npm $*' is not provided" >&2; exit 127
`,
  };
  for (const [name, text] of Object.entries(shims)) {
    writeFileSync(path.join(bin, name), text);
    chmodSync(path.join(bin, name), 0o755);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

describe('README "Running it", run verbatim', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'running-it-'));
  const dbName = `lms_sync_test_${process.env.TEST_RUN_ID}_readme_${randomBytes(3).toString('hex')}`;
  let env: Record<string, string>;
  let bash: ChildProcess | undefined;
  let bashExit: Promise<number | null>;
  const log = path.join(dir, 'output.log');
  const output = () => (existsSync(log) ? readFileSync(log, 'utf8').slice(-4000) : '');

  beforeAll(async () => {
    const [port, odooPort, lmsPort] = [await freePort(), await freePort(), await freePort()];
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    writeShims(bin);
    copyFileSync(path.join(root, '.env.example'), path.join(dir, '.env.example'));
    env = {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      HOME: dir,
      RUNNING_IT_DIR: dir,
      RUNNING_IT_PORTS: `${port} ${odooPort} ${lmsPort}`,
      DATABASE_URL: databaseUrl(dbName),
      AMQP_URL: amqpUrl(),
      QUEUE_PREFIX: `test-${process.env.TEST_RUN_ID}-readme-${randomBytes(3).toString('hex')}`,
      HOST: '127.0.0.1',
      PORT: String(port),
      ODOO_URL: `http://127.0.0.1:${odooPort}`,
      LMS_BASE_URL: `http://127.0.0.1:${lmsPort}`,
      // the webhooks below are signed with this one; every other setting (the Odoo and LMS credentials,
      // ADMIN_TOKEN) comes from the README's .env
      WEBHOOK_SECRETS: TEST_SECRET,
    } as Record<string, string>;
  });

  afterAll(async () => {
    const pids = existsSync(path.join(dir, '.pids'))
      ? readFileSync(path.join(dir, '.pids'), 'utf8').split('\n').filter(Boolean).map(Number)
      : [];
    if (bash?.exitCode === null) bash.kill('SIGKILL');
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await waitFor(() => pids.every((pid) => !alive(pid)), "the README's background processes to end");
    // the queues are named by this test's QUEUE_PREFIX; the rest of a valid configuration from .env
    const dotenv = existsSync(path.join(dir, '.env'))
      ? parseEnv(readFileSync(path.join(dir, '.env'), 'utf8'))
      : {};
    if (env)
      await Promise.resolve(env)
        .then((e) => deleteTopology(loadConfig({ ...dotenv, ...e })))
        .catch(() => undefined);
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
    if (process.env.KEEP_RUNNING_IT) process.stderr.write(`${dir}\n${output()}\n`);
    else rmSync(dir, { recursive: true, force: true });
  });

  it('enrolls every paid order of the Odoo simulator, with no course the LMS does not know', async () => {
    const lines = runningItBlock(readFileSync(path.join(root, 'README.md'), 'utf8'));
    expect(lines.some(isReconcile)).toBe(true);
    writeFileSync(path.join(dir, 'running-it.sh'), script(lines));
    const fd = openSync(log, 'a');
    bash = spawn('bash', ['running-it.sh'], { cwd: dir, env, stdio: ['ignore', fd, fd] });
    bashExit = new Promise((resolve) => bash?.once('exit', resolve));

    const base = `http://127.0.0.1:${env.PORT}`;
    await waitFor(
      () => existsSync(path.join(dir, '.before-reconcile')) || bash?.exitCode !== null,
      "the README's lines before its reconcile",
      60_000,
    ).catch((err: Error) => Promise.reject(new Error(`${err.message}\n${output()}`)));
    expect([bash.exitCode, output()]).toEqual([null, expect.anything()]);
    // the service runs with the ADMIN_TOKEN the README's lines wrote into .env: not the placeholder
    const dotenv = parseEnv(readFileSync(path.join(dir, '.env'), 'utf8'));
    expect(dotenv.ADMIN_TOKEN).toMatch(/^[0-9a-f]{48}$/);
    const auth = { authorization: `Bearer ${dotenv.ADMIN_TOKEN}` };
    await waitFor(
      async () => {
        const r = await fetch(`${base}/readyz`, { headers: auth });
        const body = (await r.json()) as { checks: Record<string, { ok: boolean }> };
        return r.ok && body.checks.odoo?.ok && body.checks.lms?.ok;
      },
      'the service the README started to be ready, Odoo and the LMS included',
      60_000,
    ).catch((err: Error) => Promise.reject(new Error(`${err.message}\n${output()}`)));

    // What Odoo's addon would send: order.paid for a few paid orders of the simulator.
    const paid = await paidOrders({ ...dotenv, ...env } as Record<string, string>, 4);
    const eventIds: string[] = [];
    for (const o of paid) {
      const d = signedDelivery(events.paid(o.id, o.name));
      const r = await fetch(`${base}/webhooks/odoo`, { method: 'POST', headers: d.headers, body: d.body });
      expect(r.status).toBe(202);
      eventIds.push(((await r.json()) as { eventId: string }).eventId);
    }
    const db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    try {
      const outcomes = await waitFor(async () => {
        const { rows } = await db.query<{ outcome: string }>(
          'SELECT outcome, detail FROM consumed_messages WHERE event_id = ANY($1::uuid[])',
          [eventIds],
        );
        return rows.length === eventIds.length ? rows.map((r) => r.outcome) : null;
      }, 'the webhooks to be processed');
      expect(outcomes).toEqual(eventIds.map(() => 'done'));
    } finally {
      await db.end();
    }

    writeFileSync(path.join(dir, '.go'), '');
    const code = await bashExit;
    expect([code, output()]).toEqual([0, expect.anything()]);
    expect(output()).not.toMatch(/course_unmapped/);

    const runs = (await (await fetch(`${base}/admin/reconciliations`, { headers: auth })).json()) as {
      items: Array<{ id: string; status: string; findingsByKind: Record<string, number> }>;
    };
    expect(runs.items[0]).toMatchObject({ status: 'succeeded', findingsByKind: { course_unmapped: 0 } });
    // Its repairs go through the service's queue: a dry run finds nothing missing once they are done.
    const last = await waitFor(
      async () => {
        const findings = await dryRunFindings(base, auth);
        return findings && findings.missing_enrollment === 0 ? findings : null;
      },
      'every paid order to be enrolled',
      90_000,
      500,
    );
    expect(last).toMatchObject({ missing_enrollment: 0, course_unmapped: 0 });
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A few paid orders of the Odoo simulator the README started, read as any XML-RPC client would. */
async function paidOrders(env: Record<string, string>, count: number) {
  const rpc = rawRpc(env.ODOO_URL as string);
  try {
    const uid = await rpc.common('authenticate', [env.ODOO_DB, env.ODOO_USERNAME, env.ODOO_API_KEY, {}]);
    const kw = (model: string, method: string, args: unknown[], kwargs = {}) =>
      rpc.object('execute_kw', [env.ODOO_DB, uid, env.ODOO_API_KEY, model, method, args, kwargs]);
    const invoices = (await kw(
      'account.move',
      'search_read',
      [
        [
          ['move_type', '=', 'out_invoice'],
          ['payment_state', '=', 'paid'],
        ],
      ],
      { fields: ['invoice_origin'], limit: count, order: 'id' },
    )) as Array<{ invoice_origin: string }>;
    const names = invoices.map((i) => i.invoice_origin);
    const orders = (await kw('sale.order', 'search_read', [[['name', 'in', names]]], {
      fields: ['name'],
    })) as Array<{ id: number; name: string }>;
    expect(orders).toHaveLength(count);
    return orders;
  } finally {
    rpc.close();
  }
}

/** Runs a dry reconciliation through the service's API; its counts by kind once it has finished. */
async function dryRunFindings(
  base: string,
  auth: Record<string, string>,
): Promise<Record<string, number> | null> {
  const start = await fetch(`${base}/admin/reconciliations`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ dryRun: true, mode: 'full' }),
  });
  if (start.status !== 202) return null;
  const { runId } = (await start.json()) as { runId: string };
  return waitFor(async () => {
    const r = (await (await fetch(`${base}/admin/reconciliations/${runId}`, { headers: auth })).json()) as {
      run: { status: string };
      counts: { findingsByKind: Record<string, number> };
    };
    return r.run.status === 'running' ? null : r.counts.findingsByKind;
  }, `dry run ${runId} to finish`);
}
