// The courses of the simulated school, one list both simulators read: the Odoo simulator's seeded shop
// sells the ones with a product, and the LMS simulator knows every one of them by default, so
// `lms-sync sim odoo` and `lms-sync sim lms` started side by side agree on every course code.

export interface SimCatalogCourse {
  courseCode: string;
  title: string;
  /**
   * What the seeded Odoo shop sells it for (VND) and in which product category. Absent: the LMS
   * teaches it but the seeded shop does not sell it (tests create its product themselves).
   */
  product?: { price: number; category: 'courses' | 'kids' };
}

export const SIM_CATALOG: readonly SimCatalogCourse[] = [
  { courseCode: 'PY-K12', title: 'Python for Kids', product: { price: 2500000, category: 'kids' } },
  { courseCode: 'SCR-K8', title: 'Scratch for Kids', product: { price: 1800000, category: 'kids' } },
  { courseCode: 'DS-101', title: 'Data Science 101', product: { price: 4750000, category: 'courses' } },
  { courseCode: 'WEB-201', title: 'Web Development', product: { price: 3900000, category: 'courses' } },
  { courseCode: 'ML-301', title: 'Machine Learning', product: { price: 6200000, category: 'courses' } },
  { courseCode: 'ENG-B1', title: 'English B1', product: { price: 2200000, category: 'courses' } },
  { courseCode: 'WEB-101', title: 'Web Foundations' },
  { courseCode: 'DATA-201', title: 'Data Analysis' },
];
