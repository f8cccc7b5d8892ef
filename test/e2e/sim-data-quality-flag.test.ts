// `lms-sync sim odoo --data-quality-problems`, started as a user starts it, seeds the data the
// reconciliation's data-quality checks find; without the flag the same checks find nothing.
import { createXmlRpcTransport } from '../../src/odoo/xmlrpc-transport';
import { createOdooDataQuality } from '../../src/reconcile/data-quality';
import { startCliProcess, type CliProcess } from '../support/cli-process';

jest.setTimeout(60_000);

const env = { ODOO_DB: 'odoo', ODOO_USERNAME: 'svc', ODOO_API_KEY: 'dq-flag-odoo-key' };
const started: CliProcess[] = [];
afterAll(async () => {
  for (const p of started) await p.kill();
});

async function countsWith(flags: string[]): Promise<Record<string, number>> {
  const sim = await startCliProcess(
    ['sim', 'odoo', '--port', '0', '--orders', '30', ...flags],
    env,
    /Odoo simulator on (\S+)/,
  );
  started.push(sim);
  const transport = createXmlRpcTransport({
    url: sim.ready[1] as string,
    db: env.ODOO_DB,
    username: env.ODOO_USERNAME,
    apiKey: env.ODOO_API_KEY,
  });
  const results = await createOdooDataQuality({ transport, courseCategory: 'Courses', pageSize: 100 }).run();
  transport.close?.();
  return Object.fromEntries(results.map((r) => [r.check, r.error ? -1 : r.count]));
}

describe('lms-sync sim odoo --data-quality-problems', () => {
  it('seeds two of each problem the checks find, one shared email', async () => {
    expect(await countsWith(['--data-quality-problems'])).toEqual({
      paid_order_without_email: 2,
      duplicate_partner_email: 1,
      course_product_without_code: 2,
      course_product_bad_price: 2,
      paid_order_not_confirmed: 2,
    });
  });

  it('seeds none of them without the flag', async () => {
    expect(Object.values(await countsWith([]))).toEqual([0, 0, 0, 0, 0]);
  });
});
