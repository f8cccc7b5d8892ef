// The doctor's checks of the LMS: it answers, it accepts our credential, its course list, and the courses
// Odoo sells that it does not know. One course-list read serves the first three.
import type { LmsConnection } from '../lms';
import type { LmsAdapter } from '../lms';
import { maskUrl } from '../lib';
import { fail, ok, warn, type Check } from './checks';
import { unknownCourses, type CourseProduct } from './courses';
import { ODOO_COURSE_CATEGORY } from './odoo';
import { reasonOf } from './reason';

const UNREACHABLE = new Set(['lms_unreachable', 'lms_timeout']);
const REFUSED_TOKEN = 'lms_auth_failed';

export function lmsChecks(
  lms: LmsAdapter,
  s: { connection: LmsConnection; shown: number },
  sold: { products: CourseProduct[] },
): Check[] {
  let reading: Promise<Array<{ courseCode: string }>> | undefined;
  const courses = () => (reading ??= lms.listCourses());
  /** The course list's failure, if any, with its code; null when the list was read. */
  const failure = () =>
    courses().then(
      () => null,
      (err: unknown) => ({ err, code: String((err as { code?: unknown }).code) }),
    );
  const { settings } = s.connection;
  const timeoutMs = s.connection.timeoutMs + 1000;
  return [
    {
      name: 'LMS reachable',
      timeoutMs,
      fix: `check ${settings.url}, and that the LMS is running and reachable from here`,
      async run() {
        const failed = await failure();
        if (failed && UNREACHABLE.has(failed.code)) throw failed.err;
        return ok(`an LMS (${s.connection.adapter}) answers at ${maskUrl(s.connection.url)}`);
      },
    },
    {
      name: 'LMS token',
      needs: ['LMS reachable'],
      timeoutMs,
      fix: `check ${settings.token}`,
      async run() {
        const failed = await failure();
        if (failed?.code === REFUSED_TOKEN)
          return fail(reasonOf(failed.err), `set ${settings.token} to a credential the LMS accepts`);
        // another answer (a 404 of a wrong base URL, a 5xx) is the course list's to report
        return ok(failed ? 'not refused' : 'accepted');
      },
    },
    {
      name: 'LMS courses',
      needs: ['LMS token'],
      timeoutMs,
      fix: `check ${settings.url}: it must be the address the LMS serves its API under`,
      async run() {
        const list = await courses();
        if (list.length === 0) return warn('the LMS lists no course', 'create the courses in the LMS');
        return ok(`${list.length} course${list.length === 1 ? '' : 's'}`);
      },
    },
    {
      name: 'Courses known to the LMS',
      needs: [ODOO_COURSE_CATEGORY, 'LMS courses'],
      timeoutMs,
      fix: 'run lms-sync doctor again',
      async run() {
        const codes = (await courses()).map((c) => c.courseCode);
        return unknownCourses(sold.products, codes, s.shown);
      },
    },
  ];
}
