// Every adapter the contract suite runs against.
import { moodleSubject } from './moodle';
import { odooElearningSubject } from './odoo-elearning';
import { restSubject } from './rest';
import type { ContractSubject } from './subject';

export const SUBJECTS: ContractSubject[] = [restSubject, moodleSubject, odooElearningSubject];
