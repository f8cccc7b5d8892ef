// What a 404 on enroll or suspend means. Our contract names the reason (`unknown_course`,
// `not_enrolled`), but many LMSes answer one generic `not_found` for any missing resource, so the
// answer alone cannot tell "no such course" (a mapping problem for a person) from "no such enrollment"
// (for a suspend: nothing to do). When the body does not say, the LMS's course list decides.
import type { AxiosResponse } from 'axios';
import { errorMessage } from '../lib';
import type { CourseCatalog } from './course-catalog';
import { bodyText, LmsPermanentError, LmsTransientError, type Call } from './rest-errors';

function unknownCourse(where: string, why: string): Error {
  return new LmsPermanentError(
    'lms_unknown_course',
    `${where}: the LMS does not know this course (${why})`,
    404,
  );
}

function notEnrolled(where: string, why: string): Error {
  return new LmsPermanentError('lms_not_enrolled', `${where}: student not enrolled (${why})`, 404);
}

/** The answers that say exactly what is missing; null when the body leaves it open. */
function specific(call: Call, res: AxiosResponse, where: string): Error | null {
  const error = (res.data as { error?: unknown } | null)?.error;
  if (error === 'unknown_course') return unknownCourse(where, '404 unknown_course');
  if (call.op === 'suspend' && error === 'not_enrolled') return notEnrolled(where, '404 not_enrolled');
  return null;
}

/**
 * A 404 on a call about `courseCode`. A course the LMS does not list is unknown, as the LMS said. On a
 * listed course, a suspend found no enrollment (the caller treats that as done), while an enroll is an
 * upsert that should not 404 at all: a transient `lms_not_found` with the LMS's words, retried and
 * dead-lettered as a failed enrollment rather than filed as an unmapped course. A course list that
 * cannot be read (a wrong base URL 404s it too) proves nothing either way: transient as well.
 */
export async function errorForNotFound(
  call: Call,
  courseCode: string,
  res: AxiosResponse,
  catalog: CourseCatalog,
): Promise<Error> {
  const where = `LMS ${call.method} ${call.path}`;
  const known = specific(call, res, where);
  if (known) return known;
  const said = bodyText(res.data, call.secrets ?? []) || 'no body';
  let listed: boolean;
  try {
    listed = await catalog.knows(courseCode);
  } catch (err) {
    const message = `${where} answered 404 (${said}) and the course list to tell why could not be read: ${errorMessage(err)}`;
    return new LmsTransientError('lms_not_found', message, 404);
  }
  if (!listed) return unknownCourse(where, `404 ${said}, and not in the course list`);
  if (call.op === 'suspend') return notEnrolled(where, `404 ${said} on a listed course`);
  return new LmsTransientError('lms_not_found', `${where} answered 404 on a listed course: ${said}`, 404);
}
