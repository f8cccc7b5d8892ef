// Data-quality checks on the Odoo data that causes tickets, run with each reconciliation. Read-only:
// search_count and search_read with named fields, in keyset pages, one call at a time (Odoo serves its
// users first). Each check counts what it finds and keeps a few examples, by record id, for the report.
import { boundForeignText, errorMessage } from '../lib';
import { CONFIRMED_ORDER_STATES, paymentStatus, type InvoiceFacts, type OdooTransport } from '../odoo';
import { maskEmail } from '../observability';

export const DATA_QUALITY_CHECKS = [
  'paid_order_without_email',
  'duplicate_partner_email',
  'course_product_without_code',
  'course_product_bad_price',
  'paid_order_not_confirmed',
] as const;
export type DataQualityCheckName = (typeof DATA_QUALITY_CHECKS)[number];

export interface DataQualityExample {
  model: 'sale.order' | 'res.partner' | 'product.product';
  id: number;
  /** an order name, a product's name, or a masked email: never an email in the clear */
  label: string;
  detail: string;
}

export interface DataQualityResult {
  check: DataQualityCheckName;
  count: number;
  examples: DataQualityExample[];
  /** why the check could not run (the run goes on without it) */
  error: string | null;
}

export interface DataQualitySource {
  run(): Promise<DataQualityResult[]>;
}

export const DATA_QUALITY_EXAMPLES = 10;
const LABEL_MAX = 120;

type Row = { id: number } & Record<string, unknown>;
type Many2one = [number, string] | false;

const label = (text: unknown) => boundForeignText(typeof text === 'string' ? text : '', LABEL_MAX);
/** empty text: Odoo stores an unset char as false, a cleared one may be '' */
const blank = (field: string) => ['|', [field, '=', false], [field, '=', '']];

export function createOdooDataQuality(deps: {
  transport: OdooTransport;
  courseCategory: string;
  pageSize: number;
}): DataQualitySource {
  const { transport, pageSize } = deps;
  const call = <T>(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>) =>
    transport.executeKw<T>(model, method, args, kwargs);

  /** Every row of the domain, in pages keyed on id (never an offset scan). */
  async function readAll(model: string, domain: unknown[], fields: string[]): Promise<Row[]> {
    const all: Row[] = [];
    for (let last = 0; ;) {
      const page = await call<Row[]>(model, 'search_read', [[['id', '>', last], ...domain]], {
        fields,
        order: 'id',
        limit: pageSize,
      });
      if (page.some((r) => r.id <= last)) throw new Error(`Odoo repeated a ${model} page after id ${last}`);
      all.push(...page);
      if (page.length < pageSize) return all;
      last = (page.at(-1) as Row).id;
    }
  }

  async function courseCategoryIds(): Promise<number[]> {
    const roots = await call<number[]>('product.category', 'search', [[['name', '=', deps.courseCategory]]]);
    if (roots.length === 0) throw new Error(`no product category is named "${deps.courseCategory}"`);
    return call<number[]>('product.category', 'search', [[['id', 'child_of', roots]]]);
  }

  /** The orders whose invoices, read in batches, make them paid (as if confirmed). */
  async function paidOf(orders: Row[]): Promise<Row[]> {
    const invoiceIds = [...new Set(orders.flatMap((o) => o.invoice_ids as number[]))];
    const invoices = new Map<number, InvoiceFacts>();
    for (let i = 0; i < invoiceIds.length; i += pageSize) {
      const batch = await call<Array<InvoiceFacts & { id: number }>>(
        'account.move',
        'read',
        [invoiceIds.slice(i, i + pageSize)],
        { fields: ['move_type', 'state', 'payment_state'] },
      );
      for (const m of batch) invoices.set(m.id, m);
    }
    const facts = (o: Row) => (o.invoice_ids as number[]).flatMap((id) => invoices.get(id) ?? []);
    return orders.filter((o) => paymentStatus('sale', facts(o)) === 'paid');
  }

  const orderExample = (o: Row, detail: string): DataQualityExample => ({
    model: 'sale.order',
    id: o.id,
    label: label(o.name),
    detail,
  });

  async function paidOrdersWithoutEmail(categories: number[]) {
    const orders = await readAll(
      'sale.order',
      [
        ['state', 'in', [...CONFIRMED_ORDER_STATES]],
        ['order_line.product_id.categ_id', 'in', categories],
        ...blank('partner_id.email'),
      ],
      ['name', 'partner_id', 'invoice_ids'],
    );
    const paid = await paidOf(orders);
    return found(
      paid.length,
      paid.map((o) =>
        orderExample(
          o,
          `paid; its customer (res.partner ${(o.partner_id as Many2one) ? (o.partner_id as [number, string])[0] : '?'}) has no email`,
        ),
      ),
    );
  }

  async function paidQuotations(categories: number[]) {
    const orders = await readAll(
      'sale.order',
      [
        ['state', 'in', ['draft', 'sent']],
        ['order_line.product_id.categ_id', 'in', categories],
        ['invoice_ids', '!=', false],
      ],
      ['name', 'state', 'invoice_ids'],
    );
    const paid = await paidOf(orders);
    return found(
      paid.length,
      paid.map((o) => orderExample(o, `invoice paid, order still a quotation (${label(o.state)})`)),
    );
  }

  async function duplicateEmails() {
    const partners = await readAll('res.partner', [['email', '!=', false]], ['email']);
    const byEmail = new Map<string, number[]>();
    for (const p of partners) {
      const email = typeof p.email === 'string' ? p.email.trim().toLowerCase() : '';
      if (email) byEmail.set(email, [...(byEmail.get(email) ?? []), p.id]);
    }
    const shared = [...byEmail].filter(([, ids]) => ids.length > 1);
    return found(
      shared.length,
      shared.map(([email, ids]): DataQualityExample => ({
        model: 'res.partner',
        id: ids[0] as number,
        label: maskEmail(email),
        detail: `${ids.length} partners: ${ids.slice(0, DATA_QUALITY_EXAMPLES).join(', ')}`,
      })),
    );
  }

  async function courseProducts(domain: unknown[], detail: (p: Row) => string) {
    const [count, rows] = await Promise.all([
      call<number>('product.product', 'search_count', [domain]),
      call<Row[]>('product.product', 'search_read', [domain], {
        fields: ['name', 'default_code', 'list_price'],
        order: 'id',
        limit: DATA_QUALITY_EXAMPLES,
      }),
    ]);
    return found(
      count,
      rows.map((p): DataQualityExample => ({
        model: 'product.product',
        id: p.id,
        label: label(p.name),
        detail: detail(p),
      })),
    );
  }

  const found = (count: number, examples: DataQualityExample[]) => ({
    count,
    examples: examples.slice(0, DATA_QUALITY_EXAMPLES),
  });

  return {
    async run() {
      let categories: Promise<number[]> | undefined;
      const cats = () => (categories ??= courseCategoryIds());
      const checks: Record<
        DataQualityCheckName,
        () => Promise<{ count: number; examples: DataQualityExample[] }>
      > = {
        paid_order_without_email: async () => paidOrdersWithoutEmail(await cats()),
        duplicate_partner_email: duplicateEmails,
        course_product_without_code: async () =>
          courseProducts(
            [['categ_id', 'in', await cats()], ...blank('default_code')],
            () => 'no Internal Reference',
          ),
        course_product_bad_price: async () =>
          courseProducts(
            [
              ['categ_id', 'in', await cats()],
              ['list_price', '<=', 0],
            ],
            (p) => `list price ${String(p.list_price)}`,
          ),
        paid_order_not_confirmed: async () => paidQuotations(await cats()),
      };
      const results: DataQualityResult[] = [];
      // one check after another: gentle with an Odoo that also serves its users
      for (const check of DATA_QUALITY_CHECKS) {
        try {
          results.push({ check, ...(await checks[check]()), error: null });
        } catch (err) {
          results.push({ check, count: 0, examples: [], error: boundForeignText(errorMessage(err), 300) });
        }
      }
      return results;
    },
  };
}
