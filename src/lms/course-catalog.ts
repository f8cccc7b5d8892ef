// The LMS's course codes, read at most once per TTL and shared by concurrent callers, so a burst of
// ambiguous 404s (each needing "does the LMS know this course?") costs one course list, not one each.

export const COURSE_LIST_TTL_MS = 60_000;

export interface CourseCatalog {
  /** Rejects when the list cannot be read: the caller must not take that for "unknown". */
  knows(courseCode: string): Promise<boolean>;
}

export function createCourseCatalog(
  readCodes: () => Promise<string[]>,
  ttlMs = COURSE_LIST_TTL_MS,
  now: () => number = Date.now,
): CourseCatalog {
  let cached: { codes: Set<string>; at: number } | null = null;
  let reading: Promise<Set<string>> | null = null;

  function read(): Promise<Set<string>> {
    // A failed read is not kept: the next question asks the LMS again.
    reading ??= readCodes()
      .then((codes) => {
        const set = new Set(codes);
        cached = { codes: set, at: now() };
        return set;
      })
      .finally(() => {
        reading = null;
      });
    return reading;
  }

  return {
    async knows(courseCode) {
      const fresh = cached !== null && now() - cached.at < ttlMs ? cached.codes : await read();
      return fresh.has(courseCode);
    },
  };
}
