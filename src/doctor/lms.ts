// The doctor's checks of the LMS: it answers, it accepts LMS_API_TOKEN, its course list, and the courses
// Odoo sells that it does not know. One course-list read serves the first three.
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
  s: { baseUrl: string; timeoutMs: number; shown: number },
  sold: { products: CourseProduct[] },
): Check[] {
  let reading: Promise<Array<{ courseCode: string }>> | undefined;
  const courses = () => (reading ??= lms.listCourses());
  const codeOf = (err: unknown) => (err as { code?: unknown }).code;
  const timeoutMs = s.timeoutMs + 1000;
  return [
    {
      name: 'LMS reachable',
      timeoutMs,
      fix: 'check LMS_BASE_URL, and that the LMS is running and reachable from here',
      async run() {
        try {
          await courses();
        } catch (err) {
          if (UNREACHABLE.has(String(codeOf(err)))) throw err;
        }
        return ok(`an LMS answers at ${maskUrl(s.baseUrl)}`);
      },
    },
    {
      name: 'LMS token',
      needs: ['LMS reachable'],
      timeoutMs,
      fix: 'check LMS_API_TOKEN',
      async run() {
        try {
          await courses();
        } catch (err) {
          if (codeOf(err) === REFUSED_TOKEN)
            return fail(reasonOf(err), 'set LMS_API_TOKEN to a token the LMS accepts');
          if (String(codeOf(err)).startsWith('lms_')) return ok('not refused');
          throw err;
        }
        return ok('accepted');
      },
    },
    {
      name: 'LMS courses',
      needs: ['LMS token'],
      timeoutMs,
      fix: 'check LMS_BASE_URL: it must be the base the LMS serves /api/v1 under',
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
