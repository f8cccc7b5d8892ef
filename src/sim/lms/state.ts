// Everything the LMS simulator knows and every knob a test or the demo turns at runtime. Kept apart from
// the HTTP layer so assertions read the state directly instead of going through the API.
import { EnrollmentStore, type DuplicateReport, type SimEnrollment } from './enrollment-store';
import { FaultInjector, type AfterCommitMode, type FaultOptions, type InjectedFailure } from './faults';
import { IdempotencyStore } from './idempotency';
import { SIM_CATALOG } from '../catalog';

export interface SimCourse {
  courseCode: string;
  title: string;
}

/**
 * How a 404 reads. `specific` (the default) names the reason (`unknown_course`, `not_enrolled`);
 * `generic` answers `{"error":"not_found"}` for both, as many LMSes do for any missing resource.
 */
export type NotFoundStyle = 'specific' | 'generic';

export interface LmsSimStateOptions extends FaultOptions {
  /**
   * Defaults to the shared catalogue (DEFAULT_COURSES). Pass a list without a course to make an LMS
   * that does not know it.
   */
  courses?: SimCourse[];
  notFoundStyle?: NotFoundStyle;
}

/** Every course of the simulators' shared catalogue: all the seeded Odoo shop sells, and a few more. */
export const DEFAULT_COURSES: readonly SimCourse[] = SIM_CATALOG.map(({ courseCode, title }) => ({
  courseCode,
  title,
}));

export class LmsSimState {
  readonly enrollments = new EnrollmentStore();
  readonly idempotency = new IdempotencyStore();
  readonly faults: FaultInjector;
  private readonly courses = new Map<string, SimCourse>();
  private readonly rejectedCourses = new Set<string>();
  /** Every PUT enrollment request that reached the simulator, injected failures and replays included. */
  enrollCalls = 0;
  /** Every /api request, for load assertions. */
  requestCount = 0;
  /** Every GET /courses request that reached the simulator, injected failures included. */
  courseListCalls = 0;
  notFoundStyle: NotFoundStyle;

  constructor(options: LmsSimStateOptions = {}) {
    this.faults = new FaultInjector(options);
    this.notFoundStyle = options.notFoundStyle ?? 'specific';
    for (const course of options.courses ?? DEFAULT_COURSES) this.addCourse(course);
  }

  /** Enrollments created, ever (re-creations after a hand deletion included). */
  get createdCount(): number {
    return this.enrollments.creations.length;
  }

  course(courseCode: string): SimCourse | undefined {
    return this.courses.get(courseCode);
  }

  courseList(): SimCourse[] {
    return [...this.courses.values()];
  }

  isRejected(courseCode: string): boolean {
    return this.rejectedCourses.has(courseCode);
  }

  enrollment(courseCode: string, studentId: string): SimEnrollment | undefined {
    return this.enrollments.get(courseCode, studentId);
  }

  addCourse(course: SimCourse): void {
    this.courses.set(course.courseCode, { ...course });
  }

  /** PUTs on this course answer 422 (e.g. a course closed for enrollment) until acceptCourse. */
  rejectCourse(courseCode: string): void {
    this.rejectedCourses.add(courseCode);
  }

  acceptCourse(courseCode: string): void {
    this.rejectedCourses.delete(courseCode);
  }

  /** Simulates an enrollment removed by hand in the LMS admin. */
  deleteEnrollment(courseCode: string, studentId: string): boolean {
    return this.enrollments.delete(courseCode, studentId);
  }

  creationCount(courseCode: string, studentId: string): number {
    return this.enrollments.creationCount(courseCode, studentId);
  }

  duplicates(): DuplicateReport[] {
    return this.enrollments.duplicates();
  }

  setFailRate(rate: number, status?: number): void {
    this.faults.setFailRate(rate, status);
  }

  failNext(count: number, status = 503, extra: Omit<InjectedFailure, 'status'> = {}): void {
    this.faults.failNext(count, status, extra);
  }

  /** While down, every /api request answers 503 (healthz still answers). */
  setDown(down: boolean): void {
    this.faults.setDown(down);
  }

  setLatency(ms: number): void {
    this.faults.latencyMs = Math.max(0, ms);
  }

  setFailAfterCommitRate(rate: number, mode?: AfterCommitMode): void {
    this.faults.setFailAfterCommitRate(rate, mode);
  }

  failNextAfterCommit(count: number, mode: AfterCommitMode = 'status'): void {
    this.faults.failNextAfterCommit(count, mode);
  }
}
