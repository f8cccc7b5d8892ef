// What each LMS endpoint does, as functions from state and input to a status and a body. No HTTP here:
// app.ts adds auth, idempotency, latency and failures around these.
import { z } from 'zod';
import { decodeCursor, encodeCursor, type SimEnrollment } from './enrollment-store';
import type { SimResponse } from './idempotency';
import type { LmsSimState } from './state';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

// A student has an email of their own, or (a child) a login and a guardian the LMS writes to instead.
const enrollBody = z.object({
  student: z
    .object({
      email: z.email().optional(),
      fullName: z.string().min(1),
      phone: z.string().min(1).optional(),
      login: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,64}$/)
        .optional(),
      guardian: z.object({ name: z.string().min(1), email: z.email() }).optional(),
    })
    .refine((s) => s.email !== undefined || (s.login !== undefined && s.guardian !== undefined), {
      message: 'a student without an email needs a login and a guardian',
      path: ['email'],
    }),
  source: z.object({ orderId: z.number().int().positive(), orderName: z.string().min(1) }),
});

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}

/** A missing resource, said the way this LMS says it (see NotFoundStyle). */
function notFound(state: LmsSimState, error: string, message: string): SimResponse {
  if (state.notFoundStyle === 'generic') return { status: 404, body: { error: 'not_found' } };
  return { status: 404, body: { error, message } };
}

function unknownCourse(state: LmsSimState, courseCode: string): SimResponse {
  return notFound(state, 'unknown_course', `no course ${courseCode}`);
}

export function enroll(
  state: LmsSimState,
  courseCode: string,
  studentId: string,
  body: unknown,
): SimResponse {
  if (!state.course(courseCode)) return unknownCourse(state, courseCode);
  if (state.isRejected(courseCode)) {
    return { status: 422, body: { error: 'course_rejected', message: `course ${courseCode} is closed` } };
  }
  const parsed = enrollBody.safeParse(body);
  if (!parsed.success) {
    const onStudent = parsed.error.issues.some((issue) => issue.path[0] === 'student');
    const error = onStudent ? 'invalid_student' : 'invalid_request';
    return { status: 422, body: { error, message: describeIssues(parsed.error) } };
  }
  const { student, source } = parsed.data;
  const { created, enrollment } = state.enrollments.upsert(courseCode, studentId, student, source);
  return {
    status: created ? 201 : 200,
    body: { enrollmentId: enrollment.enrollmentId, status: enrollment.status },
  };
}

export function suspend(state: LmsSimState, courseCode: string, studentId: string): SimResponse {
  if (!state.course(courseCode)) return unknownCourse(state, courseCode);
  const enrollment = state.enrollment(courseCode, studentId);
  if (!enrollment) return notFound(state, 'not_enrolled', `${studentId} is not in ${courseCode}`);
  enrollment.status = 'suspended';
  return { status: 200, body: { enrollmentId: enrollment.enrollmentId, status: enrollment.status } };
}

function parseLimit(raw: unknown): number | null {
  if (raw === undefined || raw === '') return DEFAULT_PAGE_SIZE;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) return null;
  const limit = Number(raw);
  // Clamped rather than refused: a client asking for more simply gets the largest page we serve.
  return limit < 1 ? null : Math.min(limit, MAX_PAGE_SIZE);
}

function publicEnrollment(enrollment: SimEnrollment): Record<string, unknown> {
  const { enrollmentId, courseCode, studentId, email, status, source, login, guardian } = enrollment;
  return {
    enrollmentId,
    courseCode,
    studentId,
    email: email ?? '',
    status,
    source: { orderId: source.orderId },
    ...(login ? { login } : {}),
    ...(guardian ? { guardian: { email: guardian.email } } : {}),
  };
}

export function listEnrollments(state: LmsSimState, rawCursor: unknown, rawLimit: unknown): SimResponse {
  const limit = parseLimit(rawLimit);
  if (limit === null)
    return { status: 400, body: { error: 'invalid_limit', message: `1..${MAX_PAGE_SIZE}` } };
  let afterSeq = 0;
  if (rawCursor !== undefined && rawCursor !== '') {
    const decoded = typeof rawCursor === 'string' ? decodeCursor(rawCursor) : null;
    if (decoded === null) return { status: 400, body: { error: 'invalid_cursor' } };
    afterSeq = decoded;
  }
  const { items, hasMore } = state.enrollments.page(afterSeq, limit);
  const last = items[items.length - 1];
  const nextCursor = hasMore && last ? encodeCursor(last.seq) : null;
  return { status: 200, body: { items: items.map(publicEnrollment), nextCursor } };
}

export function listCourses(state: LmsSimState): SimResponse {
  return { status: 200, body: { items: state.courseList() } };
}
