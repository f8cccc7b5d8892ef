// Every adapter the contract suite runs against.
import { moodleSubject } from './moodle';
import { restSubject } from './rest';
import type { ContractSubject } from './subject';

export const SUBJECTS: ContractSubject[] = [restSubject, moodleSubject];
