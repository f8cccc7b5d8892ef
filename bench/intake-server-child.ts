// The HTTP server under test for the intake benchmark, in a process of its own (so the load generator
// does not share its event loop): `--mode app` is the real app (getApp + createIntake on a pool of 20),
// `--mode bare` a bare Express handler. Prints `{"url"}` as one JSON line when listening.
//   node dist-bench/bench/intake-server-child.js --mode app --db postgres://… | --mode bare
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import express, { type Express } from 'express';
import { createPool } from '../src/db/pool';
import { getApp } from '../src/http/app';
import { silentLogger } from '../src/observability/logger';
import { createMetrics } from '../src/observability/metrics';
import { createDeadLetters } from '../src/queue/dead-letters';
import { createIntake } from '../src/webhooks/intake';
import { serveIpc } from './support';

export const BENCH_SECRET =
  'whsec_' + Buffer.from('odoo-lms-sync bench secret, local only').toString('base64');

function bareApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.post('/webhooks/odoo', (_req, res) => {
    res.status(202).json({ eventId: '00000000-0000-0000-0000-000000000000', status: 'accepted' });
  });
  return app;
}

function realApp(databaseUrl: string): Express {
  const log = silentLogger();
  const pool = createPool(databaseUrl, log, 20);
  return getApp({
    pool,
    log,
    metrics: createMetrics({ defaultMetrics: false }),
    secrets: [BENCH_SECRET],
    adminToken: 'bench-admin-token-0123456789',
    maxBodyBytes: 65_536,
    storeDelivery: createIntake({ pool }),
    deadLetters: createDeadLetters(pool),
    readiness: async () => ({ ready: true, checks: {} }),
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mode: { type: 'string' }, db: { type: 'string' } } });
  const app = values.mode === 'app' ? realApp(values.db ?? '') : bareApp();
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  server.keepAliveTimeout = 65_000;
  let cpuFrom = process.cpuUsage();
  serveIpc({
    resetCpu: () => {
      cpuFrom = process.cpuUsage();
      return true;
    },
    cpu: () => {
      const u = process.cpuUsage(cpuFrom);
      return { userMs: u.user / 1000, systemMs: u.system / 1000 };
    },
  });
  const { port } = server.address() as AddressInfo;
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${port}` }) + '\n');
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
