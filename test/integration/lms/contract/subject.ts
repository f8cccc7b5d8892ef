// What the shared adapter contract suite needs of each adapter under test: the adapter pointed at a
// simulator of its LMS, and the few hooks into that simulator the contract's cases use. One file per
// adapter builds its subject; subjects.ts lists them.
import type { LmsAdapter } from '../../../../src/lms/adapter';

export type ClosableAdapter = LmsAdapter & { close(): void };

export interface ContractLms {
  /** the adapter, built with `timeoutMs` below */
  lms: ClosableAdapter;
  /** the same LMS through an adapter whose credential the LMS refuses */
  refused(): ClosableAdapter;
  /** the credential the adapter sends, which no error may carry */
  secret: string;
  /** a course the LMS has and enrollments may be made in */
  courseCode: string;
  /** the timeout the adapter was built with */
  timeoutMs: number;
  /** puts `n` active enrollments of the course into the LMS directly, as if made there by hand */
  seed(courseCode: string, n: number): Promise<void>;
  /** what the LMS itself holds for (course, student): how many enrollments, and the status of the last */
  held(courseCode: string, studentId: string): Promise<{ count: number; status?: string }>;
  /** the next call the adapter makes is answered with the LMS's kind of server error */
  failNext(): void;
  /** from now on the LMS answers later than `timeoutMs` */
  slow(): void;
  stop(): Promise<void>;
}

export interface ContractSubject {
  name: string;
  /** whether the LMS takes a student without an email (a login and a guardian instead) */
  takesStudentsWithoutEmail: boolean;
  start(): Promise<ContractLms>;
}
