// Who is enrolled for each course line, per LEARNER_SOURCE, and where a learner without an email of
// their own is reached: tables over orders built by hand.
import { contactFor, resolveLearners, type LearnerSource } from '../../../src/enrollment/learner';
import { planOrderSync } from '../../../src/enrollment/plan';
import { configSchema } from '../../../src/config';
import { LEARNER_SOURCES } from '../../../src/enrollment';
import type { EnrollmentOrder, OrderCourseLine, OrderPartner } from '../../../src/odoo/gateway';

const person = (id: number, over: Partial<OrderPartner> = {}): OrderPartner => ({
  id,
  name: `P${id}`,
  email: `p${id}@example.com`,
  phone: null,
  parentId: null,
  isCompany: false,
  ...over,
});
const PARENT = person(10);
const CHILD = person(11, { parentId: 10, email: null });
const SCHOOL = person(20, { isCompany: true, email: 'office@school.example' });
const PUPIL_A = person(21, { parentId: 20 });
const PUPIL_B = person(22, { parentId: 20, email: null });

const courseLine = (over: Partial<OrderCourseLine> = {}): OrderCourseLine => ({
  lineId: 1,
  productId: 5,
  productName: 'Python',
  courseCode: 'PY-K12',
  refunded: false,
  quantity: 1,
  learnerIds: [],
  ...over,
});
const order = (
  customer: OrderPartner,
  shipping: OrderPartner,
  lines: OrderCourseLine[],
  others: OrderPartner[] = [],
): EnrollmentOrder => ({
  id: 7,
  name: 'S00007',
  state: 'sale',
  paymentStatus: 'paid',
  partner: customer,
  shippingPartnerId: shipping.id,
  partners: new Map([customer, shipping, ...others].map((p) => [p.id, p])),
  courseLines: lines,
  otherLineCount: 0,
});
const msg = {
  messageId: '00000000-0000-4000-8000-000000000001',
  eventId: '00000000-0000-4000-8000-000000000002',
  trigger: 'order.paid' as const,
  orderId: 7,
  orderName: 'S00007',
};

const learnersOf = (o: EnrollmentOrder, source: LearnerSource) =>
  resolveLearners(o, source).map((l) => ({
    learners: l.learners.map((x) => x.studentId),
    seats: l.seats,
    unassigned: l.unassigned,
  }));

describe('resolveLearners', () => {
  const parentForChild = order(PARENT, CHILD, [courseLine()]);
  const schoolSeats = order(
    SCHOOL,
    SCHOOL,
    [courseLine({ quantity: 20, learnerIds: [21, 22] })],
    [PUPIL_A, PUPIL_B],
  );
  it.each([
    [
      'customer: the parent, as before learners existed',
      parentForChild,
      'customer',
      ['odoo-partner-10'],
      1,
      0,
    ],
    ['delivery: the child the parent buys for', parentForChild, 'delivery', ['odoo-partner-11'], 1, 0],
    [
      'attendees: a one-seat line without names falls back to delivery',
      parentForChild,
      'attendees',
      ['odoo-partner-11'],
      1,
      0,
    ],
    [
      'delivery: a company delivery address is no learner, the customer is',
      order(PARENT, SCHOOL, [courseLine()]),
      'delivery',
      ['odoo-partner-10'],
      1,
      0,
    ],
    [
      'delivery: the customer as its own delivery address',
      order(PARENT, PARENT, [courseLine()]),
      'delivery',
      ['odoo-partner-10'],
      1,
      0,
    ],
    [
      'attendees: the named pupils of a 20-seat line, 18 unassigned',
      schoolSeats,
      'attendees',
      ['odoo-partner-21', 'odoo-partner-22'],
      20,
      18,
    ],
    [
      'attendees: a seat line without names enrolls nobody yet',
      order(SCHOOL, SCHOOL, [courseLine({ quantity: 5 })]),
      'attendees',
      [],
      5,
      5,
    ],
    [
      'customer: a seat line is still one enrollment of the customer',
      schoolSeats,
      'customer',
      ['odoo-partner-20'],
      1,
      0,
    ],
  ] as const)('%s', (_label, o, source, learners, seats, unassigned) => {
    expect(learnersOf(o, source)).toEqual([{ learners, seats, unassigned }]);
  });

  it('takes at most N learners on a line of quantity N, each once', () => {
    const o = order(
      SCHOOL,
      SCHOOL,
      [courseLine({ quantity: 2, learnerIds: [21, 21, 22, 10] })],
      [PUPIL_A, PUPIL_B, PARENT],
    );
    expect(learnersOf(o, 'attendees')).toEqual([
      { learners: ['odoo-partner-21', 'odoo-partner-22'], seats: 2, unassigned: 0 },
    ]);
  });

  it('keeps one LMS identity per learner whoever buys: the studentId is the learner partner id', () => {
    const byParent = order(PARENT, CHILD, [courseLine()]);
    const byGrandparent = order(person(30), CHILD, [courseLine()], [PARENT]);
    expect(resolveLearners(byParent, 'delivery')[0]?.learners[0]?.studentId).toBe('odoo-partner-11');
    expect(resolveLearners(byGrandparent, 'delivery')[0]?.learners[0]?.studentId).toBe('odoo-partner-11');
  });

  it('plans one enrollment per learner of a line, keyed by the learner, and reports the open seats', () => {
    const plan = planOrderSync(
      order(SCHOOL, SCHOOL, [courseLine({ quantity: 20, learnerIds: [21] })], [PUPIL_A]),
      msg,
      'attendees',
    );
    expect(plan.kind === 'actions' && plan.actions.map((a) => a.businessKey)).toEqual([
      'enroll:7:PY-K12:odoo-partner-21',
    ]);
    expect(plan.openSeats).toEqual([{ lineId: 1, courseCode: 'PY-K12', seats: 20, assigned: 1 }]);
  });

  it('leaves an order whose seats are all unnamed pending, saying how many are assigned', () => {
    const plan = planOrderSync(order(SCHOOL, SCHOOL, [courseLine({ quantity: 5 })]), msg, 'attendees');
    expect(plan).toMatchObject({ kind: 'nothing', syncState: 'pending' });
    expect(plan.kind === 'nothing' && plan.reason).toMatch(/0 of 5 seats assigned \(PY-K12\)/);
  });

  it('plans the enrollment of a child without an email (reached through the parent), missing_email only without any', () => {
    const reachable = planOrderSync(order(PARENT, CHILD, [courseLine()]), msg, 'delivery');
    expect(reachable.kind === 'actions' && reachable.actions[0]).toMatchObject({
      studentId: 'odoo-partner-11',
      learner: { contact: { via: 'guardian', email: 'p10@example.com' } },
    });
    expect(reachable.kind === 'actions' && reachable.actions[0]?.problem).toBeUndefined();
    const nobody = { ...PARENT, email: null };
    const unreachable = planOrderSync(order(nobody, CHILD, [courseLine()]), msg, 'delivery');
    expect(unreachable.kind === 'actions' && unreachable.actions[0]?.problem?.code).toBe('missing_email');
  });

  it('has the same sources as the configuration accepts', () => {
    expect(configSchema.shape.LEARNER_SOURCE.unwrap().options).toEqual([...LEARNER_SOURCES]);
  });
});

describe('contactFor', () => {
  const o = order(PARENT, CHILD, [courseLine()]);
  it.each([
    ['their own email', person(40), { via: 'own', email: 'p40@example.com' }],
    [
      'the nearest parent with an email',
      CHILD,
      { via: 'guardian', email: 'p10@example.com', guardianId: 10 },
    ],
    [
      'a grandparent when the parent has none',
      person(41, { parentId: 42, email: null }),
      { via: 'guardian', email: 'p43@example.com', guardianId: 43 },
    ],
    [
      'the buyer when no parent has one',
      person(44, { email: null }),
      { via: 'buyer', email: 'p10@example.com', guardianId: 10 },
    ],
  ] as const)('reaches a learner through %s', (_label, learner, expected) => {
    const withChain = {
      ...o,
      partners: new Map([...o.partners, [42, person(42, { parentId: 43, email: null })], [43, person(43)]]),
    };
    expect(contactFor(withChain, learner)).toMatchObject(expected);
  });

  it('finds nobody when no email exists up the chain nor on the buyer', () => {
    const buyer = person(50, { email: null });
    const kid = person(51, { parentId: 50, email: null });
    expect(contactFor(order(buyer, kid, [courseLine()]), kid)).toBeNull();
  });
});
