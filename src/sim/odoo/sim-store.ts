// The simulator's programmatic face for tests and the demo: business actions (order, invoice, pay, refund)
// done the way Odoo 17 Community records them, and plain reads for assertions.

import type { Rec } from './domain';
import { SUBTYPES } from './mail';
import type { SearchOptions, OdooStore } from './store';

export interface OrderLineInput {
  productId: number;
  priceUnit?: number;
  qty?: number;
  /** the lms_sync addon's learners of the line (sale.order.line.lms_learner_ids) */
  learnerIds?: number[];
}

export interface OrderInput {
  partnerId: number;
  /** partner_shipping_id; default: the customer's delivery address as Odoo picks it (address_get) */
  shippingPartnerId?: number;
  lines: OrderLineInput[];
  /** default 'sale' (confirmed) */
  state?: 'draft' | 'sent' | 'sale' | 'cancel';
  dateOrder?: string;
}

export interface PartnerInput {
  name: string;
  email?: string | false;
  phone?: string | false;
  /** parent_id: the company, or the parent of a child */
  parentId?: number;
  isCompany?: boolean;
  type?: 'contact' | 'invoice' | 'delivery' | 'other';
}

export interface SimMessage {
  id: number;
  body: string;
  messageType: string;
  subtypeXmlid: string | null;
}

/** Category ids created at start-up; "Kids" is a sub-category of "Courses". */
export const CATEGORY = { all: 1, courses: 2, kids: 3, fees: 4, books: 5 } as const;

export class OdooSimStore {
  constructor(readonly db: OdooStore) {}

  createPartner(input: PartnerInput): number {
    const { parentId, isCompany, type, ...plain } = input;
    return this.db.transaction(() =>
      this.db.create('res.partner', {
        ...plain,
        ...(parentId !== undefined ? { parent_id: parentId } : {}),
        ...(isCompany !== undefined ? { is_company: isCompany } : {}),
        ...(type !== undefined ? { type } : {}),
      }),
    );
  }

  createCourseProduct(
    code: string | false,
    name: string,
    price: number,
    options: { category?: number } = {},
  ): number {
    const categ_id = options.category ?? CATEGORY.courses;
    return this.db.transaction(() =>
      this.db.create('product.product', {
        default_code: code,
        name,
        list_price: price,
        categ_id,
        detailed_type: 'service',
      }),
    );
  }

  createOtherProduct(
    name: string,
    price: number,
    options: { code?: string; category?: number } = {},
  ): number {
    const vals = {
      name,
      list_price: price,
      default_code: options.code ?? false,
      categ_id: options.category ?? CATEGORY.fees,
    };
    return this.db.transaction(() => this.db.create('product.product', vals));
  }

  createOrder(input: OrderInput): number {
    return this.db.transaction(() => {
      const order_line = input.lines.map((l) => [
        0,
        0,
        {
          product_id: l.productId,
          product_uom_qty: l.qty ?? 1,
          ...(l.priceUnit !== undefined ? { price_unit: l.priceUnit } : {}),
          ...(l.learnerIds ? { lms_learner_ids: [[6, 0, l.learnerIds]] } : {}),
        },
      ]);
      const confirmed = (input.state ?? 'sale') === 'sale';
      return this.db.create('sale.order', {
        partner_id: input.partnerId,
        ...(input.shippingPartnerId !== undefined ? { partner_shipping_id: input.shippingPartnerId } : {}),
        order_line,
        state: input.state ?? 'sale',
        invoice_status: confirmed ? 'to invoice' : 'no',
        ...(input.dateOrder ? { date_order: input.dateOrder } : {}),
      });
    });
  }

  /** A posted customer invoice for the whole order, not paid yet. */
  invoiceOrder(orderId: number): number {
    return this.db.transaction(() => {
      const order = this.must('sale.order', orderId);
      const amount = this.db.value('sale.order', order, 'amount_total') as number;
      const moveId = this.db.create('account.move', {
        name: `INV/2024/${String(this.db.nextSequence('account.move.out_invoice')).padStart(5, '0')}`,
        move_type: 'out_invoice',
        state: 'posted',
        payment_state: 'not_paid',
        invoice_origin: order.name,
        partner_id: order.partner_id,
        amount_total: amount,
        amount_residual: amount,
        invoice_date: this.db.now().slice(0, 10),
        invoice_line_ids: this.invoiceLinesOf(order),
      });
      this.db.linkOrderInvoice(orderId, moveId);
      this.db.write('sale.order', [orderId], { invoice_status: 'invoiced' });
      return moveId;
    });
  }

  /** Community goes straight to 'paid' (no in_payment); only the invoice's write_date moves. */
  payInvoice(invoiceId: number): void {
    this.db.transaction(() =>
      this.db.write('account.move', [invoiceId], { payment_state: 'paid', amount_residual: 0 }),
    );
  }

  partiallyPay(invoiceId: number, amount?: number): void {
    this.db.transaction(() => {
      const move = this.must('account.move', invoiceId);
      const residual = Number(move.amount_residual || 0);
      const paid = amount ?? residual / 2;
      this.db.write('account.move', [invoiceId], {
        payment_state: 'partial',
        amount_residual: residual - paid,
      });
    });
  }

  /**
   * A posted credit note reversing the whole invoice; the order stays 'sale' and goes back to 'to
   * invoice'. As on Odoo 17, a paid invoice stays 'paid' (only an unpaid one becomes 'reversed').
   */
  refundInvoice(invoiceId: number): number {
    return this.creditNote(invoiceId, null);
  }

  /**
   * A posted credit note for some lines of a paid invoice only (the others stay paid): the invoice
   * keeps its payment state, the credit note's lines point at the sale order lines they take back.
   */
  refundOrderLines(invoiceId: number, saleLineIds: number[]): number {
    return this.creditNote(invoiceId, saleLineIds);
  }

  private creditNote(invoiceId: number, saleLineIds: number[] | null): number {
    return this.db.transaction(() => {
      const move = this.must('account.move', invoiceId);
      const lines = this.db
        .read(
          'account.move.line',
          this.db.value('account.move', move, 'invoice_line_ids') as number[],
          ['product_id', 'name', 'quantity', 'price_unit', 'display_type', 'sale_line_ids'],
          { load: '' },
        )
        .filter((l) => !saleLineIds || (l.sale_line_ids as number[]).some((id) => saleLineIds.includes(id)));
      const amount = saleLineIds
        ? lines.reduce((sum, l) => sum + Number(l.price_unit) * Number(l.quantity), 0)
        : move.amount_total;
      const refundId = this.db.create('account.move', {
        name: `RINV/2024/${String(this.db.nextSequence('account.move.out_refund')).padStart(5, '0')}`,
        move_type: 'out_refund',
        state: 'posted',
        payment_state: 'not_paid',
        invoice_origin: move.invoice_origin,
        partner_id: move.partner_id,
        amount_total: amount,
        amount_residual: amount,
        reversed_entry_id: invoiceId,
        invoice_line_ids: lines.map(({ id: _id, sale_line_ids, ...l }) => [
          0,
          0,
          { ...l, sale_line_ids: [[6, 0, sale_line_ids]] },
        ]),
      });
      // A reversal is reconciled with what is still open on the invoice: an unpaid invoice becomes
      // 'reversed'; a paid one stays 'paid' and the credit note stays open (money owed to the customer).
      if (!saleLineIds && move.payment_state !== 'paid') {
        this.db.write('account.move', [invoiceId], { payment_state: 'reversed', amount_residual: 0 });
        this.db.write('account.move', [refundId], { payment_state: 'paid' });
      }
      for (const orderId of this.db.invoiceOrderIds(invoiceId)) {
        this.db.linkOrderInvoice(orderId, refundId);
        this.db.write('sale.order', [orderId], { invoice_status: 'to invoice' });
      }
      return refundId;
    });
  }

  /** One product line per order line, each linked to the sale order line it bills. */
  private invoiceLinesOf(order: Rec): unknown[] {
    const lineIds = this.db.value('sale.order', order, 'order_line') as number[];
    return this.db
      .read(
        'sale.order.line',
        lineIds,
        ['product_id', 'name', 'product_uom_qty', 'price_unit', 'display_type'],
        {
          load: '',
        },
      )
      .filter((l) => l.product_id && !l.display_type)
      .map((l) => [
        0,
        0,
        {
          product_id: l.product_id,
          name: l.name,
          quantity: l.product_uom_qty,
          price_unit: l.price_unit,
          display_type: 'product',
          sale_line_ids: [[6, 0, [l.id]]],
        },
      ]);
  }

  messagesFor(model: string, id: number): SimMessage[] {
    const ids = this.db.search(
      'mail.message',
      [
        ['model', '=', model],
        ['res_id', '=', id],
      ],
      { order: 'id asc' },
    );
    return this.db
      .read('mail.message', ids, ['body', 'message_type', 'subtype_id'], { load: '' })
      .map((m) => ({
        id: m.id as number,
        body: typeof m.body === 'string' ? m.body : '',
        messageType: m.message_type as string,
        subtypeXmlid: typeof m.subtype_id === 'number' ? (SUBTYPES[m.subtype_id - 1]?.[0] ?? null) : null,
      }));
  }

  /** An internal user with their own partner, as Settings → Users creates one; `active: false` archives it. */
  createUser(input: { name: string; login: string; active?: boolean }): number {
    return this.db.transaction(() => {
      const partnerId = this.db.create('res.partner', { name: input.name, email: input.login });
      return this.db.create('res.users', {
        name: input.name,
        login: input.login,
        partner_id: partnerId,
        active: input.active ?? true,
      });
    });
  }

  /**
   * A team's members (OCA `user_ids`, Enterprise `member_ids`) and, on OCA, its leader (`user_id`),
   * found by the team's name.
   */
  setTeam(teamName: string, members: number[], leaderId?: number): void {
    const model = this.db.hasModel('helpdesk.team') ? 'helpdesk.team' : 'helpdesk.ticket.team';
    const [teamId] = this.db.search(model, [['name', '=', teamName]]);
    if (teamId === undefined) throw new Error(`no team ${teamName}`);
    const vals: Record<string, unknown> =
      model === 'helpdesk.team' ? { member_ids: [[6, 0, members]] } : { user_ids: [[6, 0, members]] };
    if (leaderId !== undefined) {
      if (model === 'helpdesk.team') throw new Error('Enterprise teams have no leader field');
      vals.user_id = leaderId;
    }
    this.write(model, [teamId], vals);
  }

  /** The mail.activity rows scheduled on a record, in Odoo's read() format. */
  activitiesFor(model: string, id: number): Record<string, unknown>[] {
    const ids = this.db.search('mail.activity', [
      ['res_model', '=', model],
      ['res_id', '=', id],
    ]);
    return this.db.read('mail.activity', ids, [
      'activity_type_id',
      'user_id',
      'date_deadline',
      'summary',
      'note',
    ]);
  }

  /** Whether the partner follows the record (message_post's author, an activity's assignee). */
  isFollower(model: string, id: number, partnerId: number): boolean {
    return this.db.mail.isFollower(model, id, partnerId);
  }

  /** A chatter message written by a person (a user's partner) on a record, as if they had posted it. */
  postAs(userId: number, model: string, id: number, body: string): number {
    const partnerId = this.must('res.users', userId).partner_id;
    return this.db.transaction(() =>
      this.db.create('mail.message', {
        model,
        res_id: id,
        body,
        message_type: 'comment',
        subtype_id: 1,
        author_id: partnerId,
      }),
    );
  }

  /** The WARNING lines Odoo's server log would hold (e.g. one per message_post with body_is_html). */
  warnings(): string[] {
    return [...this.db.mail.warnings];
  }

  /** Odoo's read() format (many2one as [id, name], false for empty), for assertions. */
  read(model: string, ids: number[], fields?: string[]): Record<string, unknown>[] {
    return this.db.read(model, ids, fields);
  }

  search(model: string, domain: unknown[], options: SearchOptions = {}): number[] {
    return this.db.search(model, domain, options);
  }

  write(model: string, ids: number[], vals: Record<string, unknown>): void {
    this.db.transaction(() => this.db.write(model, ids, vals));
  }

  private must(model: string, id: number): Rec {
    const rec = this.db.record(model, id);
    if (!rec) throw new Error(`${model} ${id} does not exist`);
    return rec;
  }
}
