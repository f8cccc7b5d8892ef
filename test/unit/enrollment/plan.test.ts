import type { EnrollmentOrder } from '../../../src/odoo/gateway';
import { planOrderSync } from '../../../src/enrollment/plan';
import type { OrderSyncMessage } from '../../../src/enrollment/message';

const JANE = {
  id: 42,
  name: 'Jane Doe',
  email: 'jane@example.com',
  phone: null,
  parentId: null,
  isCompany: false,
};
const order = (over: Partial<EnrollmentOrder> = {}): EnrollmentOrder => ({
  id: 7,
  name: 'S00007',
  state: 'sale',
  paymentStatus: 'paid',
  partner: JANE,
  shippingPartnerId: 42,
  partners: new Map([[42, JANE]]),
  courseLines: [
    {
      lineId: 70,
      productId: 5,
      productName: 'Python K12',
      courseCode: 'PY-K12',
      refunded: false,
      quantity: 1,
      learnerIds: [],
    },
  ],
  otherLineCount: 0,
  ...over,
});
const msg = (over: Partial<OrderSyncMessage> = {}): OrderSyncMessage => ({
  messageId: '00000000-0000-4000-8000-000000000001',
  eventId: '00000000-0000-4000-8000-000000000002',
  trigger: 'order.paid',
  orderId: 7,
  orderName: 'S00007',
  ...over,
});
const line = (lineId: number, courseCode: string | null, refunded = false) => ({
  lineId,
  productId: lineId,
  productName: `P${lineId}`,
  courseCode,
  refunded,
  quantity: 1,
  learnerIds: [],
});

describe('planOrderSync', () => {
  it('enrolls a paid order with the business key enroll:<order>:<course>:<student>', () => {
    const plan = planOrderSync(order(), msg());
    expect(plan).toEqual({
      kind: 'actions',
      actions: [
        {
          action: 'enroll',
          businessKey: 'enroll:7:PY-K12:odoo-partner-42',
          courseCode: 'PY-K12',
          lineId: 70,
          studentId: 'odoo-partner-42',
          learner: expect.objectContaining({ partnerId: 42, studentId: 'odoo-partner-42' }),
        },
      ],
      openSeats: [],
    });
  });

  it.each([
    ['unpaid', order({ paymentStatus: 'unpaid' }), 'pending', /not paid/],
    ['draft', order({ state: 'draft' }), 'pending', /not confirmed/],
    ['cancelled', order({ state: 'cancel' }), 'not_applicable', /not confirmed/],
    ['without course lines', order({ courseLines: [] }), 'not_applicable', /no course product/],
  ])('enrolls nobody for an order %s and says why', (_label, o, state, reason) => {
    const plan = planOrderSync(o, msg({ trigger: 'enrollment.retry_requested' }));
    expect(plan.kind).toBe('nothing');
    if (plan.kind === 'nothing') {
      expect(plan.syncState).toBe(state);
      expect(plan.reason).toMatch(reason);
    }
  });

  it('makes one action for two lines of the same course', () => {
    const plan = planOrderSync(order({ courseLines: [line(1, 'DS-101'), line(2, 'DS-101')] }), msg());
    expect(plan.kind === 'actions' && plan.actions.map((a) => a.businessKey)).toEqual([
      'enroll:7:DS-101:odoo-partner-42',
    ]);
  });

  it('keeps only the requested lines of a retry', () => {
    const plan = planOrderSync(order({ courseLines: [line(1, 'A'), line(2, 'B')] }), msg({ lineIds: [2] }));
    expect(plan.kind === 'actions' && plan.actions.map((a) => a.courseCode)).toEqual(['B']);
  });

  it('flags a course line without a code as course_unmapped, never a silent skip', () => {
    const plan = planOrderSync(order({ courseLines: [line(3, null)] }), msg());
    expect(plan.kind === 'actions' && plan.actions[0]?.problem?.code).toBe('course_unmapped');
  });

  it('flags a student without an email as missing_email', () => {
    const plan = planOrderSync(order({ partner: { ...JANE, email: null } }), msg());
    expect(plan.kind === 'actions' && plan.actions[0]?.problem?.code).toBe('missing_email');
  });

  it('suspends the mapped courses of a refunded order', () => {
    const plan = planOrderSync(
      order({ paymentStatus: 'refunded', courseLines: [line(1, 'A'), line(2, null)] }),
      msg(),
    );
    expect(plan.kind === 'actions' && plan.actions.map((a) => a.businessKey)).toEqual([
      'suspend:7:A:odoo-partner-42',
    ]);
  });

  it('suspends only the refunded lines of a partly refunded order and enrolls the rest', () => {
    const plan = planOrderSync(order({ courseLines: [line(1, 'A', true), line(2, 'B')] }), msg());
    expect(plan.kind === 'actions' && plan.actions.map((a) => a.businessKey)).toEqual([
      'suspend:7:A:odoo-partner-42',
      'enroll:7:B:odoo-partner-42',
    ]);
  });

  it('suspends the refunded line of an order whose other invoice is not paid, and enrolls nothing', () => {
    const plan = planOrderSync(
      order({ paymentStatus: 'unpaid', courseLines: [line(1, 'A', true), line(2, 'B')] }),
      msg(),
    );
    expect(plan.kind === 'actions' && plan.actions.map((a) => a.businessKey)).toEqual([
      'suspend:7:A:odoo-partner-42',
    ]);
  });
});
