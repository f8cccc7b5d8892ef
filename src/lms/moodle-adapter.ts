// The `moodle` LMS adapter: the LMS contract (docs/lms-contract.md) over Moodle's REST web services
// (POST /webservice/rest/server.php, wstoken, wsfunction, moodlewsrestformat=json). A student is the
// Moodle user whose ID number (`idnumber`) is our studentId; a course is the one whose ID number, else
// short name, is the course code. Moodle has no idempotency keys, so every write looks first (README,
// "moodle", for what each call costs).
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { z } from 'zod';
import type { Logger } from '../observability';
import type { EnrollRequest, LmsAdapter, LmsEnrollment, LmsStudent } from './adapter';
import { encodeMoodleForm, type MoodleFormValue } from './moodle-form';
import { errorForException, errorForHttpStatus, moodleException } from './moodle-errors';
import { createAgents, parseAnswer } from './rest-adapter';
import {
  errorForNetwork,
  LmsPermanentError,
  LmsTransientError,
  type Call,
  type Operation,
} from './rest-errors';

export interface MoodleLmsAdapterOptions {
  /** the site's address, e.g. https://moodle.example.com (the REST server is under it) */
  url: string;
  token: string;
  /** the role enrolments get (Moodle's own student role is 5) */
  studentRoleId: number;
  timeoutMs: number;
  log: Logger;
  /** ping() gives up sooner than real calls so /readyz stays fast (default min(timeoutMs, 2000)) */
  pingTimeoutMs?: number;
  /** how long a course found by its code is trusted (default a minute) */
  courseTtlMs?: number;
  /** the waits before each repeat of a call that met a server error or a dropped connection */
  callRetryDelaysMs?: readonly number[];
}

export type MoodleLmsAdapter = LmsAdapter & { close(): void };

export const MOODLE_REST_PATH = '/webservice/rest/server.php';
const COURSE_TTL_MS = 60_000;
export const CALL_RETRY_DELAYS_MS: readonly number[] = [100, 400];
const RETRIED = new Set(['lms_unavailable', 'lms_unreachable']);
/** how many suspended enrolments one read of a course's suspended students takes */
const SUSPENDED_PAGE = 1000;

const course = z.object({
  id: z.number().int(),
  shortname: z.string(),
  fullname: z.string(),
  idnumber: z.string().optional(),
  format: z.string().optional(),
});
type MoodleCourse = z.infer<typeof course>;
const coursesAnswer = z.object({ courses: z.array(course) });
const user = z.object({
  id: z.number().int(),
  username: z.string().optional(),
  idnumber: z.string().optional(),
  email: z.string().optional(),
});
type MoodleUser = z.infer<typeof user>;
const usersAnswer = z.array(user);
const createdAnswer = z.array(z.object({ id: z.number().int(), username: z.string() }));
const userCoursesAnswer = z.array(z.object({ id: z.number().int() }));
const enrolledAnswer = z.array(
  user.extend({ roles: z.array(z.object({ roleid: z.number().int() })).optional() }),
);
/** enrol_manual_enrol_users and core_user_update_users answer null (newer sites: a warnings object) */
const writeAnswer = z.union([z.null(), z.object({ warnings: z.array(z.unknown()).optional() })]);
const siteInfoAnswer = z.object({ sitename: z.string(), userid: z.number().int() });

/** A course's code: its ID number when it has one, else its short name. */
export function courseCodeOf(c: { shortname: string; idnumber?: string }): string {
  const idnumber = c.idnumber?.trim() ?? '';
  return idnumber === '' ? c.shortname : idnumber;
}

/** The site's own front-page course is not a course anyone enrolls in. */
function isSiteCourse(c: MoodleCourse): boolean {
  return c.format === 'site' || c.id === 1;
}

/** Where a listing resumes: in course `course` (by Moodle id) at raw offset `offset`. */
interface ListCursor {
  course: number;
  offset: number;
}

function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(`moodle:${cursor.course}:${cursor.offset}`).toString('base64url');
}

function decodeCursor(cursor: string): ListCursor {
  const match = /^moodle:(\d{1,15}):(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new LmsPermanentError('lms_rejected', 'not a cursor the moodle adapter gave', null);
  return { course: Number(match[1]), offset: Number(match[2]) };
}

/** Moodle wants a first and a last name: the last word is the last name, one word is both. */
export function splitName(fullName: string): { firstname: string; lastname: string } {
  const words = fullName.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { firstname: '-', lastname: '-' };
  if (words.length === 1) return { firstname: words[0]!, lastname: words[0]! };
  return { firstname: words.slice(0, -1).join(' '), lastname: words[words.length - 1]! };
}

const sameEmail = (a: string | undefined, b: string) =>
  (a ?? '').trim().toLowerCase() === b.trim().toLowerCase();

export function createMoodleLmsAdapter(options: MoodleLmsAdapterOptions): MoodleLmsAdapter {
  const { httpAgent, httpsAgent } = createAgents();
  const client: AxiosInstance = axios.create({
    baseURL: options.url.replace(/\/+$/, ''),
    httpAgent,
    httpsAgent,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    // Moodle's errors are HTTP 200: statuses are mapped here, and a redirect would carry the token away.
    validateStatus: () => true,
    maxRedirects: 0,
  });
  const { log, studentRoleId } = options;
  const courseTtlMs = options.courseTtlMs ?? COURSE_TTL_MS;
  const retryDelaysMs = options.callRetryDelaysMs ?? CALL_RETRY_DELAYS_MS;
  const courses = new Map<string, { course: MoodleCourse; at: number }>();
  const finding = new Map<string, Promise<MoodleCourse>>();

  interface MoodleCall {
    op: Operation;
    fn: string;
    params?: Record<string, MoodleFormValue | undefined>;
    timeoutMs?: number;
    /** the student's emails: never in a message */
    secrets?: string[];
    /** not repeated on a server error (the ping: /readyz wants the answer now) */
    once?: boolean;
  }

  /**
   * One web service function, tried again at once on a server error or a dropped connection: an
   * enrollment is two to four calls, and one failing would fail it all. Every call is safe to repeat
   * (reads, enrol_manual_enrol_users updates what it finds, a repeated core_user_create_users is refused
   * as taken and the user found). Timeouts, refusals and Moodle's own errors are the caller's.
   */
  async function call<T>(c: MoodleCall, schema: z.ZodType<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await callOnce(c, schema);
      } catch (err) {
        const again = err instanceof LmsTransientError && RETRIED.has(err.code);
        const wait = c.once ? undefined : retryDelaysMs[attempt];
        if (!again || wait === undefined) throw err;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /** One web service function; Moodle's error object or any failure on the way becomes our error. */
  async function callOnce<T>(c: MoodleCall, schema: z.ZodType<T>): Promise<T> {
    const timeout = c.timeoutMs ?? options.timeoutMs;
    const path = `${MOODLE_REST_PATH}?wsfunction=${c.fn}`;
    const secrets = [...(c.secrets ?? []), options.token];
    const described: Call = { op: c.op, method: 'POST', path, timeoutMs: timeout, secrets };
    const started = Date.now();
    let res: AxiosResponse;
    try {
      // The token goes in the body, never the URL: URLs end up in access logs.
      const body = encodeMoodleForm({ wstoken: options.token, moodlewsrestformat: 'json', ...c.params });
      res = await client.post(path, body, { timeout });
    } catch (err) {
      throw errorForNetwork(described, err);
    }
    log.debug('moodle call', { op: c.op, fn: c.fn, status: res.status, ms: Date.now() - started });
    if (res.status !== 200) throw errorForHttpStatus(described, res);
    const ex = moodleException(res.data);
    if (ex) throw errorForException(described, ex);
    return parseAnswer(described, res, schema, log);
  }

  async function coursesBy(field: 'idnumber' | 'shortname' | '', value: string, op: Operation) {
    const params = field === '' ? {} : { field, value };
    const answer = await call({ op, fn: 'core_course_get_courses_by_field', params }, coursesAnswer);
    return answer.courses.filter((c) => !isSiteCourse(c));
  }

  /** The course whose code this is: by ID number, else by short name (of a course without one). */
  async function lookUpCourse(code: string, op: Operation): Promise<MoodleCourse> {
    const byIdnumber = (await coursesBy('idnumber', code, op)).filter((c) => courseCodeOf(c) === code);
    const found =
      byIdnumber.length > 0
        ? byIdnumber
        : (await coursesBy('shortname', code, op)).filter((c) => courseCodeOf(c) === code);
    if (found.length === 0)
      throw new LmsPermanentError(
        'lms_unknown_course',
        `Moodle has no course with ID number or short name ${code}`,
        200,
      );
    if (found.length > 1)
      throw new LmsPermanentError(
        'lms_rejected',
        `Moodle has ${found.length} courses with the code ${code}`,
        200,
      );
    return found[0]!;
  }

  /** Found courses are trusted for a minute and concurrent lookups share one; a failure is not kept. */
  function findCourse(code: string, op: Operation): Promise<MoodleCourse> {
    const cached = courses.get(code);
    if (cached && Date.now() - cached.at < courseTtlMs) return Promise.resolve(cached.course);
    let pending = finding.get(code);
    if (!pending) {
      pending = lookUpCourse(code, op)
        .then((found) => {
          courses.set(code, { course: found, at: Date.now() });
          return found;
        })
        .finally(() => finding.delete(code));
      finding.set(code, pending);
    }
    return pending;
  }

  async function usersBy(field: 'idnumber' | 'email', value: string, op: Operation, secrets: string[]) {
    const params = { field, values: [value] };
    return call({ op, fn: 'core_user_get_users_by_field', params, secrets }, usersAnswer);
  }

  /** The Moodle user whose ID number is the student id; more than one is for a person to sort out. */
  async function userByStudentId(studentId: string, op: Operation): Promise<MoodleUser | null> {
    const found = (await usersBy('idnumber', studentId, op, [])).filter((u) => u.idnumber === studentId);
    if (found.length > 1)
      throw new LmsPermanentError(
        'lms_rejected',
        `${found.length} Moodle users have the ID number ${studentId}`,
        200,
      );
    return found[0] ?? null;
  }

  /**
   * The student's Moodle user: theirs by ID number; else a new one; else, when Moodle refuses to make it
   * (the email or username is taken), the one another call just made for them, or an existing user with
   * their email and no ID number, which they are given. Creating before looking by email saves a call on
   * every first enrollment. A student without an email can only be a user made by hand with their ID
   * number: Moodle users need an email of their own, and a guardian's is shared by siblings.
   */
  async function userFor(student: LmsStudent): Promise<{ user: MoodleUser; isNew: boolean }> {
    const mine = await userByStudentId(student.studentId, 'enroll');
    if (mine) return { user: mine, isNew: false };
    const { email } = student;
    if (!email) {
      const message = `a learner without an email cannot be a Moodle user: create the Moodle user with ID number ${student.studentId} by hand (with an email), or give the learner an email in Odoo`;
      throw new LmsPermanentError('lms_rejected', message, null);
    }
    const { firstname, lastname } = splitName(student.fullName);
    const created = {
      username: student.studentId.toLowerCase(),
      createpassword: 1,
      auth: 'manual',
      firstname,
      lastname,
      email,
      idnumber: student.studentId,
      ...(student.phone ? { phone1: student.phone } : {}),
    };
    const secrets = [email];
    let made: { id: number } | undefined;
    try {
      [made] = await call(
        { op: 'enroll', fn: 'core_user_create_users', params: { users: [created] }, secrets },
        createdAnswer,
      );
    } catch (err) {
      if (!(err instanceof LmsPermanentError)) throw err;
      const existing = await existingUserFor(student, email);
      if (existing) return existing;
      throw err;
    }
    if (!made)
      throw new LmsTransientError('lms_bad_response', 'Moodle core_user_create_users answered no user', 200);
    return { user: { id: made.id, idnumber: student.studentId }, isNew: true };
  }

  /** After Moodle refused to create the student: theirs after all (a race), or one with their email. */
  async function existingUserFor(student: LmsStudent, email: string) {
    const raced = await userByStudentId(student.studentId, 'enroll');
    if (raced) return { user: raced, isNew: false };
    const secrets = [email];
    const holders = (await usersBy('email', email, 'enroll', secrets)).filter((u) =>
      sameEmail(u.email, email),
    );
    if (holders.length === 0) return null;
    const free = holders.find((u) => (u.idnumber ?? '') === '');
    if (!free) {
      const message = `the student's email belongs to a Moodle user with another ID number (${holders[0]!.idnumber ?? ''}), not ${student.studentId}`;
      throw new LmsPermanentError('lms_rejected', message, 200);
    }
    const params = { users: [{ id: free.id, idnumber: student.studentId }] };
    await call({ op: 'enroll', fn: 'core_user_update_users', params, secrets }, writeAnswer);
    return { user: { ...free, idnumber: student.studentId }, isNew: false };
  }

  /** Whether the user's enrolment in the course is active (Moodle lists only active ones per user). */
  async function activeIn(userId: number, courseId: number, op: Operation): Promise<boolean> {
    const active = await call(
      { op, fn: 'core_enrol_get_users_courses', params: { userid: userId } },
      userCoursesAnswer,
    );
    return active.some((c) => c.id === courseId);
  }

  function enrolledUsers(courseId: number, op: Operation, options: Record<string, string | number>) {
    const params = {
      courseid: courseId,
      options: Object.entries(options).map(([name, value]) => ({ name, value })),
    };
    return call({ op, fn: 'core_enrol_get_enrolled_users', params }, enrolledAnswer);
  }

  /** The ids of the course's suspended enrolments (Moodle's per-course lists do not carry a status). */
  async function suspendedIn(courseId: number, op: Operation): Promise<Set<number>> {
    const ids = new Set<number>();
    for (let from = 0; ; from += SUSPENDED_PAGE) {
      const page = await enrolledUsers(courseId, op, {
        onlysuspended: 1,
        userfields: 'id',
        limitfrom: from,
        limitnumber: SUSPENDED_PAGE,
      });
      for (const u of page) ids.add(u.id);
      if (page.length < SUSPENDED_PAGE) return ids;
    }
  }

  async function enrol(userId: number, courseId: number, suspend: boolean, op: Operation): Promise<void> {
    const enrolments = [
      { roleid: studentRoleId, userid: userId, courseid: courseId, suspend: suspend ? 1 : 0 },
    ];
    await call({ op, fn: 'enrol_manual_enrol_users', params: { enrolments } }, writeAnswer);
  }

  async function enroll(req: EnrollRequest) {
    const found = await findCourse(req.courseCode, 'enroll');
    const { user: u, isNew } = await userFor(req.student);
    const enrollmentId = `${found.id}:${u.id}`;
    if (!isNew && (await activeIn(u.id, found.id, 'enroll')))
      return { enrollmentId, status: 'active', created: false };
    const wasSuspended = !isNew && (await suspendedIn(found.id, 'enroll')).has(u.id);
    await enrol(u.id, found.id, false, 'enroll');
    return { enrollmentId, status: 'active', created: !wasSuspended };
  }

  async function listCourses(): Promise<Array<{ courseCode: string; title: string }>> {
    return (await coursesBy('', '', 'courses')).map((c) => ({
      courseCode: courseCodeOf(c),
      title: c.fullname,
    }));
  }

  /** One window of a course's students from a raw offset, each with their enrolment's status. */
  async function studentsOf(
    c: MoodleCourse,
    offset: number,
    want: number,
    suspended: () => Promise<Set<number>>,
  ) {
    const raw = await enrolledUsers(c.id, 'list', {
      userfields: 'id,idnumber,email,roles',
      sortby: 'id',
      sortdirection: 'ASC',
      limitfrom: offset,
      limitnumber: want,
    });
    // teachers and other roles share the course; only those holding the student role are enrollments
    const students = raw.filter(
      (u) => u.roles === undefined || u.roles.some((r) => r.roleid === studentRoleId),
    );
    const ids = students.length > 0 ? await suspended() : new Set<number>();
    const items: LmsEnrollment[] = students.map((u) => ({
      enrollmentId: `${c.id}:${u.id}`,
      courseCode: courseCodeOf(c),
      studentId: u.idnumber ? u.idnumber : `moodle-user-${u.id}`,
      email: u.email ?? '',
      status: ids.has(u.id) ? 'suspended' : 'active',
      source: { orderId: null },
    }));
    return { items, read: raw.length, done: raw.length < want };
  }

  return {
    name: 'moodle',
    enroll,
    async suspend(req) {
      const found = await findCourse(req.courseCode, 'suspend');
      const u = await userByStudentId(req.studentId, 'suspend');
      const nothing = () =>
        new LmsPermanentError(
          'lms_not_enrolled',
          `Moodle: ${req.studentId} is not enrolled in ${req.courseCode}`,
          200,
        );
      if (!u) throw nothing();
      if (await activeIn(u.id, found.id, 'suspend')) {
        await enrol(u.id, found.id, true, 'suspend');
        return { status: 'suspended' };
      }
      if ((await suspendedIn(found.id, 'suspend')).has(u.id)) return { status: 'suspended' };
      throw nothing();
    },
    async listEnrollments(cursor, limit) {
      const at = cursor === null ? { course: 0, offset: 0 } : decodeCursor(cursor);
      const all = (await coursesBy('', '', 'list'))
        .filter((c) => c.id >= at.course)
        .sort((a, b) => a.id - b.id);
      const items: LmsEnrollment[] = [];
      for (const [index, c] of all.entries()) {
        let offset = c.id === at.course ? at.offset : 0;
        let known: Promise<Set<number>> | undefined;
        const suspended = () => (known ??= suspendedIn(c.id, 'list'));
        for (;;) {
          const window = await studentsOf(c, offset, Math.max(1, limit - items.length), suspended);
          items.push(...window.items);
          offset += window.read;
          if (window.done) break;
          if (items.length >= limit) return { items, nextCursor: encodeCursor({ course: c.id, offset }) };
        }
        const next = all[index + 1];
        if (items.length >= limit)
          return { items, nextCursor: next ? encodeCursor({ course: next.id, offset: 0 }) : null };
      }
      return { items, nextCursor: null };
    },
    listCourses,
    async ping() {
      const timeoutMs = options.pingTimeoutMs ?? Math.min(options.timeoutMs, 2000);
      await call({ op: 'ping', fn: 'core_webservice_get_site_info', timeoutMs, once: true }, siteInfoAnswer);
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
