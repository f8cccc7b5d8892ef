// The simulator's enrollments: one per (courseCode, studentId), kept in creation order so listing is a
// binary search plus a slice (100,000 enrollments page in milliseconds), with an append-only creation log
// so a test can prove "created once" even across a hand deletion.

export type EnrollmentStatus = 'active' | 'suspended';

export interface SimEnrollment {
  seq: number;
  enrollmentId: string;
  courseCode: string;
  studentId: string;
  /** the student's own; absent for one reached through a guardian */
  email?: string;
  fullName: string;
  phone?: string;
  login?: string;
  guardian?: { name: string; email: string };
  status: EnrollmentStatus;
  source: { orderId: number; orderName: string };
}

export interface SimStudent {
  email?: string;
  fullName: string;
  phone?: string;
  login?: string;
  guardian?: { name: string; email: string };
}

export interface CreationRecord {
  seq: number;
  enrollmentId: string;
  courseCode: string;
  studentId: string;
}

export interface DuplicateReport {
  courseCode: string;
  studentId: string;
  creations: number;
  /** Hand deletions (deleteEnrollment) of this key: a re-creation after one is a repair, not a bug. */
  deletions: number;
}

function keyOf(courseCode: string, studentId: string): string {
  // NUL cannot appear in a URL path segment, so the pair is unambiguous.
  return `${courseCode}\u0000${studentId}`;
}

export class EnrollmentStore {
  private readonly byKey = new Map<string, SimEnrollment>();
  /** Ascending by seq; deletions splice, so it stays sorted and binary-searchable. */
  private readonly ordered: SimEnrollment[] = [];
  private readonly creationsByKey = new Map<string, number>();
  private readonly deletionsByKey = new Map<string, number>();
  private nextSeq = 1;
  /** Append-only: every creation ever, including re-creations after a deletion. */
  readonly creations: CreationRecord[] = [];

  get size(): number {
    return this.byKey.size;
  }

  get(courseCode: string, studentId: string): SimEnrollment | undefined {
    return this.byKey.get(keyOf(courseCode, studentId));
  }

  upsert(
    courseCode: string,
    studentId: string,
    student: SimStudent,
    source: SimEnrollment['source'],
  ): { created: boolean; enrollment: SimEnrollment } {
    const key = keyOf(courseCode, studentId);
    const existing = this.byKey.get(key);
    if (existing) {
      // An upsert refreshes the student's contact data; the enrollment keeps the order that created it.
      const { email, fullName, phone, guardian } = student;
      Object.assign(existing, { email, fullName, phone, guardian });
      // a login, once given, stays the student's: it is how a child signs in
      existing.login ??= student.login;
      existing.status = 'active';
      return { created: false, enrollment: existing };
    }
    const seq = this.nextSeq++;
    const enrollment: SimEnrollment = {
      seq,
      enrollmentId: `enr_${seq}`,
      courseCode,
      studentId,
      ...student,
      status: 'active',
      source: { ...source },
    };
    this.byKey.set(key, enrollment);
    this.ordered.push(enrollment);
    this.creations.push({ seq, enrollmentId: enrollment.enrollmentId, courseCode, studentId });
    this.creationsByKey.set(key, (this.creationsByKey.get(key) ?? 0) + 1);
    return { created: true, enrollment };
  }

  delete(courseCode: string, studentId: string): boolean {
    const key = keyOf(courseCode, studentId);
    const existing = this.byKey.get(key);
    if (!existing) return false;
    this.byKey.delete(key);
    this.ordered.splice(this.indexAfter(existing.seq - 1), 1);
    this.deletionsByKey.set(key, (this.deletionsByKey.get(key) ?? 0) + 1);
    return true;
  }

  /** Up to `limit` enrollments created after `afterSeq` (0 = from the start), in creation order. */
  page(afterSeq: number, limit: number): { items: SimEnrollment[]; hasMore: boolean } {
    const start = this.indexAfter(afterSeq);
    const items = this.ordered.slice(start, start + limit);
    return { items, hasMore: start + limit < this.ordered.length };
  }

  creationCount(courseCode: string, studentId: string): number {
    return this.creationsByKey.get(keyOf(courseCode, studentId)) ?? 0;
  }

  /** Every (course, student) created more than once, whatever the reason. */
  duplicates(): DuplicateReport[] {
    const found: DuplicateReport[] = [];
    for (const [key, creations] of this.creationsByKey) {
      if (creations < 2) continue;
      const [courseCode = '', studentId = ''] = key.split('\u0000');
      found.push({ courseCode, studentId, creations, deletions: this.deletionsByKey.get(key) ?? 0 });
    }
    return found;
  }

  /** Index of the first enrollment whose seq is greater than `seq`. */
  private indexAfter(seq: number): number {
    let lo = 0;
    let hi = this.ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.ordered[mid] as SimEnrollment).seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Opaque to clients: base64url of the last sequence returned. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

/** null when the cursor is not one we issued. */
export function decodeCursor(cursor: string): number | null {
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}
