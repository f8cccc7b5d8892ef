// The courses Odoo sells that the LMS does not know: each such sale ends as `course_unmapped`. Pure.
import { fail, ok, type Outcome } from './checks';

export interface CourseProduct {
  name: string;
  /** the product's Internal Reference (default_code), which is the LMS course code; null when empty */
  code: string | null;
}

export function unknownCourses(sold: CourseProduct[], lmsCodes: string[], shown = 10): Outcome {
  const known = new Set(lmsCodes);
  const unknown = [...new Set(sold.flatMap((p) => (p.code && !known.has(p.code) ? [p.code] : [])))].sort();
  const uncoded = sold.filter((p) => p.code === null).map((p) => p.name);
  const codes = new Set(sold.flatMap((p) => (p.code ? [p.code] : [])));
  if (unknown.length === 0 && uncoded.length === 0)
    return ok(`the LMS knows all ${codes.size} course${codes.size === 1 ? '' : 's'} Odoo sells`);
  const parts: string[] = [];
  if (unknown.length > 0)
    parts.push(
      `${unknown.length} of ${codes.size} course codes Odoo sells are unknown to the LMS: ${list(unknown, shown)}`,
    );
  if (uncoded.length > 0)
    parts.push(
      `${uncoded.length} course product${uncoded.length === 1 ? ' has' : 's have'} no Internal Reference: ${list(uncoded, shown)}`,
    );
  return fail(
    parts.join('; '),
    "create these courses in the LMS, or set each product's Internal Reference to the LMS course code (else: course_unmapped)",
  );
}

function list(items: string[], shown: number): string {
  const head = items.slice(0, shown).join(', ');
  return items.length > shown ? `${head} and ${items.length - shown} more` : head;
}
