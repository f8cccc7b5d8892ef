// Opt-in seed (`dataQualityProblems`): the Odoo data that causes tickets, as real shops hold it, for the
// reconciliation's data-quality checks. Off by default, so the demo data set keeps its numbers.
import { CATEGORY, type OdooSimStore } from './sim-store';

export interface DataQualitySeed {
  /** paid, confirmed course orders whose customer has no email (false, and an empty string) */
  paidOrdersWithoutEmail: number[];
  /** partners sharing one email, written differently (case, whitespace) */
  duplicateEmailPartners: number[];
  /** course products without an Internal Reference */
  productsWithoutCode: number[];
  /** course products with a list price of 0 or below */
  productsWithBadPrice: number[];
  /** quotations (draft, sent) whose invoice is paid */
  paidQuotations: number[];
}

export function seedDataQualityProblems(store: OdooSimStore): DataQualitySeed {
  const course = store.createCourseProduct('DQ-COURSE', 'Data Quality 101', 900000);
  const paid = (partnerId: number, state?: 'draft' | 'sent', productId = course) => {
    const orderId = store.createOrder({ partnerId, lines: [{ productId }], ...(state ? { state } : {}) });
    store.payInvoice(store.invoiceOrder(orderId));
    return orderId;
  };
  const noEmail = store.createPartner({ name: 'No Email Learner', email: false });
  const emptyEmail = store.createPartner({ name: 'Empty Email Learner', email: '' });
  const paidOrdersWithoutEmail = [paid(noEmail), paid(emptyEmail)];
  // an unpaid course order of a learner without email is no ticket yet: not counted
  const unpaid = store.createOrder({ partnerId: noEmail, lines: [{ productId: course }] });
  store.invoiceOrder(unpaid);
  const duplicateEmailPartners = [
    store.createPartner({ name: 'Twin One', email: 'twin@example.com' }),
    store.createPartner({ name: 'Twin Two', email: ' Twin@Example.com ' }),
  ];
  const productsWithoutCode = [
    store.createCourseProduct(false, 'Course Without Code', 500000),
    store.createCourseProduct('', 'Course With Empty Code', 500000, { category: CATEGORY.kids }),
  ];
  const productsWithBadPrice = [
    store.createCourseProduct('DQ-FREE', 'Course At Zero', 0),
    store.createCourseProduct('DQ-NEG', 'Course Below Zero', -1),
  ];
  // a fee without a code or price is not a course: never counted
  store.createOtherProduct('Free Fee', 0);
  const learner = store.createPartner({ name: 'Quotation Payer', email: 'payer@example.com' });
  const paidQuotations = [paid(learner, 'draft'), paid(learner, 'sent')];
  return {
    paidOrdersWithoutEmail,
    duplicateEmailPartners,
    productsWithoutCode,
    productsWithBadPrice,
    paidQuotations,
  };
}
