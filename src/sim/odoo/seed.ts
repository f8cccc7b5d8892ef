// Start-up data every Odoo has (company, users, subtypes, ir.model) and the deterministic demo data set.

import { SUBTYPES } from './mail';
import { ACTIVITY_TYPES, definingModule } from './schema-mail';
import { COURSE_CODE_FIELD } from './schema-slides';
import { CATEGORY, OdooSimStore } from './sim-store';
import type { HelpdeskFlavor } from './schema-types';
import type { OdooStore } from './store';
import { seededRandom } from '../../lib';
import { SIM_CATALOG } from '../catalog';
import { seedLearnerData, type LearnerSeedSummary } from './seed-learners';

/**
 * Fixed ids, like a fresh Odoo database: partner 3 / user 2 is the user the API key belongs to. It has the
 * rights an integration user is given (Sales, Invoicing, Helpdesk), not Settings: ir.model is refused.
 */
export function bootstrap(db: OdooStore, username: string, flavor: HelpdeskFlavor): void {
  db.transaction(() => {
    db.create('res.currency', { name: 'VND', symbol: '₫' });
    db.create('res.company', { name: 'My Company', currency_id: 1 });
    db.create('res.partner', { name: 'My Company', is_company: true });
    db.create('res.partner', { name: 'OdooBot', email: 'odoobot@example.com' });
    db.create('res.partner', { name: 'Mitchell Admin', email: 'admin@example.com' });
    db.create('res.users', { name: 'OdooBot', login: '__system__', partner_id: 2, active: false });
    db.create('res.users', { name: 'Mitchell Admin', login: username, partner_id: 3 });
    SUBTYPES.forEach(([xmlid, name]) => {
      const id = db.create('mail.message.subtype', { name });
      externalId(db, xmlid, 'mail.message.subtype', id);
    });
    for (const [xmlName, name, category] of ACTIVITY_TYPES) {
      const id = db.create('mail.activity.type', { name, category });
      externalId(db, `mail.${xmlName}`, 'mail.activity.type', id);
    }
    const helpdeskModule = flavor === 'enterprise' ? 'helpdesk' : 'helpdesk_mgmt';
    for (const model of db.modelNames()) {
      const id = db.create('ir.model', { model, name: db.modelDef(model).description });
      const xmlid = `${definingModule(model, helpdeskModule)}.model_${model.replace(/\./g, '_')}`;
      externalId(db, xmlid, 'ir.model', id);
    }
    db.create('product.category', { name: 'All' });
    db.create('product.category', { name: 'Courses' });
    db.create('product.category', { name: 'Kids', parent_id: CATEGORY.courses });
    db.create('product.category', { name: 'Fees' });
    db.create('product.category', { name: 'Books' });
    seedCourses(db);
    bootstrapHelpdesk(db, flavor);
  });
}

/** eLearning courses of the whole catalogue, with its course codes where lms_sync_slides is installed. */
function seedCourses(db: OdooStore): void {
  const coded = db.field('slide.channel', COURSE_CODE_FIELD) !== undefined;
  for (const course of SIM_CATALOG) {
    db.create('slide.channel', {
      name: course.title,
      is_published: true,
      ...(coded ? { [COURSE_CODE_FIELD]: course.courseCode } : {}),
    });
  }
}

/** An external id "module.name" for a record, as ir.model.data holds it. */
function externalId(db: OdooStore, xmlid: string, model: string, resId: number): void {
  const [module, name] = xmlid.split('.') as [string, string];
  db.create('ir.model.data', { module, name, model, res_id: resId });
}

function bootstrapHelpdesk(db: OdooStore, flavor: HelpdeskFlavor): void {
  if (flavor === 'oca') {
    for (const name of ['Technical Support', 'Ops']) db.create('helpdesk.ticket.team', { name });
    const stages: Array<[string, boolean]> = [
      ['New', false],
      ['In Progress', false],
      ['Awaiting', false],
      ['Done', true],
      ['Cancelled', true],
    ];
    stages.forEach(([name, closed], i) =>
      db.create('helpdesk.ticket.stage', {
        name,
        sequence: i + 1,
        closed,
        fold: closed,
        unattended: i === 0,
      }),
    );
    for (const name of ['Web', 'Email', 'Phone', 'Other']) db.create('helpdesk.ticket.channel', { name });
  } else if (flavor === 'enterprise') {
    for (const name of ['Technical Support', 'Ops']) db.create('helpdesk.team', { name });
    const stages: Array<[string, boolean]> = [
      ['New', false],
      ['In Progress', false],
      ['Solved', true],
      ['Cancelled', true],
    ];
    stages.forEach(([name, fold], i) => db.create('helpdesk.stage', { name, sequence: i + 1, fold }));
  }
}

type SeedCourse = [code: string, title: string, price: number, category: 'courses' | 'kids'];

/** The courses the seeded shop sells (code, title, price, category), from the catalogue the LMS simulator knows. */
export const SEED_COURSES: SeedCourse[] = SIM_CATALOG.flatMap(({ courseCode, title, product }) =>
  product ? [[courseCode, title, product.price, product.category] as SeedCourse] : [],
);

const FIRST = ['An', 'Binh', 'Chi', 'Dung', 'Hoa', 'Khanh', 'Linh', 'Minh', 'Nam', 'Phuong', 'Quang', 'Thao'];
const LAST = ['Nguyen', 'Tran', 'Le', 'Pham', 'Hoang', 'Vu', 'Dang', 'Bui'];

/** Email variants a real CRM holds: most clean, some upper-cased, some with stray whitespace. */
function seedEmail(i: number): string {
  if (i % 11 === 5) return `  student${i}@example.com `;
  if (i % 7 === 3) return `Student${i}@Example.COM`;
  return `student${i}@example.com`;
}

export interface SeedSummary {
  courseProductIds: number[];
  otherProductIds: number[];
  partnerIds: number[];
  orderIds: number[];
  /** only with the `learners` option */
  learners?: LearnerSeedSummary;
}

export interface SeedOptions {
  /** also seed families (children as delivery addresses, often without email) and schools buying seats */
  learners?: boolean;
}

export function seedDemoData(
  store: OdooSimStore,
  seed: number,
  orders: number,
  options: SeedOptions = {},
): SeedSummary {
  const rand = seededRandom(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)] as T;
  const courseProductIds = SEED_COURSES.map(([code, name, price, cat]) =>
    store.createCourseProduct(code, name, price, {
      category: cat === 'kids' ? CATEGORY.kids : CATEGORY.courses,
    }),
  );
  const fee = store.createOtherProduct('Registration Fee', 200000, { code: 'FEE-REG' });
  const book = store.createOtherProduct('Course Book', 350000, { code: 'BOOK-01', category: CATEGORY.books });
  const partnerCount = Math.max(5, Math.ceil(orders / 3));
  const partnerIds: number[] = [];
  for (let i = 1; i <= partnerCount; i++) {
    const name = `${pick(FIRST)} ${pick(LAST)} ${i}`;
    partnerIds.push(
      store.createPartner({ name, email: seedEmail(i), phone: `+84 90 ${String(1000000 + i).slice(1)}` }),
    );
  }
  const orderIds: number[] = [];
  const paidBy: Array<{ partnerId: number; productId: number }> = [];
  for (let i = 0; i < orders; i++) {
    // Real customers buy a course again and get one of the two orders refunded, and some credit notes
    // take back only one line: every 25th order is one of those.
    const earlier = i % 25 === 24 ? paidBy[Math.floor(rand() * paidBy.length)] : undefined;
    if (earlier) {
      orderIds.push(seedRepeatPurchase(store, earlier, i));
      continue;
    }
    if (i % 25 === 12 && courseProductIds.length > 1) {
      orderIds.push(seedPartialRefund(store, pick(partnerIds), courseProductIds.slice(0, 2), i));
      continue;
    }
    const first = pick(courseProductIds);
    const courses = rand() < 0.25 ? [first, pick(courseProductIds.filter((p) => p !== first))] : [first];
    const extras = rand() < 0.3 ? [fee] : rand() < 0.1 ? [book] : [];
    const lines = [...courses, ...extras].map((productId) => ({ productId }));
    const partnerId = pick(partnerIds);
    const r = rand();
    orderIds.push(seedOrder(store, partnerId, lines, r, i));
    if (r < 0.72) paidBy.push({ partnerId, productId: first });
  }
  const summary = { courseProductIds, otherProductIds: [fee, book], partnerIds, orderIds };
  // after everything else, so the plain data set's ids and draws are the same with or without it
  if (!options.learners) return summary;
  return { ...summary, learners: seedLearnerData(store, rand, courseProductIds, orders) };
}

const seedDate = (i: number) =>
  new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString().slice(0, 19).replace('T', ' ');

/** The same course bought again by a customer who paid for it before; this order paid, then refunded. */
function seedRepeatPurchase(
  store: OdooSimStore,
  earlier: { partnerId: number; productId: number },
  i: number,
): number {
  const orderId = store.createOrder({
    partnerId: earlier.partnerId,
    lines: [{ productId: earlier.productId }],
    dateOrder: seedDate(i),
  });
  const invoiceId = store.invoiceOrder(orderId);
  store.payInvoice(invoiceId);
  store.refundInvoice(invoiceId);
  return orderId;
}

/** Two courses paid; a credit note takes back the second line only. */
function seedPartialRefund(store: OdooSimStore, partnerId: number, productIds: number[], i: number): number {
  const orderId = store.createOrder({
    partnerId,
    lines: productIds.map((productId) => ({ productId })),
    dateOrder: seedDate(i),
  });
  const invoiceId = store.invoiceOrder(orderId);
  store.payInvoice(invoiceId);
  const lineIds = store.read('sale.order', [orderId], ['order_line'])[0]?.order_line as number[];
  store.refundOrderLines(invoiceId, lineIds.slice(1));
  return orderId;
}

/** ~72% paid, 10% unpaid, 6% partial, 7% refunded, 5% draft quotations. */
function seedOrder(
  store: OdooSimStore,
  partnerId: number,
  lines: Array<{ productId: number }>,
  r: number,
  i: number,
) {
  const dateOrder = seedDate(i);
  if (r >= 0.95) return store.createOrder({ partnerId, lines, state: 'draft', dateOrder });
  const orderId = store.createOrder({ partnerId, lines, dateOrder });
  const invoiceId = store.invoiceOrder(orderId);
  if (r < 0.72) store.payInvoice(invoiceId);
  else if (r < 0.78) store.partiallyPay(invoiceId);
  else if (r < 0.85) {
    store.payInvoice(invoiceId);
    store.refundInvoice(invoiceId);
  }
  return orderId;
}
