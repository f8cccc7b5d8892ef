// The learners part of the demo data, seeded only when asked (so the plain data set keeps its numbers):
// parents buying for their children (the child as the order's delivery address, often without an email
// of its own) and schools buying seat lines of 5–20 for named pupils, some seats not assigned yet.
import type { OdooSimStore } from './sim-store';

export interface LearnerSeedSummary {
  /** parent partner id → its children's ids */
  families: Array<{ parentId: number; childIds: number[] }>;
  schools: Array<{ schoolId: number; pupilIds: number[] }>;
  /** paid orders bought by a parent for a child, and by a school for seats */
  familyOrderIds: number[];
  schoolOrderIds: number[];
}

const CHILDREN = ['Bao', 'Hieu', 'Lan', 'Mai', 'Tuan', 'Vy'];

function paid(store: OdooSimStore, orderId: number): number {
  store.payInvoice(store.invoiceOrder(orderId));
  return orderId;
}

export function seedLearnerData(
  store: OdooSimStore,
  rand: () => number,
  courseProductIds: number[],
  orders: number,
): LearnerSeedSummary {
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)] as T;
  const summary: LearnerSeedSummary = { families: [], schools: [], familyOrderIds: [], schoolOrderIds: [] };
  const familyCount = Math.max(2, Math.ceil(orders / 20));
  for (let f = 1; f <= familyCount; f++) {
    const parentId = store.createPartner({ name: `Parent ${f}`, email: `parent${f}@example.com` });
    // The first child is the family's delivery address (Odoo then proposes it on every order); two in
    // three children have no email of their own.
    const childIds = [1, 2].slice(0, f % 2 === 0 ? 2 : 1).map((n) =>
      store.createPartner({
        name: `${pick(CHILDREN)} ${f}.${n}`,
        parentId,
        type: n === 1 ? 'delivery' : 'contact',
        ...((f + n) % 3 === 0 ? { email: `child${f}.${n}@example.com` } : {}),
      }),
    );
    summary.families.push({ parentId, childIds });
    for (const childId of childIds) {
      const lines = [{ productId: pick(courseProductIds) }];
      summary.familyOrderIds.push(
        paid(store, store.createOrder({ partnerId: parentId, shippingPartnerId: childId, lines })),
      );
    }
  }
  const schoolCount = Math.max(1, Math.ceil(orders / 50));
  for (let s = 1; s <= schoolCount; s++) {
    const schoolId = store.createPartner({
      name: `School ${s}`,
      email: `office@school${s}.example.com`,
      isCompany: true,
    });
    const seats = 5 + Math.floor(rand() * 16);
    const named = Math.floor(seats / 2);
    const pupilIds = Array.from({ length: named }, (_, i) =>
      store.createPartner({
        name: `Pupil ${s}.${i + 1}`,
        parentId: schoolId,
        ...(i % 2 === 0 ? { email: `pupil${s}.${i + 1}@example.com` } : {}),
      }),
    );
    summary.schools.push({ schoolId, pupilIds });
    const lines = [{ productId: pick(courseProductIds), qty: seats, learnerIds: pupilIds }];
    summary.schoolOrderIds.push(paid(store, store.createOrder({ partnerId: schoolId, lines })));
  }
  return summary;
}
