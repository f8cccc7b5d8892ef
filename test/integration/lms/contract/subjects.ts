// Every adapter the contract suite runs against.
import { restSubject } from './rest';
import type { ContractSubject } from './subject';

export const SUBJECTS: ContractSubject[] = [restSubject];
