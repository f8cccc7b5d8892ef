// Every adapter the contract suite runs against.
import { odooElearningSubject } from './odoo-elearning';
import { restSubject } from './rest';
import type { ContractSubject } from './subject';

export const SUBJECTS: ContractSubject[] = [restSubject, odooElearningSubject];
