// What the Moodle simulator holds, with Moodle's own rules: users with a unique username, email and ID
// number; courses (id 1 is the site's front page); enrolments through each course's manual enrolment
// method, active (0) or suspended (1), with the role they were given. Kept apart from the HTTP layer so
// tests read it directly.
import { FaultInjector, type FaultOptions } from '../lms';
import { SIM_CATALOG } from '../catalog';

export const ENROL_USER_ACTIVE = 0;
export const ENROL_USER_SUSPENDED = 1;
export const STUDENT_ROLE_ID = 5;

/** Moodle's standard roles, by id. */
export const ROLES: Record<number, { shortname: string; name: string; sortorder: number }> = {
  1: { shortname: 'manager', name: 'Manager', sortorder: 1 },
  3: { shortname: 'editingteacher', name: 'Teacher', sortorder: 3 },
  4: { shortname: 'teacher', name: 'Non-editing teacher', sortorder: 4 },
  5: { shortname: 'student', name: 'Student', sortorder: 5 },
};

export interface MoodleSimUser {
  id: number;
  username: string;
  idnumber: string;
  email: string;
  firstname: string;
  lastname: string;
  auth: string;
  phone1: string;
}

export interface MoodleSimCourse {
  id: number;
  shortname: string;
  fullname: string;
  idnumber: string;
  format: string;
  /** whether the course has an enabled manual enrolment method (enrol_manual_enrol_users needs one) */
  manual: boolean;
}

export interface MoodleSimEnrolment {
  courseid: number;
  userid: number;
  status: typeof ENROL_USER_ACTIVE | typeof ENROL_USER_SUSPENDED;
  roles: Set<number>;
}

export interface MoodleSimDuplicate {
  courseCode: string;
  studentId: string;
  creations: number;
  deletions: number;
}

/** A Moodle error answer: `{exception, errorcode, message}` with HTTP 200. */
export class MoodleSimException extends Error {
  constructor(
    readonly exception: string,
    readonly errorcode: string,
    message: string,
    readonly debuginfo?: string,
  ) {
    super(message);
  }
}

export function invalidParameter(debuginfo: string): MoodleSimException {
  return new MoodleSimException(
    'invalid_parameter_exception',
    'invalidparameter',
    'Invalid parameter value detected',
    debuginfo,
  );
}

export function missingRecord(table: string): MoodleSimException {
  return new MoodleSimException(
    'dml_missing_record_exception',
    'invalidrecord',
    `Can't find data record in database table ${table}.`,
  );
}

export interface MoodleSimStateOptions extends FaultOptions {
  /** default: the shared catalogue, half the courses coded by ID number, half by short name only */
  courses?: Array<{ courseCode: string; title: string; by?: 'idnumber' | 'shortname' }>;
}

const pairKey = (courseCode: string, studentId: string) => `${courseCode}\u0000${studentId}`;

export class MoodleSimState {
  readonly faults: FaultInjector;
  readonly users = new Map<number, MoodleSimUser>();
  readonly courses = new Map<number, MoodleSimCourse>();
  /** by `${courseid}:${userid}` */
  readonly enrolments = new Map<string, MoodleSimEnrolment>();
  /** Moodle error objects the next calls answer with (after the token check), before doing anything */
  private readonly queuedExceptions: MoodleSimException[] = [];
  private readonly creations = new Map<string, number>();
  private readonly deletions = new Map<string, number>();
  private nextUserId = 3; // 1 is the guest, 2 the admin
  private nextCourseId = 2; // 1 is the site
  /** every web service call that reached the simulator, by wsfunction (injected failures included) */
  readonly calls = new Map<string, number>();
  createdCount = 0;

  constructor(options: MoodleSimStateOptions = {}) {
    this.faults = new FaultInjector(options);
    this.courses.set(1, {
      id: 1,
      shortname: 'site',
      fullname: 'Simulated school',
      idnumber: '',
      format: 'site',
      manual: false,
    });
    const catalog =
      options.courses ?? SIM_CATALOG.map((c, i) => ({ ...c, by: i % 2 === 0 ? 'idnumber' : 'shortname' }));
    for (const c of catalog) this.addCourse(c.courseCode, c.title, c.by ?? 'idnumber');
  }

  addCourse(
    courseCode: string,
    title: string,
    by: 'idnumber' | 'shortname' = 'idnumber',
    manual = true,
  ): MoodleSimCourse {
    const id = this.nextCourseId++;
    // a course coded by ID number gets a different short name, so the adapter must not read that one
    const made: MoodleSimCourse = {
      id,
      shortname: by === 'idnumber' ? `${courseCode.toLowerCase()}-${id}` : courseCode,
      fullname: title,
      idnumber: by === 'idnumber' ? courseCode : '',
      format: 'topics',
      manual,
    };
    this.courses.set(id, made);
    return made;
  }

  /** A course's code as the service sees it: its ID number, else its short name. */
  codeOf(c: MoodleSimCourse): string {
    return c.idnumber === '' ? c.shortname : c.idnumber;
  }

  courseByCode(courseCode: string): MoodleSimCourse | undefined {
    for (const c of this.courses.values()) if (c.id !== 1 && this.codeOf(c) === courseCode) return c;
    return undefined;
  }

  userByIdnumber(idnumber: string): MoodleSimUser | undefined {
    if (idnumber === '') return undefined;
    for (const u of this.users.values()) if (u.idnumber === idnumber) return u;
    return undefined;
  }

  /** Creates a user under Moodle's rules (allowaccountssameemail off), as core_user_create_users does. */
  createUser(fields: Omit<MoodleSimUser, 'id'>): MoodleSimUser {
    for (const u of this.users.values()) {
      if (u.username === fields.username)
        throw invalidParameter(`Username already exists: ${fields.username}`);
      if (u.email.toLowerCase() === fields.email.toLowerCase())
        throw invalidParameter(`Email address already exists: ${fields.email}`);
      if (fields.idnumber !== '' && u.idnumber === fields.idnumber)
        throw invalidParameter(`ID number already exists: ${fields.idnumber}`);
    }
    const made = { id: this.nextUserId++, ...fields };
    this.users.set(made.id, made);
    return made;
  }

  enrolment(courseid: number, userid: number): MoodleSimEnrolment | undefined {
    return this.enrolments.get(`${courseid}:${userid}`);
  }

  /** enrol_manual_enrol_users for one user: a new enrolment, or an existing one's status updated. */
  enrol(courseid: number, userid: number, roleid: number, status: MoodleSimEnrolment['status']): void {
    const existing = this.enrolment(courseid, userid);
    if (existing) {
      existing.status = status;
      existing.roles.add(roleid);
      return;
    }
    this.enrolments.set(`${courseid}:${userid}`, { courseid, userid, status, roles: new Set([roleid]) });
    this.createdCount += 1;
    const key = this.pairOf(courseid, userid);
    if (key) this.creations.set(key, (this.creations.get(key) ?? 0) + 1);
  }

  /** The enrolments of a course, by user id (Moodle's own order). */
  enrolmentsOf(courseid: number): MoodleSimEnrolment[] {
    return [...this.enrolments.values()]
      .filter((e) => e.courseid === courseid)
      .sort((a, b) => a.userid - b.userid);
  }

  // --- by the service's names, for tests, the demo and the shared face ---

  /** The enrolment of the user with this ID number in the course with this code. */
  enrollmentOf(courseCode: string, studentId: string): MoodleSimEnrolment | undefined {
    const c = this.courseByCode(courseCode);
    const u = this.userByIdnumber(studentId);
    return c && u ? this.enrolment(c.id, u.id) : undefined;
  }

  status(courseCode: string, studentId: string): 'active' | 'suspended' | undefined {
    const e = this.enrollmentOf(courseCode, studentId);
    if (!e) return undefined;
    return e.status === ENROL_USER_ACTIVE ? 'active' : 'suspended';
  }

  creationCount(courseCode: string, studentId: string): number {
    return this.creations.get(pairKey(courseCode, studentId)) ?? 0;
  }

  duplicates(): MoodleSimDuplicate[] {
    return [...this.creations]
      .filter(([, n]) => n > 1)
      .map(([key, creations]) => {
        const [courseCode = '', studentId = ''] = key.split('\u0000');
        return { courseCode, studentId, creations, deletions: this.deletions.get(key) ?? 0 };
      });
  }

  /** An administrator unenrols the student by hand (the enrolment and its roles go). */
  deleteEnrollment(courseCode: string, studentId: string): boolean {
    const e = this.enrollmentOf(courseCode, studentId);
    if (!e) return false;
    this.enrolments.delete(`${e.courseid}:${e.userid}`);
    const key = pairKey(courseCode, studentId);
    this.deletions.set(key, (this.deletions.get(key) ?? 0) + 1);
    return true;
  }

  /** `n` students enrolled in the course by hand, with users of their own. */
  seed(courseCode: string, n: number, firstPartner = 90001): void {
    const c = this.courseByCode(courseCode);
    if (!c) throw new Error(`no course ${courseCode}`);
    for (let i = 0; i < n; i += 1) {
      const studentId = `odoo-partner-${firstPartner + i}`;
      const u =
        this.userByIdnumber(studentId) ??
        this.createUser({
          username: studentId,
          idnumber: studentId,
          email: `seeded.${firstPartner + i}@example.com`,
          firstname: 'Seeded',
          lastname: String(firstPartner + i),
          auth: 'manual',
          phone1: '',
        });
      this.enrol(c.id, u.id, STUDENT_ROLE_ID, ENROL_USER_ACTIVE);
    }
  }

  /** The next `count` calls answer with this Moodle exception (e.g. dmlwriteexception). */
  failNextWith(exception: MoodleSimException, count = 1): void {
    for (let i = 0; i < count; i += 1) this.queuedExceptions.push(exception);
  }

  takeQueuedException(): MoodleSimException | undefined {
    return this.queuedExceptions.shift();
  }

  setFailRate(rate: number, status?: number): void {
    this.faults.setFailRate(rate, status);
  }

  failNext(count: number, status = 503): void {
    this.faults.failNext(count, status);
  }

  setLatency(ms: number): void {
    this.faults.latencyMs = Math.max(0, ms);
  }

  private pairOf(courseid: number, userid: number): string | null {
    const c = this.courses.get(courseid);
    const u = this.users.get(userid);
    return c && u && u.idnumber !== '' ? pairKey(this.codeOf(c), u.idnumber) : null;
  }
}
