// What other folders use of reconcile.
export { partnerIdOf } from './diff-index';
export type { Finding } from './diff-types';
