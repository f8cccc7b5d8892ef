// The two simulators started by hand, as the CLI starts them (`lms-sync sim odoo`, `lms-sync sim lms`),
// agree on the courses: every course the Odoo simulator sells is one the LMS simulator knows, so the
// README's "Running it" path dead-letters no webhook and the first reconciliation finds no unmapped course.
import { rawRpc } from '../integration/odoo/rpc-helpers';
import { startCliProcess, type CliProcess } from '../support/cli-process';

const env = {
  ODOO_DB: 'odoo',
  ODOO_USERNAME: 'lms-sync@example.com',
  ODOO_API_KEY: 'sims-agree-odoo-key',
  LMS_API_TOKEN: 'sims-agree-lms-token',
};

describe('lms-sync sim odoo and lms-sync sim lms, started by hand', () => {
  const started: CliProcess[] = [];
  afterAll(async () => {
    for (const p of started) await p.kill();
  });

  it('know the same courses: the LMS knows every course product the Odoo simulator sells', async () => {
    const odoo = await startCliProcess(['sim', 'odoo', '--port', '0'], env, /Odoo simulator on (\S+)/);
    started.push(odoo);
    const lms = await startCliProcess(['sim', 'lms', '--port', '0'], env, /LMS simulator on (\S+)/);
    started.push(lms);

    const rpc = rawRpc(odoo.ready[1] as string);
    try {
      const uid = await rpc.common('authenticate', [env.ODOO_DB, env.ODOO_USERNAME, env.ODOO_API_KEY, {}]);
      const kw = (model: string, method: string, args: unknown[], kwargs = {}) =>
        rpc.object('execute_kw', [env.ODOO_DB, uid, env.ODOO_API_KEY, model, method, args, kwargs]);
      const roots = (await kw('product.category', 'search', [[['name', '=', 'Courses']]])) as number[];
      const soldLines = (await kw('sale.order.line', 'search_read', [[]], {
        fields: ['product_id'],
      })) as Array<{
        product_id: [number, string] | false;
      }>;
      const soldIds = [...new Set(soldLines.flatMap((l) => (l.product_id ? [l.product_id[0]] : [])))];
      const courses = (await kw(
        'product.product',
        'search_read',
        [
          [
            ['id', 'in', soldIds],
            ['categ_id', 'child_of', roots],
          ],
        ],
        { fields: ['default_code'] },
      )) as Array<{ default_code: string | false }>;
      const sold = [...new Set(courses.map((c) => c.default_code))].sort();
      expect(sold.length).toBeGreaterThan(1);

      const res = await fetch(`${lms.ready[1]}/api/v1/courses`, {
        headers: { authorization: `Bearer ${env.LMS_API_TOKEN}` },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: Array<{ courseCode: string }> };
      const known = new Set(body.items.map((c) => c.courseCode));
      expect(sold.filter((code) => code === false || !known.has(code))).toEqual([]);
    } finally {
      rpc.close();
    }
  });
});
